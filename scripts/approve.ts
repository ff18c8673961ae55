/**
 * `npm run approve -- <action id> [--deny] [--comment "…"] [--send]` — a person's decision on a held
 * action, for operators who work in the Temporal CLI rather than GraphQL.
 *
 * Warden signs the decision for the signed-in person (WARDEN_TOKEN: their bearer token) — their roles and
 * the agent's owner as the directory holds them now — and this prints the `temporal workflow update
 * execute` command that delivers it, through Warden's codec server (so the input is encrypted, as a
 * person's). With `--send` it runs that command itself. The action's workflow verifies the statement; it
 * works once, for this action and this decision, and expires in five minutes.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { findTemporalCli } from '../temporal/cli.js';

const usage = `usage: WARDEN_TOKEN=<your token> npm run approve -- <action id> [--deny] [--comment "why"] [--send]
  Prints the Temporal CLI command that delivers your signed decision (--send runs it).
  --deny needs a --comment (the reason).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    deny: { type: 'boolean', default: false },
    comment: { type: 'string', default: '' },
    send: { type: 'boolean', default: false },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || positionals.length !== 1) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const token = values.token ?? process.env.WARDEN_TOKEN;
if (!token) {
  console.error(`WARDEN_TOKEN (your bearer token) is required: Warden signs the decision as you.\n${usage}`);
  process.exit(2);
}
const config = loadConfig();
const actionId = positionals[0]!;

const res = await fetch(`${config.api.publicUrl}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({
    query: `mutation($i: ActionDecisionCommandInput!) { actionDecisionCommand(input: $i) { workflowId update input expiresAt } }`,
    variables: { i: { actionId, approve: !values.deny, comment: values.comment } },
  }),
});
const body = (await res.json()) as {
  data?: { actionDecisionCommand: { workflowId: string; update: string; input: unknown; expiresAt: string } };
  errors?: { message: string; extensions?: { code?: string } }[];
};
if (body.errors?.length || !body.data) {
  const e = body.errors?.[0];
  console.error(`Warden refused: ${e?.extensions?.code ?? `HTTP ${res.status}`}: ${e?.message ?? 'no answer'}`);
  process.exit(1);
}
const command = body.data.actionDecisionCommand;
const args = [
  'workflow',
  'update',
  'execute',
  '--address',
  config.temporal.address,
  '--namespace',
  config.temporal.namespace,
  '--workflow-id',
  command.workflowId,
  '--name',
  command.update,
  '--input',
  JSON.stringify(command.input),
  '--codec-endpoint',
  `${config.api.publicUrl}/codec`,
];
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
if (!values.send) {
  console.log(
    `# Your ${command.update === 'approveAction' ? 'approval' : 'denial'} of action ${actionId}, signed by Warden; valid once, until ${command.expiresAt}.`,
  );
  console.log(
    `# The codec server encodes it as yours (with your token; only admin and security can read answers back).`,
  );
  console.log(`temporal ${args.map(quote).join(' ')} --codec-auth "Bearer $WARDEN_TOKEN"`);
  process.exit(0);
}
const cli = findTemporalCli({ dataDir: config.dataDir, install: false });
if (!cli) {
  console.error(
    'No Temporal CLI found (TEMPORAL_CLI, `temporal` on PATH, or the one `npm start` installs); run without --send and use your own.',
  );
  process.exit(2);
}
const run = spawnSync(cli.path, [...args, '--codec-auth', `Bearer ${token}`], { encoding: 'utf8' });
// The CLI cannot show the answer to someone who may not read payloads (it stays encrypted for them), so
// what happened is read back from Warden: the decision counts if it is this person's.
const after = await fetch(`${config.api.publicUrl}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({
    query: `query($id: ID!) { viewer { email } actionRequest(id: $id) { status approval { decidedBy decision comment } } }`,
    variables: { id: actionId },
  }),
});
const seen = (
  (await after.json()) as {
    data?: {
      viewer?: { email?: string };
      actionRequest?: {
        status: string;
        approval: { decidedBy: string | null; decision: string | null; comment: string | null } | null;
      } | null;
    };
  }
).data;
const approval = seen?.actionRequest?.approval;
if (
  approval?.decidedBy &&
  approval.decidedBy === seen?.viewer?.email &&
  approval.decision === (values.deny ? 'DENY' : 'APPROVE')
) {
  console.log(
    `action ${actionId}: ${seen!.actionRequest!.status}, decided by ${approval.decidedBy}${approval.comment ? ` (${approval.comment})` : ''}`,
  );
  process.exit(0);
}
process.stdout.write(run.stdout ?? '');
process.stderr.write(run.stderr ?? '');
process.exit(run.status || 1);
