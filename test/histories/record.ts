/**
 * Records the workflow histories `test/replay.test.ts` replays: `npm run record:histories`.
 *
 * One deployment (the run's dev server, an in-process worker and API, the fixture codec key) lives through
 * every path of every workflow type — people, tools and their vaulted secret, signing keys, agents from
 * registration to decommissioning (routine work, credential rotation, suspension, transfer, logout, a
 * continue-as-new), sensitive actions allowed, approved after containment, denied, expired and hard-denied,
 * approved by a quorum after an escalation (a routing rule that only this path's amount matches), a person's
 * approvals delegated and taken back, a discovery sweep with a claim and a dismissal, the revocation
 * broadcast, and the audit trail — and then each workflow's history is written to
 * test/fixtures/histories/<tag>.<workflow>.<path>.json: `{ workflowId, runId, history }`, the history as
 * `temporal workflow show --output json` prints it (a history from anywhere can be added so).
 *
 * Record before a change that needs versioning (the tag names the version: `RECORD_TAG`, default the current
 * commit), keep the files, and `npm test` proves the changed workflows still replay them. The codec key
 * (test/fixtures/histories/codec-keys.txt) is made once and only ever used for these fixtures.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { person } from '../../services/commands.js';
import { PROJECT_ROOT } from '../../config/config.js';
import { generateKeySpec } from '../../vault/envelope.js';
import { revocationBroadcastWorkflowId } from '../../workflows/revocation-broadcast.js';
import { signingKeysWorkflowId, rotateSigningKeysUpdate } from '../../workflows/signing-keys.js';
import { startStaticKeyApi } from '../helpers/http-servers.js';
import { HISTORIES, HISTORIES_CODEC_KEYS, type RecordedHistory } from './fixtures.js';
import { eventually, startStack, type Stack } from '../helpers/stack.js';

const tag =
  process.env.RECORD_TAG ??
  execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();

/** The fixtures' codec key: made on the first recording, then reused so every recorded history decodes. */
function fixtureCodecKeys(): string {
  if (!fs.existsSync(HISTORIES_CODEC_KEYS)) {
    fs.mkdirSync(HISTORIES, { recursive: true });
    fs.writeFileSync(HISTORIES_CODEC_KEYS, `${generateKeySpec('histories-codec')}\n`);
  }
  return fs.readFileSync(HISTORIES_CODEC_KEYS, 'utf8').trim();
}

