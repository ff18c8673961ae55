/**
 * Discovery sweeps on the real Temporal server: the sweep workflow reads the fixture sources (files in
 * their real formats, Vertex AI and Bedrock as local HTTP servers in the documented shapes), reconciles
 * findings into the directory, notifies security once per new shadow agent, honours dismissals, and a
 * claimed agent gets a working credential. The schedule owns every sweep (overlap: skip).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveryScheduleId } from '../services/discovery-schedule.js';
import {
  allFindings,
  CLOUD_ENV,
  PLANTED_FINGERPRINTS,
  PLANTED_SECRETS,
  runSweep,
  startBedrock,
  startVertex,
  sweepUntilDone,
  writeSourcesFile,
  type CloudServer,
} from './helpers/discovery.js';
import { startReceiver } from './helpers/http-servers.js';
import { startMcpUpstream } from './helpers/mcp-upstream.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

let stack: Stack;
let admin: string;
let security: string;
let vertex: CloudServer;
let bedrock: Awaited<ReturnType<typeof startBedrock>>;
let webhook: Awaited<ReturnType<typeof startReceiver>>;
let firstSweep: any;
let sourcesFile: string;

const notifications = () =>
  webhook.received.map((r) => JSON.parse(r.body) as { type: string; subject: string; text: string; agentId: string });
const shadowAlerts = () => notifications().filter((n) => n.subject.startsWith('Shadow agent discovered'));

beforeAll(async () => {
  Object.assign(process.env, CLOUD_ENV);
  vertex = await startVertex();
  bedrock = await startBedrock();
  webhook = await startReceiver();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-discovery-'));
  const sources = writeSourcesFile(dir, { vertexUrl: vertex.url, bedrockUrl: bedrock.url });
  sourcesFile = sources;
  stack = await startStack({
    env: {
      WARDEN_DISCOVERY_SOURCES: sources,
      WARDEN_DISCOVERY_INTERVAL: '12h',
      WARDEN_NOTIFY_WEBHOOK_URL: webhook.url,
    },
  });
  admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
  security = await stack.token(`sec-${stack.tag}@example.com`, ['security']);
  for (const email of ['olivia@example.com', 'sam@example.com']) {
    const r = await stack.gql(
      `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
      { i: { email, displayName: email, roles: [] } },
      admin,
    );
    expect(r.errors).toBeUndefined();
  }
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([vertex?.close(), bedrock?.close(), webhook?.close()]);
});

describe('a sweep over the fixture set', () => {
  it('finds exactly the planted shadow agents, reports each source, and notifies security once per agent', async () => {
    const { id, started } = await runSweep(stack.gql, security);
    expect(started).toBe(true);
    firstSweep = await sweepUntilDone(stack.gql, security, id);
    expect(firstSweep.status).toBe('COMPLETED');

    const row = (name: string) => firstSweep.sources.find((s: any) => s.name === name);
    expect(firstSweep.sources.map((s: any) => [s.name, s.state, s.findings])).toEqual([
      ['zeek', 'DONE', 4],
      ['squid', 'DONE', 4],
      ['osquery', 'DONE', 6],
      ['mcp', 'DONE', 5],
      ['vertex', 'DONE', 3],
      ['bedrock', 'DONE', 2],
    ]);
    // Bad input is counted on the sweep, never a finding (fixtures README: malformed per file).
    expect(row('zeek').malformed).toBe(8);
    expect(row('squid').malformed).toBe(4);
    expect(row('osquery').malformed).toBe(4);
    expect(row('mcp').malformed).toBe(2);
    expect(row('vertex').malformed).toBe(1);
    expect(row('bedrock').malformed).toBe(1);
    expect(row('mcp').errors.join(' ')).toMatch(/claude_desktop_config\.json/);
    expect(row('osquery').covers).toEqual(['BROWSER', 'ENDPOINT']);

    // 24 findings, 22 distinct agents: each new agent listed once however many sources saw it.
    expect(firstSweep.findings).toBe(24);
    expect(firstSweep.newAgents.map((a: any) => a.name)).toHaveLength(22);
    expect(firstSweep.newAgentCount).toBe(22);
    expect(new Set(firstSweep.newAgents.map((a: any) => a.agentId)).size).toBe(22);

    const findings = await eventually(async () => {
      const f = await allFindings(stack.gql, security);
      return f.length === 24 ? f : undefined;
    });
    expect([...new Set(findings.map((f) => f.fingerprint))].sort()).toEqual(PLANTED_FINGERPRINTS);
    expect(new Set(findings.map((f) => f.agentId)).size).toBe(22);

    // Exactly one security alert per new shadow agent.
    await eventually(async () => shadowAlerts().length >= 22);
    expect(shadowAlerts().length).toBe(22);
    expect(new Set(shadowAlerts().map((n) => n.agentId)).size).toBe(22);
    expect(shadowAlerts().every((n) => n.type === 'warden.security')).toBe(true);

    // Secrets never leave a sweep: not in findings, not in notifications.
    const everything = JSON.stringify([findings, webhook.received, firstSweep]);
    for (const s of PLANTED_SECRETS) expect(everything).not.toContain(s.slice(0, 16));
  });

  it('one agent seen through two sources is one DISCOVERED directory entry carrying both pieces of evidence', async () => {
    const findings = await allFindings(stack.gql, security);
    const runner = findings.filter((f) => f.fingerprint === 'net:build-runner-3');
    expect(runner.map((f) => f.sourceName).sort()).toEqual(['squid', 'zeek']);
    expect(new Set(runner.map((f) => f.agentId)).size).toBe(1);

    const github = findings.filter(
      (f) => f.fingerprint === 'mcp:alice-mbp:alice:npm:@modelcontextprotocol/server-github',
    );
    expect(github.map((f) => f.sourceName).sort()).toEqual(['mcp', 'osquery']);

    const res = await stack.gql<any>(
      `query($id: ID!) { agent(id: $id) { id status owner { email } proposedOwnerEmail lastSeenAt platform findings { sourceName source kind evidence { key value } } } }`,
      { id: github[0].agentId },
      admin,
    );
    expect(res.errors).toBeUndefined();
    const agent = res.data.agent;
    expect(agent).toMatchObject({ status: 'DISCOVERED', owner: null, proposedOwnerEmail: 'alice@example.com' });
    expect(agent.findings.map((f: any) => f.sourceName).sort()).toEqual(['mcp', 'osquery']);
    const evidenceOf = (name: string) =>
      Object.fromEntries(
        agent.findings.find((f: any) => f.sourceName === name).evidence.map((e: any) => [e.key, e.value]),
      );
    expect(evidenceOf('osquery').commandLine).toMatch(/server-github/);
    expect(evidenceOf('mcp').configFiles ?? evidenceOf('mcp').clients).toBeTruthy();
    expect(Date.parse(agent.lastSeenAt)).toBeGreaterThan(0);

    // Findings filter by source and agent.
    const cloud = await allFindings(stack.gql, security, { source: 'CLOUD' });
    expect(cloud.map((f) => f.fingerprint).sort()).toEqual(
      PLANTED_FINGERPRINTS.filter((f) => f.startsWith('vertex:') || f.startsWith('bedrock:')),
    );
    const one = await allFindings(stack.gql, security, { agentId: github[0].agentId });
    expect(one).toHaveLength(2);
    const engine = cloud.find((f) => f.fingerprint.endsWith('/1234567890123456789'));
    expect(engine).toMatchObject({
      agentName: 'invoice-triage',
      proposedOwnerEmail: 'olivia@example.com',
      platform: 'vertex-ai',
    });
  });

  it('the next sweep adds no agent and no alert; cloud agents get a later last-seen', async () => {
    const before = await allFindings(stack.gql, security, { source: 'CLOUD' });
    const alerts = notifications().length;
    const { id } = await runSweep(stack.gql, security);
    expect(id).not.toBe(firstSweep.id);
    const sweep = await sweepUntilDone(stack.gql, security, id);
    expect(sweep).toMatchObject({ status: 'COMPLETED', newAgentCount: 0, findings: 24 });
    expect(sweep.sources.reduce((n: number, s: any) => n + s.knownAgents, 0)).toBe(24);
    const after = await allFindings(stack.gql, security, { source: 'CLOUD' });
    for (const f of after)
      expect(Date.parse(f.lastSeen)).toBeGreaterThan(Date.parse(before.find((b) => b.id === f.id).lastSeen));
    expect((await allFindings(stack.gql, security)).length).toBe(24);
    expect(notifications().length).toBe(alerts);

    const list = await stack.gql<any>(
      `{ discoverySweeps(first: 10) { edges { node { id status newAgentCount } } } }`,
      {},
      security,
    );
    expect(list.errors).toBeUndefined();
    expect(list.data.discoverySweeps.edges.map((e: any) => e.node.id)).toEqual(
      expect.arrayContaining([firstSweep.id, id]),
    );
  });
});

describe('dismissing a finding', () => {
  it('is refused without a reason, for an unknown finding, twice, or by a non-admin', async () => {
    const [f] = await allFindings(stack.gql, security, { source: 'BROWSER' });
    const dismiss = (findingId: string, reason: string, token = admin) =>
      stack.gql<any>(
        `mutation($i: DismissFindingInput!) { dismissFinding(input: $i) { finding { id dismissal { by reason } } } }`,
        { i: { findingId, reason } },
        token,
      );
    expect((await dismiss(f.id, '   ')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await dismiss(`${f.agentId}.nosuchsource.ai-extension`, 'x')).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
    expect((await dismiss('not-a-finding', 'x')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const owner = await stack.token('alice@example.com', []);
    expect((await dismiss(f.id, 'fine', owner)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await allFindings(stack.gql, security, { source: 'BROWSER' })).find((x) => x.id === f.id).dismissal,
    ).toBeNull();
  });

  it('is not raised again while the evidence is unchanged, and is raised again when it changes', async () => {
    const target = (await allFindings(stack.gql, security, { source: 'CLOUD' })).find(
      (f) => f.fingerprint === 'bedrock:us-east-1:ZX98YW76VU',
    );
    const res = await stack.gql<any>(
      `mutation($i: DismissFindingInput!) { dismissFinding(input: $i) { finding { id dismissal { by reason } } } }`,
      { i: { findingId: target.id, reason: 'sandbox agent of the treasury team, reviewed' } },
      security,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.dismissFinding.finding.dismissal).toEqual({
      by: `sec-${stack.tag}@example.com`,
      reason: 'sandbox agent of the treasury team, reviewed',
    });
    const again = await stack.gql<any>(
      `mutation($i: DismissFindingInput!) { dismissFinding(input: $i) { finding { id } } }`,
      { i: { findingId: target.id, reason: 'twice' } },
      security,
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await eventually(
      async () => !(await allFindings(stack.gql, security, { source: 'CLOUD' })).some((f) => f.id === target.id),
    );
    expect(
      (await allFindings(stack.gql, security, { source: 'CLOUD', includeDismissed: true })).some(
        (f) => f.id === target.id,
      ),
    ).toBe(true);

    // Same evidence: recorded, not raised.
    const alerts = notifications().length;
    let sweep = await sweepUntilDone(stack.gql, security, (await runSweep(stack.gql, security)).id);
    expect(sweep.sources.find((s: any) => s.name === 'bedrock').dismissed).toBe(1);
    expect((await allFindings(stack.gql, security, { source: 'CLOUD' })).some((f) => f.id === target.id)).toBe(false);
    expect(notifications().length).toBe(alerts);

    // The agent is now prepared with a new version: the evidence changed, so it is raised again.
    bedrock.state.page2 = {
      agentSummaries: [{ ...bedrock.state.page2.agentSummaries[0], agentStatus: 'PREPARED', latestAgentVersion: '3' }],
    };
    sweep = await sweepUntilDone(stack.gql, security, (await runSweep(stack.gql, security)).id);
    expect(sweep.newAgentCount).toBe(0);
    const raised = await eventually(async () =>
      (await allFindings(stack.gql, security, { source: 'CLOUD' })).find((f) => f.id === target.id),
    );
    expect(raised.dismissal).toBeNull();
    expect(Object.fromEntries(raised.evidence.map((e: any) => [e.key, e.value]))).toMatchObject({
      agentStatus: 'PREPARED',
      latestAgentVersion: '3',
    });
    await eventually(async () => notifications().length > alerts);
    expect(
      notifications().filter(
        (n) => n.subject.startsWith('Dismissed finding raised again') && n.agentId === target.agentId,
      ),
    ).toHaveLength(1);
  });
});

describe('claiming a discovered agent', () => {
  it('makes it ACTIVE with an owner, allowed tools and a credential that works at the token endpoint', async () => {
    const engine = (await allFindings(stack.gql, security, { source: 'CLOUD' })).find(
      (f) => f.agentName === 'invoice-triage',
    );
    const claim = (input: Record<string, unknown>, token = admin) =>
      stack.gql<any>(
        `mutation($i: ClaimAgentInput!) { claimAgent(input: $i) { agent { id status owner { email } allowedTools { tool } proposedOwnerEmail events { kind } } credential { clientId kid privateJwk } } }`,
        { i: input },
        token,
      );
    // Bad input changes nothing.
    expect(
      (await claim({ agentId: engine.agentId, ownerEmail: 'nobody@example.com', allowedTools: [] })).errors?.[0]
        ?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
    expect(
      (
        await claim({
          agentId: engine.agentId,
          ownerEmail: 'olivia@example.com',
          allowedTools: [{ tool: 'no-such-tool', operations: ['x'] }],
        })
      ).errors?.[0]?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
    expect(
      (await claim({ agentId: engine.agentId, ownerEmail: 'olivia@example.com', allowedTools: [] }, security))
        .errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await claim({
          agentId: '00000000-0000-4000-8000-000000000000',
          ownerEmail: 'olivia@example.com',
          allowedTools: [],
        })
      ).errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');

    const res = await claim({
      agentId: engine.agentId,
      ownerEmail: 'olivia@example.com',
      allowedTools: [],
      reason: 'invoice triage belongs to finance ops',
    });
    expect(res.errors).toBeUndefined();
    const { agent, credential } = res.data.claimAgent;
    expect(agent).toMatchObject({
      id: engine.agentId,
      status: 'ACTIVE',
      owner: { email: 'olivia@example.com' },
      proposedOwnerEmail: 'olivia@example.com',
    });
    expect(agent.events.map((e: any) => e.kind)).toEqual(['DISCOVERED', 'CLAIMED']);
    expect(credential.clientId).toBe(engine.agentId);
    expect(
      (await claim({ agentId: engine.agentId, ownerEmail: 'olivia@example.com', allowedTools: [] })).errors?.[0]
        ?.extensions?.code,
    ).toBe('CONFLICT');

    // The credential flow applies from now on: a private_key_jwt client assertion gets an access token.
    const jwk = credential.privateJwk as JWK;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid as string })
      .setIssuer(agent.id)
      .setSubject(agent.id)
      .setAudience(stack.config.credentials.tokenEndpoint)
      .setIssuedAt()
      .setExpirationTime('60s')
      .setJti(crypto.randomUUID())
      .sign(await importJWK(jwk, 'ES256'));
    const tokenRes = await fetch(`${stack.api.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    expect(tokenRes.status).toBe(200);
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const me = await stack.gql<any>(`{ agent(id: "${agent.id}") { id status } }`, {}, access_token);
    expect(me.data?.agent).toEqual({ id: agent.id, status: 'ACTIVE' });
    await eventually(async () =>
      notifications().some(
        (n) => n.type === 'warden.agent' && n.agentId === agent.id && n.subject === 'You now own agent invoice-triage',
      ),
    );

    // Seen again by the next sweep: it just gets a later last-seen, stays ACTIVE, and raises no alert.
    const alerts = notifications().length;
    await sweepUntilDone(stack.gql, security, (await runSweep(stack.gql, security)).id);
    const after = await stack.gql<any>(
      `query($id: ID!) { agent(id: $id) { status lastSeenAt owner { email } } }`,
      { id: agent.id },
      admin,
    );
    expect(after.data.agent).toMatchObject({ status: 'ACTIVE', owner: { email: 'olivia@example.com' } });
    expect(Date.parse(after.data.agent.lastSeenAt)).toBeGreaterThan(Date.parse(engine.lastSeen));
    expect(notifications().length).toBe(alerts);
  });
});

describe('moving shadow MCP use behind Warden', () => {
  it('registers the MCP server a finding names as an MCP tool and marks the finding handled; a local (stdio) one needs its URL', async () => {
    const upstream = await startMcpUpstream([
      { name: 'list_issues', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } },
    ]);
    try {
      const findings = await allFindings(stack.gql, security, { source: 'ENDPOINT' });
      const remote = findings.find((f) => f.fingerprint === 'mcp:alice-mbp:alice:url:mcp.linear.app/sse');
      const local = findings.find(
        (f) => f.fingerprint === 'mcp:alice-mbp:alice:npm:@modelcontextprotocol/server-github',
      );
      const register = (input: Record<string, unknown>, token = admin) =>
        stack.gql<any>(
          `mutation($i: RegisterToolFromFindingInput!) { registerToolFromFinding(input: $i) { tool { name authMode mcp { endpoint pinned { name } } } } }`,
          { i: { upstreamAuth: 'NONE', ...input } },
          token,
        );
      const stdio = await register({ findingId: local.id, name: `github-${stack.tag}` });
      expect(stdio.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(stdio.errors?.[0]?.message).toMatch(/runs as a local process .*give upstreamUrl/);
      expect(
        (await register({ findingId: remote.id, name: `linear-${stack.tag}` }, security)).errors?.[0]?.extensions?.code,
      ).toBe('FORBIDDEN');

      // The finding's own URL (mcp.linear.app) is out of reach here: the admin points Warden at a local one.
      const moved = await register({ findingId: remote.id, name: `linear-${stack.tag}`, upstreamUrl: upstream.url });
      expect(moved.errors).toBeUndefined();
      expect(moved.data.registerToolFromFinding.tool).toMatchObject({
        authMode: 'MCP',
        mcp: { endpoint: `${stack.config.api.publicUrl}/mcp/linear-${stack.tag}`, pinned: [{ name: 'list_issues' }] },
      });
      const after = (await allFindings(stack.gql, security, { source: 'ENDPOINT', includeDismissed: true })).find(
        (f) => f.id === remote.id,
      );
      expect(after.dismissal.reason).toMatch(/Moved behind Warden: registered as MCP tool linear-/);
    } finally {
      await upstream.close();
    }
  });
});

describe('the schedule and bad input', () => {
  it('runs on a Temporal Schedule with the configured interval and overlap SKIP; a second request while one runs returns it', async () => {
    const schedule = await stack.client.schedule
      .getHandle(discoveryScheduleId(stack.config.temporal.taskQueue))
      .describe();
    expect(schedule.spec.intervals?.[0]?.every).toBe(12 * 3600_000);
    expect(schedule.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(schedule.state.paused).toBe(false);

    vertex.mode = 'hold-page-2';
    const first = await runSweep(stack.gql, security);
    await vertex.held;
    try {
      expect(first.started).toBe(true);
      const second = await runSweep(stack.gql, security);
      expect(second).toEqual({ id: first.id, started: false });
    } finally {
      vertex.release();
      vertex.mode = 'pages';
    }
    expect((await sweepUntilDone(stack.gql, security, first.id)).status).toBe('COMPLETED');
  });

  it('a cloud API that keeps answering 500 is retried, reported on its source, and creates no agent', async () => {
    vertex.mode = 'fail';
    bedrock.state.fail = true;
    const before = vertex.requests.length;
    try {
      const run = await runSweep(stack.gql, security);
      expect(run.started).toBe(true);
      const sweep = await sweepUntilDone(stack.gql, security, run.id);
      expect(sweep.status).toBe('COMPLETED');
      const v = sweep.sources.find((s: any) => s.name === 'vertex');
      const b = sweep.sources.find((s: any) => s.name === 'bedrock');
      expect(v.errors.join(' ')).toMatch(/HTTP 500/);
      expect(b.errors.join(' ')).toMatch(/InternalServerException|500/);
      expect(v.findings + b.findings).toBe(0);
      expect(vertex.requests.length - before).toBe(3); // maxRetries 2 → 3 attempts
      expect(sweep.newAgentCount).toBe(0);
      expect(sweep.sources.filter((s: any) => s.state === 'DONE')).toHaveLength(6);
    } finally {
      vertex.mode = 'pages';
      bedrock.state.fail = false;
    }
  });

  it('a sources file that cannot be understood fails that sweep with a clear error and changes nothing', async () => {
    const good = fs.readFileSync(sourcesFile, 'utf8');
    const before = (await allFindings(stack.gql, security, { includeDismissed: true })).length;
    try {
      for (const [bad, message] of [
        ['{"sources": [{"name": "x", "type": "carrier-pigeon"}]}', /sources\[0\]\.type must be one of/],
        ['{"sources": [{"name": "a b", "type": "zeek", "files": ["x"]}]}', /sources\[0\]\.name/],
        ['{"sources": ', /Cannot read the discovery sources file/],
      ] as const) {
        fs.writeFileSync(sourcesFile, bad);
        const sweep = await sweepUntilDone(stack.gql, security, (await runSweep(stack.gql, security)).id);
        expect(sweep.status).toBe('FAILED');
        expect(sweep.errors.join(' ')).toMatch(message);
        expect(sweep.sources).toEqual([]);
      }
    } finally {
      fs.writeFileSync(sourcesFile, good);
    }
    expect((await allFindings(stack.gql, security, { includeDismissed: true })).length).toBe(before);
  });

  it('runDiscoverySweep and the finding queries need an admin or the security team', async () => {
    const someone = await stack.token(`someone-${stack.tag}@example.com`, []);
    expect(
      (await stack.gql(`mutation { runDiscoverySweep { started } }`, {}, someone)).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await stack.gql(`{ discoveryFindings { edges { node { id } } } }`, {}, someone)).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await stack.gql(`{ discoverySweeps { edges { node { id } } } }`, {}, null)).errors?.[0]?.extensions?.code,
    ).toBe('UNAUTHENTICATED');
    expect((await stack.gql(`{ discoverySweep(id: "nope") { id } }`, {}, security)).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await stack.gql(`{ discoveryFindings(filter: { agentId: "x" }) { edges { node { id } } } }`, {}, security))
        .errors?.[0]?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
    expect(
      (await stack.gql(`{ discoveryFindings(filter: { source: LAPTOP }) { edges { node { id } } } }`, {}, security))
        .errors?.[0]?.extensions?.code,
    ).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
