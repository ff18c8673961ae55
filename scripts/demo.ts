/**
 * `npm run demo`: the supply-chain story (demo/story.ts) on the embedded default, narrated.
 *
 * Uses the Warden at WARDEN_PUBLIC_URL when one answers; otherwise starts one the way `npm start` does
 * (dev server persisted in the data folder, worker and API processes), with the security webhook pointed
 * at the demo's own inbox, and stops it at the end. `--interactive`: a person denies (or approves) the
 * held transfer in the approvers' console (its page is opened in the desktop's browser when there is one),
 * GraphiQL or with the Temporal CLI, instead of the scripted security approver. `--keep`:
 * a Warden the demo started keeps running afterwards (until Ctrl-C), so the Temporal UI links it printed work.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { loadDevIssuerKey, signDevToken } from '../api/auth/dev-issuer.js';
import { loadConfig, PROJECT_ROOT } from '../config/config.js';
import { ATTACKER_ROUTING } from '../demo/erp.js';
import { runSupplyChainStory, startSecurityInbox, type Gql, type SecurityInbox } from '../demo/story.js';

const interactive = process.argv.includes('--interactive');
const keep = process.argv.includes('--keep');
const config = loadConfig();
const url = config.api.publicUrl;
const say = (line: string) => console.log(line);

/** Best effort: the desktop's browser, if there is one (a headless machine just has the printed link). */
function openInBrowser(url: string): void {
  const [command, ...args] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : ['xdg-open', url];
  try {
    const child = spawn(command!, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no opener: the link is printed above
  }
}

async function answers(): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/**
 * Starts `npm start`'s launcher as a child, in its own process group: a Ctrl-C in the terminal reaches only
 * the demo, which then stops Warden with one signal (two would cut its clean shutdown short).
 */
function launchWarden(inbox: SecurityInbox): { child: ChildProcess; output: () => string } {
  const child = fork(path.join(PROJECT_ROOT, 'scripts', 'start.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WARDEN_NOTIFY_WEBHOOK_URL: process.env.WARDEN_NOTIFY_WEBHOOK_URL ?? inbox.url },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

/** Resolves once the launcher said it is ready and the API answers. */
async function untilReady(w: { child: ChildProcess; output: () => string }): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (!(w.output().includes('ready.') && (await answers()))) {
    if (w.child.exitCode !== null) throw new Error(`Warden did not start:\n${w.output()}`);
    if (Date.now() > deadline) throw new Error(`Warden did not start within 3 minutes:\n${w.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopWarden(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
}

const inbox = await startSecurityInbox();
let warden: ChildProcess | undefined;
let code = 1;

// One way out, whatever happens (the end, an error, Ctrl-C): stop what the demo started, then exit.
let finishing: Promise<void> | null = null;
async function finish(exitCode: number): Promise<never> {
  finishing ??= (async () => {
    if (warden) await stopWarden(warden);
    await inbox.close();
  })();
  await finishing;
  process.exit(exitCode);
}
let keeping: (() => void) | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (keeping) return keeping();
    console.error(
      `demo: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}${warden ? '; stopping the Warden it started…' : ''}`,
    );
    void finish(130);
  });
}

try {
  if (config.humans.jwksUrl)
    throw new Error(
      "the demo signs its people's tokens with the development issuer; unset WARDEN_OIDC_JWKS_URL to run it",
    );
  if (await answers()) {
    say(
      `Using the Warden running at ${url}. Security notifications go to its configured webhook (WARDEN_NOTIFY_WEBHOOK_URL).`,
    );
  } else {
    say(`Starting Warden (Temporal dev server, worker, API) — the same as npm start…`);
    const launched = launchWarden(inbox);
    warden = launched.child;
    await untilReady(launched);
    say(`Warden is up at ${url}.`);
  }
  const key = await loadDevIssuerKey(config.dataDir);
  const token = (email: string, roles: ('admin' | 'approver' | 'security')[]) =>
    signDevToken(key, {
      email,
      roles,
      issuer: config.humans.issuer,
      audience: config.humans.audience,
      ttlSeconds: 3600,
    });
  const suffix = randomUUID().slice(0, 6);
  const people = { owner: 'olivia@example.com', security: 'sam@example.com' };
  const gql: Gql = async (query, variables, bearer) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  };

  say('');
  say('The supply-chain story from the design brief: an agent with weeks of honest work reads a poisoned invoice.');
  say('');
  const result = await runSupplyChainStory({
    wardenUrl: url,
    gql,
    tokens: {
      admin: await token('demo-admin@example.com', ['admin']),
      owner: await token(people.owner, ['approver']),
      security: await token(people.security, ['security', 'approver']),
    },
    people,
    ...(warden ? { securityInbox: inbox } : {}),
    ...(config.temporal.external
      ? {}
      : { ui: { url: `http://localhost:${config.temporal.dev.uiPort}`, namespace: config.temporal.namespace } }),
    suffix,
    interactive,
    open: openInBrowser,
    say,
  });
  await Promise.all([result.erp.close(), result.bank.close()]);
  const unchanged =
    result.ledgerAfter === result.ledgerBefore && !result.bank.ledger.some((t) => t.routingNumber === ATTACKER_ROUTING);
  // Only a person's approval (--interactive) may move money; then exactly the approved transfer must have gone.
  const approved = result.approval.status === 'APPROVED';
  const asDecided = approved ? result.ledgerAfter === result.ledgerBefore + 1 : unchanged;
  say('');
  if (!approved)
    say(
      unchanged
        ? 'The bank ledger is unchanged: not one dollar left for the attacker.'
        : 'THE LEDGER CHANGED — this is a bug; please report it.',
    );
  else
    say(
      asDecided
        ? 'A person approved the transfer, so exactly that transfer left; run the demo again and deny it.'
        : 'THE LEDGER DOES NOT MATCH THE APPROVAL — this is a bug; please report it.',
    );
  code = asDecided && result.attack.contained ? 0 : 1;
  if (warden && keep) {
    say(
      `Warden keeps running for the links above (Temporal UI http://localhost:${config.temporal.dev.uiPort}, GraphiQL ${url}/graphql); Ctrl-C stops it.`,
    );
    await new Promise<void>((resolve) => (keeping = resolve));
    keeping = null;
  }
  if (warden)
    say(
      `Stopping the Warden this demo started. Its state stays in ${path.relative(process.cwd(), config.dataDir) || '.'}/: \`npm start\` brings it back and the links above work again${keep ? '' : ' (or run `npm run demo -- --keep`)'}.`,
    );
} catch (err) {
  if (!finishing) console.error(`demo: ${(err as Error).message}`); // after Ctrl-C, the story just lost its Warden
}
await finish(code);