let stack: Stack;
let upstream: Awaited<ReturnType<typeof startStaticKeyApi>>;
const recorded: { name: string; workflowId: string; runId?: string }[] = [];

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(inject('runDir'), 'histories-'));
  const sources = path.join(dir, 'discovery-sources.json');
  fs.writeFileSync(
    sources,
    JSON.stringify({
      rules: { ownerEmailDomain: 'example.com' },
      sources: [
        {
          name: 'mcp',
          type: 'mcp-configs',
          root: path.join(PROJECT_ROOT, 'test', 'fixtures', 'discovery', 'mcp'),
          observedAt: '2024-05-08T09:00:00.000Z',
        },
      ],
    }),
  );
  upstream = await startStaticKeyApi('sk-live-initial-fixture-secret');
  stack = await startStack({
    env: {
      WARDEN_CODEC_KEYS: fixtureCodecKeys(),
      WARDEN_CONTINUE_AS_NEW_AFTER_EVENTS: '150',
      WARDEN_APPROVAL_TIMEOUT: '20s',
      WARDEN_DISCOVERY_SOURCES: sources,
      WARDEN_APPROVAL_POLICY: routingPolicy(),
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await upstream?.close();
});

/** The recording's approval routing: the usual one approval, and a quorum with an escalation for one amount. */
function routingPolicy(): string {
  const file = path.join(inject('runDir'), `record-approval-policy-${process.pid}.yaml`);
  fs.writeFileSync(
    file,
    `version: 1
rules:
  - name: quorum-escalating
    match: { amount: { atLeast: ${QUORUM_AMOUNT}, below: ${QUORUM_AMOUNT + 1} } }
    deciders: [owner]
    approvals: 2
    mustInclude: [security]
    ownerMayApproveAlone: false
    escalate:
      - after: 2s
        to: [security]
    deadline: 10m
default:
  deciders: [owner, security]
`,
  );
  return file;
}
const QUORUM_AMOUNT = 777_777;

/** An agent's access token, fresh each time (containment revokes the ones before). */
async function agentToken(agentId: string, privateJwk: JWK): Promise<string> {
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid as string })
    .setIssuer(agentId)
    .setSubject(agentId)
    .setAudience(stack.config.credentials.tokenEndpoint)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(crypto.randomUUID())
    .sign(await importJWK(privateJwk, 'ES256'));
  const res = await fetch(`${stack.api.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  const body = (await res.json()) as { access_token?: string; error_description?: string };
  if (!body.access_token) throw new Error(`no token for agent ${agentId}: ${body.error_description}`);
  return body.access_token;
}

async function ok<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const res = await stack.gql<T>(query, variables, token);
  expect(res.errors, `${query.slice(0, 80)}: ${JSON.stringify(res.errors)}`).toBeUndefined();
  return res.data as T;
}

const REQUEST = `mutation($i: RequestActionInput!) { requestAction(input: $i) { action { id status } } }`;
const REGISTER = `mutation($i: RegisterAgentInput!) { registerAgent(input: $i) { agent { id } credential { privateJwk } } }`;
/** Decisions pinned by policy, so each path is taken on purpose: CRITICAL is held; export contains too. */
const POLICY = {
  thresholds: {
    LOW: { review: 1000, contain: 1000 },
    MEDIUM: { review: 1000, contain: 1000 },
    HIGH: { review: 0, contain: 0 },
    CRITICAL: { review: 0, contain: 1000 },
  },
  rules: { denyOperations: [] as string[], containOnHardDeny: true },
};

it('records every workflow type through its paths', async () => {
  const t = stack.tag;
  const admin = await stack.token(`admin-${t}@example.com`, ['admin']);
  const security = await stack.token(`security-${t}@example.com`, ['security']);
  const owner = `owner-${t}@example.com`;
  const heir = `heir-${t}@example.com`;
  for (const email of [owner, heir])
    await ok(
      `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
      { i: { email, displayName: email.split('@')[0], roles: ['APPROVER'] } },
      admin,
    );
  const ownerToken = await stack.token(owner, ['approver']);
  recorded.push({ name: 'person.upserted', workflowId: `person:${owner}` });
  // The heir hands their approvals to the owner for a day, and takes them back.
  const heirToken = await stack.token(heir, ['approver']);
  const until = new Date(Date.now() + 86_400_000).toISOString();
  await ok(
    `mutation($i: DelegateApprovalsInput!) { delegateApprovals(input: $i) { delegations { to } } }`,
    { i: { to: owner, until, reason: 'recording' } },
    heirToken,
  );
  await ok(
    `mutation($i: EndDelegationInput!) { endDelegation(input: $i) { delegations { to } } }`,
    { i: { to: owner } },
    heirToken,
  );
  recorded.push({ name: 'person.delegated', workflowId: `person:${heir}` });

  // Tools: one verifying Warden's grants, one behind the gateway with a vaulted, rotated secret.
  const crm = `crm-${t}`;
  const bank = `bank-${t}`;
  await ok(
    `mutation($i: RegisterToolInput!) { registerTool(input: $i) { tool { name } } }`,
    {
      i: {
        name: crm,
        resource: `https://${crm}.example.com/api/`,
        authMode: 'WARDEN_JWT',
        operations: [
          { name: 'update_ticket', sensitivity: 'LOW' },
          { name: 'read_customer', sensitivity: 'MEDIUM' },
          { name: 'export_customers', sensitivity: 'HIGH' },
          { name: 'delete_customers', sensitivity: 'CRITICAL' },
          { name: 'merge_customers', sensitivity: 'CRITICAL' },
        ],
      },
    },
    admin,
  );
  recorded.push({ name: 'tool.warden-jwt', workflowId: `tool:${crm}` });
  await ok(
    `mutation($i: RegisterToolInput!) { registerTool(input: $i) { tool { name } } }`,
    {
      i: {
        name: bank,
        authMode: 'VAULTED_SECRET',
        upstreamUrl: upstream.url,
        secret: 'sk-live-initial-fixture-secret',
        rotationUrl: `${upstream.url}/keys`,
        operations: [{ name: 'read_balance', sensitivity: 'MEDIUM', method: 'GET', path: '/accounts/*' }],
      },
    },
    admin,
  );
  await ok(`mutation($n: String!) { rotateToolSecret(tool: $n) { name } }`, { n: bank }, admin);
  recorded.push({ name: 'tool.vaulted-secret-rotated', workflowId: `tool:${bank}` });

  const register = async (name: string, operations: string[]) => {
    const data = await ok(
      REGISTER,
      { i: { name, ownerEmail: owner, platform: 'custom', allowedTools: [{ tool: crm, operations }] } },
      admin,
    );
    const id = data.registerAgent.agent.id as string;
    await ok(
      `mutation($id: ID!, $p: JSON) { setAgentRiskPolicy(input: { agentId: $id, policy: $p }) }`,
      { id, p: POLICY },
      admin,
    );
    return { id, privateJwk: data.registerAgent.credential.privateJwk as JWK };
  };
  const act = async (agent: { id: string; privateJwk: JWK }, operation: string, key: string, amount = 0) => {
    const token = await agentToken(agent.id, agent.privateJwk);
    const res = await stack.gql<any>(
      REQUEST,
      { i: { tool: crm, operation, volume: 1, amount, idempotencyKey: `${key}-${t}`, justification: 'recording' } },
      token,
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data.requestAction.action as { id: string; status: string };
  };

  // The busy agent: routine work until its history rolls over, then every command an agent can get.
  const busy = await register('Busy agent', ['update_ticket', 'read_customer']);
  for (let i = 0; i < 40; i++) expect((await act(busy, 'update_ticket', `routine-${i}`)).status).toBe('ALLOWED');
  const allowed = await act(busy, 'read_customer', 'sensitive-allowed');
  expect(allowed.status).toBe('ALLOWED');
  recorded.push({ name: 'action.allowed', workflowId: `action:${allowed.id}` });
  const denied = await act(busy, 'delete_customers', 'held-denied');
  expect(denied.status).toBe('PENDING_APPROVAL');
  await ok(
    `mutation($i: DenyActionInput!) { denyAction(input: $i) { action { status } } }`,
    { i: { actionId: denied.id, reason: 'not today' } },
    security,
  );
  recorded.push({ name: 'action.denied', workflowId: `action:${denied.id}` });
  const expiring = await act(busy, 'merge_customers', 'held-expired');
  expect(expiring.status).toBe('PENDING_APPROVAL');
  recorded.push({ name: 'action.expired', workflowId: `action:${expiring.id}` });
  // A quorum: the owner votes, the action escalates to security, security completes it.
  const quorum = await act(busy, 'merge_customers', 'held-quorum', QUORUM_AMOUNT);
  expect(quorum.status).toBe('PENDING_APPROVAL');
  const APPROVE = `mutation($i: ApproveActionInput!) { approveAction(input: $i) { action { status approval { escalationLevel } } } }`;
  const first = await ok(APPROVE, { i: { actionId: quorum.id, comment: 'mine' } }, ownerToken);
  expect(first.approveAction.action.status).toBe('PENDING_APPROVAL');
  await eventually(async () => {
    const res = await stack.gql<any>(
      `query($id: ID!) { actionRequest(id: $id) { approval { escalationLevel } } }`,
      { id: quorum.id },
      security,
    );
    return res.data?.actionRequest?.approval.escalationLevel === 1;
  });
  const second = await ok(APPROVE, { i: { actionId: quorum.id, comment: 'checked' } }, security);
  expect(second.approveAction.action.status).toBe('APPROVED');
  recorded.push({ name: 'action.quorum-escalated', workflowId: `action:${quorum.id}` });

  await ok(
    `mutation($i: SetAgentAllowedToolsInput!) { setAgentAllowedTools(input: $i) { agent { id } } }`,
    {
      i: {
        agentId: busy.id,
        tools: [{ tool: crm, operations: ['update_ticket', 'read_customer', 'merge_customers'] }],
      },
    },
    admin,
  );
  await ok(
    `mutation($i: RotateAgentCredentialInput!) { rotateAgentCredential(input: $i) { agent { id } } }`,
    { i: { agentId: busy.id } },
    admin,
  );
  const collected = await ok(
    `mutation { collectCredentialSuccessor { privateJwk } }`,
    {},
    await agentToken(busy.id, busy.privateJwk),
  );
  const successor = { id: busy.id, privateJwk: collected.collectCredentialSuccessor.privateJwk as JWK };
  const successorToken = await agentToken(successor.id, successor.privateJwk);
  const revoked = await fetch(`${stack.api.url}/oauth/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${successorToken}` },
    body: new URLSearchParams({ token: successorToken }),
  });
  expect(revoked.status).toBe(200);
  await ok(
    `mutation($i: SuspendAgentInput!) { suspendAgent(input: $i) { agent { status } } }`,
    { i: { agentId: busy.id, reason: 'a pause for the recording', revokeTokens: false } },
    admin,
  );
  await ok(
    `mutation($i: AgentStatusChangeInput!) { resumeAgent(input: $i) { agent { status } } }`,
    { i: { agentId: busy.id, reason: 'back to work' } },
    admin,
  );
  await ok(
    `mutation($i: TransferAgentOwnershipInput!) { transferAgentOwnership(input: $i) { agent { id } } }`,
    { i: { agentId: busy.id, ownerEmail: heir, reason: 'team change' } },
    admin,
  );
  await ok(
    `mutation($i: AgentStatusChangeInput!) { universalLogout(input: $i) { revokedAt } }`,
    { i: { agentId: busy.id, reason: 'suspected leak' } },
    security,
  );
  recorded.push({ name: 'agent.busy', workflowId: `agent:${busy.id}` });

  // Held above the containment threshold: contained, then approved (which resumes it).
  const contained = await register('Contained agent', ['update_ticket']);
  const exporting = await act(contained, 'export_customers', 'held-contained');
  expect(exporting.status).toBe('PENDING_APPROVAL');
  await ok(
    `mutation($i: ApproveActionInput!) { approveAction(input: $i) { action { status } } }`,
    { i: { actionId: exporting.id, comment: 'expected' } },
    ownerToken,
  );
  recorded.push({ name: 'action.contained-approved', workflowId: `action:${exporting.id}` });
  recorded.push({ name: 'agent.contained-resumed', workflowId: `agent:${contained.id}` });

  // A hard rule denies and contains at once; the agent is then retired.
  const reckless = await register('Reckless agent', ['update_ticket']);
  await ok(
    `mutation($id: ID!, $p: JSON) { setAgentRiskPolicy(input: { agentId: $id, policy: $p }) }`,
    { id: reckless.id, p: { ...POLICY, rules: { ...POLICY.rules, denyOperations: [`${crm}:delete_customers`] } } },
    admin,
  );
  const hardDenied = await act(reckless, 'delete_customers', 'hard-deny');
  expect(hardDenied.status).toBe('DENIED');
  recorded.push({ name: 'action.hard-denied', workflowId: `action:${hardDenied.id}` });
  await ok(
    `mutation($i: AgentStatusChangeInput!) { decommissionAgent(input: $i) { agent { status } } }`,
    { i: { agentId: reckless.id, reason: 'retired' } },
    admin,
  );
  recorded.push({ name: 'agent.decommissioned', workflowId: `agent:${reckless.id}` });

  // Discovery: a sweep, a claim and a dismissal.
  const sweep = await ok(`mutation { runDiscoverySweep { sweep { id } } }`, {}, admin);
  const sweepId = sweep.runDiscoverySweep.sweep.id as string;
  const done = await eventually(async () => {
    const data = await ok(
      `query($id: ID!) { discoverySweep(id: $id) { status newAgents { agentId } } }`,
      { id: sweepId },
      admin,
    );
    return data.discoverySweep.status !== 'RUNNING' && data.discoverySweep;
  }, 60_000);
  expect(done.newAgents.length).toBeGreaterThan(1);
  // A sweep's id is its workflow id and run id (the schedule starts every sweep under one workflow id).
  const slash = sweepId.lastIndexOf('/');
  recorded.push({ name: 'discovery-sweep', workflowId: sweepId.slice(0, slash), runId: sweepId.slice(slash + 1) });
  const [claimed, dismissed] = done.newAgents.map((a: { agentId: string }) => a.agentId) as [string, string];
  await ok(
    `mutation($i: ClaimAgentInput!) { claimAgent(input: $i) { agent { id } } }`,
    { i: { agentId: claimed, ownerEmail: owner, allowedTools: [{ tool: crm, operations: ['update_ticket'] }] } },
    admin,
  );
  recorded.push({ name: 'agent.discovered-claimed', workflowId: `agent:${claimed}` });
  const findings = await ok(`query($id: ID!) { agent(id: $id) { findings { id } } }`, { id: dismissed }, admin);
  await ok(
    `mutation($i: DismissFindingInput!) { dismissFinding(input: $i) { finding { id } } }`,
    { i: { findingId: findings.agent.findings[0].id, reason: 'a sanctioned tool' } },
    admin,
  );
  recorded.push({ name: 'agent.discovered-dismissed', workflowId: `agent:${dismissed}` });

  // Warden's signing keys, rotated by an admin's command.
  const keysId = signingKeysWorkflowId(stack.config.temporal.taskQueue);
  await stack.api.services.commands.send(
    keysId,
    rotateSigningKeysUpdate,
    {},
    person(`admin-${t}@example.com`, ['admin']),
  );
  recorded.push({ name: 'signing-keys.rotated', workflowId: keysId });

  // The revocation broadcast: the containment and the changes above announced, the API listening.
  recorded.push({ name: 'revocations', workflowId: revocationBroadcastWorkflowId(stack.config.temporal.taskQueue) });

  // The held action expires, the agents' audit batches flush: then the audit trail has seen it all.
  await eventually(async () => {
    const data = await ok(`query($id: ID!) { actionRequest(id: $id) { status } }`, { id: expiring.id }, security);
    return data.actionRequest.status === 'EXPIRED';
  }, 60_000);
  await new Promise((r) => setTimeout(r, 7_000));
  recorded.push({ name: 'audit-trail', workflowId: `warden-audit:${stack.config.temporal.taskQueue}` });

  await write(stack.client);
}, 300_000);

