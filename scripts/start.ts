/**
 * `npm start`: the whole platform on one machine — a Temporal dev server (unless TEMPORAL_ADDRESS points
 * at a cluster), one worker process and one API process — then seeds the people directory and prints
 * where everything is. Ctrl-C stops it all cleanly; state stays in the data folder for next time.
 */
import path from 'node:path';
import { loadApprovalPolicy } from '../api/approval-policy-file.js';
import { createServices } from '../api/services/index.js';
import { loadDevIssuerKey, signDevToken } from '../api/auth/dev-issuer.js';
import { loadConfig, PROJECT_ROOT } from '../config/config.js';
import { launchStack, type LaunchedStack } from '../launcher/stack.js';
import { seedPeople } from './seed-people.js';
import { ensureConsole } from './build-console.js';
import { stopOnSignal } from './stop-on-signal.js';

const say = (line: string) => console.log(`warden: ${line}`);
const config = loadConfig();
let stack: LaunchedStack | undefined;
const stopper = stopOnSignal(say, async () => stack?.stop());
const { stopAll } = stopper;

try {
  if (config.temporal.external)
    say(`using the Temporal cluster at ${config.temporal.address} (namespace ${config.temporal.namespace})`);
  // A mistake in the approval routing policy stops the start here, with the line, before anything runs.
  loadApprovalPolicy(config.enforcement.approvalPolicyFile, config.enforcement.approvalTimeoutMs);
  // The approvers' console the API serves: built on first start, and again when its sources change.
  await ensureConsole(config.console.dir, say);
  stack = await launchStack({
    env: process.env,
    devServer: config.temporal.external
      ? undefined
      : {
          dataDir: config.dataDir,
          dbFile: config.temporal.dev.dbFile,
          ip: config.temporal.dev.ip,
          port: config.temporal.dev.port,
          uiPort: config.temporal.dev.uiPort,
          logFile: path.join(config.dataDir, 'logs', 'temporal.log'),
          // The Web UI decodes encrypted payloads through the API's codec server.
          uiCodecEndpoint: `${config.api.publicUrl}/codec`,
        },
    output: () => 'inherit',
    onUnexpectedExit: (part, how) => {
      if (stopper.stopping) return;
      console.error(`warden: the ${part.name} exited unexpectedly (${how})`);
      void stopAll(1);
    },
    log: say,
  });
  const { client, devServer } = stack;
  if (stack.registered.length) say(`registered search attributes ${stack.registered.join(', ')}`);
  await Promise.all([stack.start('worker').ready, stack.start('api').ready]);

  const seeded = await seedPeople(createServices(client, config).people, config.peopleSeedFile);
  if (seeded.length)
    say(
      `added ${seeded.join(', ')} to the people directory (from ${path.relative(PROJECT_ROOT, config.peopleSeedFile)})`,
    );

  const graphql = `${config.api.publicUrl}/graphql`;
  say(`GraphQL      ${graphql}${config.production ? '' : '  (open it in a browser for GraphiQL)'}`);
  say(
    `Console      ${config.api.publicUrl}/console  (pending approvals${config.humans.jwksUrl ? '' : '; sign in as anyone in the people directory'})`,
  );
  // On the API's host name, so the UI and the codec server are one site (the codec session cookie is sent).
  if (devServer)
    say(`Temporal UI  ${devServer.uiUrl.replace('//127.0.0.1:', `//${new URL(config.api.publicUrl).hostname}:`)}`);
  say(
    `Temporal     ${config.temporal.address}  namespace ${config.temporal.namespace}  task queue ${config.temporal.taskQueue}`,
  );
  if (devServer) {
    say('WARNING: the embedded Temporal dev server has no authorization of its own: anything that can reach');
    say(
      `         ${config.temporal.address} can send it Updates, Signals, starts and terminations. Warden's workflows refuse`,
    );
    say('         any command without a statement Warden signed, but cannot stop a termination. Production runs on a');
    say('         cluster with Temporal\'s JWT authorizer (docs/security.md: "Locking down Temporal").');
  }
  if (!config.humans.jwksUrl) {
    // No roles claim: the token carries whatever roles the people directory gives alice (admin, approver).
    const token = await signDevToken(await loadDevIssuerKey(config.dataDir), {
      email: 'alice@example.com',
      issuer: config.humans.issuer,
      audience: config.humans.audience,
      ttlSeconds: 8 * 3600,
    });
    say(
      'a development token for alice@example.com (8 h; roles from the people directory; more with `npm run token -- --sub EMAIL`):',
    );
    console.log(`\n  Authorization: Bearer ${token}\n`);
    if (devServer)
      say(
        `to read payloads in the Temporal UI: open ${config.api.publicUrl}/codec/session, paste the token, and turn on "include cross-origin credentials" in the UI's codec settings.`,
      );
  }
  say('ready. Ctrl-C stops everything.');
} catch (err) {
  console.error(`warden: could not start: ${(err as Error).message}`);
  await stopAll(1);
}