/** Every run of each recorded workflow (a continued-as-new agent has several), one file per run. */
async function write(client: Client): Promise<void> {
  for (const { name, workflowId, runId: only } of recorded) {
    const runs: string[] = [];
    if (only) runs.push(only);
    else
      for await (const info of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(info.runId);
    expect(runs.length, `${workflowId} has runs`).toBeGreaterThan(0);
    // Oldest first (visibility lists newest first).
    for (const [i, runId] of runs.reverse().entries()) {
      // As the Temporal CLI exports it (the JSON form the SDK's replayer reads), payloads still encrypted.
      const json = execFileSync(
        inject('temporalCli'),
        ['workflow', 'show', '--workflow-id', workflowId, '--run-id', runId, '--output', 'json'],
        { encoding: 'utf8', env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress') } },
      );
      const history = JSON.parse(json) as RecordedHistory['history'];
      // The replayer needs the workflow id too (Warden's workflows check it): it is not in the history.
      const recording: RecordedHistory = { workflowId, runId, history };
      const suffix = runs.length > 1 ? `.run-${i + 1}` : '';
      const file = path.join(HISTORIES, `${tag}.${name}${suffix}.json`);
      fs.writeFileSync(file, `${JSON.stringify(recording)}\n`);
      console.log(`recorded ${path.relative(PROJECT_ROOT, file)} (${history.events.length} events)`);
    }
  }
}
