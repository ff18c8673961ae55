/**
 * Slack-compatible notifications that lead to the decision, against a real stack and a fake Slack (a real
 * HTTP server that takes the incoming webhook's messages and the clicks' response_url posts): the held
 * action's message carries Approve/Deny buttons and its page's link; a click signed with the app's signing
 * secret becomes the mapped person's decision, exactly as the console's, acknowledged before anything slow;
 * bad or stale signatures, replays, clicks from another workspace, response_urls at other hosts, unlinked Slack
 * users, people without authority and malformed bodies are refused with stable codes, audited, and change
 * nothing.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createSlackInteractions,
  SLACK_INTERACTIONS_PATH,
  type SlackInteractionDeps,
  type SlackSettings,
} from '../api/integrations/slack.js';
import { loadConfig } from '../config/config.js';
import { jsonBody } from '../activities/notifications.js';
import { actionPageUrl, type Notification } from '../domain/notifications.js';
import { listen, type TestServer } from './helpers/http-servers.js';
import { registerTestAgent, type TestAgent } from './helpers/agents.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

const SECRET = randomBytes(16).toString('hex');

interface Posted {
  path: string;
  body: any;
}

let stack: Stack;
let slack: TestServer;
const posted: Posted[] = [];
let admin: string;
let securityToken: string;
let agent: TestAgent;
const owner = () => `olivia-${stack.tag}@example.com`;
const security = () => `sam-${stack.tag}@example.com`;
const stranger = () => `steve-${stack.tag}@example.com`;
const SLACK = { owner: 'U0OWNER01', security: 'U0SECUR01', stranger: 'U0STRANG1', unlinked: 'U0NOBODY1' };
const TEAM = 'T0WARDEN1';

beforeAll(async () => {
  slack = await listen((req, res, body) => {
    posted.push({ path: req.url ?? '', body: JSON.parse(body) });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  // A CRITICAL action needs two approvals, one from security; anything else one, from the owner or security.
  const policy = path.join(inject('runDir'), `slack-policy-${randomUUID()}.yaml`);
  fs.writeFileSync(
    policy,
    [
      'version: 1',
      'rules:',
      '  - name: critical',
      '    match: { sensitivity: [CRITICAL] }',
      '    deciders: [owner, security]',
      '    approvals: 2',
      '    mustInclude: [security]',
      'default:',
      '  deciders: [owner, security]',
      '',
    ].join('\n'),
  );
  stack = await startStack({
    env: {
      WARDEN_APPROVAL_POLICY: policy,
      WARDEN_NOTIFY_WEBHOOK_URL: `${slack.url}/webhook`,
      WARDEN_NOTIFY_WEBHOOK_FORMAT: 'slack',
      WARDEN_SLACK_SIGNING_SECRET: SECRET,
      // The fake Slack takes the outcomes instead of https://hooks.slack.com; clicks from one workspace only.
      WARDEN_SLACK_RESPONSE_ORIGINS: slack.url,
      WARDEN_SLACK_TEAM_ID: TEAM,
    },
  });
  admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
  securityToken = await stack.token(security(), ['security']);
  await stack.token(stranger(), ['approver']);
  const link = async (email: string, displayName: string, roles: string[], slackUserId: string) => {
    const res = await stack.gql<any>(
      `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email slackUserId } } }`,
      { i: { email, displayName, roles, slackUserId } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.upsertPerson.person.slackUserId).toBe(slackUserId);
  };
  await link(owner(), 'Olivia Owner', ['APPROVER'], SLACK.owner);
  await link(security(), 'Sam Security', ['SECURITY'], SLACK.security);
  await link(stranger(), 'Steve Stranger', ['APPROVER'], SLACK.stranger);
  // Clicks find people through visibility: wait until it shows the links.
  await eventually(async () => {
    const res = await stack.gql<any>(`{ people(first: 100) { edges { node { email slackUserId } } } }`, {}, admin);
    const linked = res.data?.people.edges.filter((e: any) => e.node.slackUserId).length ?? 0;
    return linked >= 3;
  });
  const tool = await stack.gql(
    `mutation($t: RegisterToolInput!) { registerTool(input: $t) { tool { name } } }`,
    {
      t: {
        name: `bank-${stack.tag}`,
        resource: 'https://bank.example.com/api/',
        authMode: 'WARDEN_JWT',
        operations: [
          { name: 'transfer', sensitivity: 'HIGH' },
          { name: 'wire', sensitivity: 'CRITICAL' },
        ],
      },
    },
    admin,
  );
  expect(tool.errors).toBeUndefined();
  agent = await registerTestAgent(stack, admin, { name: 'Payer', ownerEmail: owner(), allowedTools: [] });
});

afterAll(async () => {
  await stack?.stop();
  await slack?.close();
});

/** A held transfer, and the Slack message Warden posted about it. */
async function heldAction(operation = 'transfer'): Promise<{ id: string; message: any }> {
  const res = await agent.gql(
    `mutation($i: RequestActionInput!) { requestAction(input: $i) { action { id status } } }`,
    {
      i: {
        tool: `bank-${stack.tag}`,
        operation,
        amount: 120,
        volume: 1,
        justification: 'pay invoice 7',
        idempotencyKey: randomUUID(),
      },
    },
  );
  expect(res.errors).toBeUndefined();
  const { id, status } = res.data.requestAction.action;
  expect(status).toBe('PENDING_APPROVAL');
  const message = await eventually(async () =>
    posted.find((p) => p.path === '/webhook' && JSON.stringify(p.body.blocks ?? []).includes(`"value":"${id}"`)),
  );
  return { id, message: message.body };
}

async function statusOf(id: string): Promise<{ status: string; approval: any }> {
  const res = await stack.gql<any>(
    `query($id: ID!) { actionRequest(id: $id) { status approval { decidedBy decision comment } } }`,
    { id },
    securityToken,
  );
  expect(res.errors).toBeUndefined();
  return res.data.actionRequest;
}

let responses = 0;

/** The block_actions payload Slack sends when `slackUserId` clicks the button `actionId` of `message`. */
function clickPayload(message: any, slackUserId: string, buttonId: string): Record<string, unknown> {
  const buttons = message.blocks.find((b: any) => b.type === 'actions');
  const button = buttons.elements.find((e: any) => e.action_id === buttonId);
  return {
    type: 'block_actions',
    user: {
      id: slackUserId,
      username: slackUserId.toLowerCase(),
      name: slackUserId.toLowerCase(),
      team_id: TEAM,
    },
    api_app_id: 'A0WARDEN1',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0APPROVE', is_ephemeral: false },
    trigger_id: '1234.5678.abcdef',
    team: { id: TEAM, domain: 'warden-test' },
    channel: { id: 'C0APPROVE', name: 'approvals' },
    message: { type: 'message', ts: '1700000000.000100', text: message.text, blocks: message.blocks },
    response_url: `${slack.url}/respond/${++responses}`,
    actions: [{ ...button, block_id: buttons.block_id, action_ts: `${Date.now() / 1000}`, type: 'button' }],
  };
}

interface Sent {
  status: number;
  body: any;
  responseUrl: string | null;
  request: { body: string; headers: Record<string, string> };
}

/** Slack's signature of a request: v0=hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)). */
function sign(body: string, timestamp: number, secret = SECRET): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

async function send(
  body: string,
  headers: Record<string, string>,
  responseUrl: string | null = null,
  at = stack.api.url,
): Promise<Sent> {
  const res = await fetch(`${at}${SLACK_INTERACTIONS_PATH}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, responseUrl, request: { body, headers } };
}

async function click(payload: Record<string, unknown>, o: { timestamp?: number; secret?: string; at?: string } = {}) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const headers = sign(body, o.timestamp ?? Math.floor(Date.now() / 1000), o.secret);
  return send(body, headers, new URL(payload.response_url as string).pathname, o.at);
}

/** The interactions handler with these settings and dependencies, on its own port (beside the stack's). */
async function serveInteractions(settings: SlackSettings, deps: SlackInteractionDeps): Promise<TestServer> {
  const handler = createSlackInteractions(settings, deps);
  const server = http.createServer((req, res) => {
    handler(req, res).catch((err) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Interactions dependencies that must not be reached (the request is refused or only acknowledged before). */
const unreachable: SlackInteractionDeps = {
  people: { findBySlackUserId: async () => Promise.reject(new Error('the directory was asked')) },
  actionCommands: {
    approve: async () => Promise.reject(new Error('no')),
    deny: async () => Promise.reject(new Error('no')),
  },
  audit: { record: async () => {} },
};

/** What Warden posted to a click's response_url. */
const answerTo = (sent: Sent) => eventually(async () => posted.find((p) => p.path === sent.responseUrl)?.body);

/** The access.denied records of Slack refusals with this code. */
async function refusalsAudited(code: string): Promise<string[]> {
  return eventually(async () => {
    const res = await stack.gql<any>(
      `query($f: AuditEventFilter) { auditEvents(first: 200, filter: $f) { edges { node { message } } } }`,
      { f: { type: 'io.warden.access.denied' } },
      securityToken,
    );
    const messages: string[] = (res.data?.auditEvents.edges ?? [])
      .map((e: any) => e.node.message as string)
      .filter((m: string) => m.includes(`Slack callback was refused (${code})`));
    return messages.length ? messages : undefined;
  });
}

describe('the held action’s Slack message', () => {
  it('has Approve and Deny buttons carrying the action id, and the link to its page', async () => {
    const { id, message } = await heldAction();
    const actions = message.blocks.find((b: any) => b.type === 'actions');
    expect(actions.elements).toEqual([
      expect.objectContaining({ type: 'button', action_id: 'warden.approve', value: id, style: 'primary' }),
      expect.objectContaining({ type: 'button', action_id: 'warden.deny', value: id, style: 'danger' }),
      expect.objectContaining({
        type: 'button',
        action_id: 'warden.open',
        url: actionPageUrl(stack.config.api.publicUrl, id),
      }),
    ]);
    expect(actions.elements[1].confirm).toMatchObject({ confirm: { text: 'Deny' }, deny: { text: 'Cancel' } });
    expect(message.text).toContain(actionPageUrl(stack.config.api.publicUrl, id));
  });

  it('in the plain JSON format, a held action’s notification carries its id and the deep link', () => {
    const n: Notification = {
      kind: 'security',
      agentId: 'a1',
      actionId: 'b2e4c6a8-0000-4000-8000-000000000001',
      to: ['olivia@example.com'],
      subject: 'Approval needed',
      text: 'Decide',
      at: '2026-01-01T00:00:00.000Z',
    };
    expect(jsonBody(n, 'https://warden.example.com/')).toMatchObject({
      type: 'warden.security',
      actionId: n.actionId,
      link: `https://warden.example.com/console/actions/${n.actionId}`,
    });
    expect(jsonBody({ ...n, actionId: undefined }, 'https://warden.example.com')).not.toHaveProperty('link');
  });
});

describe('a verified click decides, as the mapped person', () => {
  it('Approve by the agent’s owner approves the action; the message loses its buttons; a second click is refused', async () => {
    const { id, message } = await heldAction();
    const sent = await click(clickPayload(message, SLACK.owner, 'warden.approve'));
    expect(sent.status).toBe(200);
    const answer = await answerTo(sent);
    expect(answer.replace_original).toBe(true);
    expect(JSON.stringify(answer.blocks)).not.toContain('warden.approve');
    expect(JSON.stringify(answer.blocks)).toContain(`*Approved* by Olivia Owner (${owner()})`);
    expect(await statusOf(id)).toMatchObject({
      status: 'APPROVED',
      approval: { decidedBy: owner(), decision: 'APPROVE', comment: 'Approved in Slack.' },
    });
    // The same person clicking again (a fresh, validly signed request): the workflow refuses a second decision.
    const again = await click(clickPayload(message, SLACK.owner, 'warden.approve'));
    expect(again.status).toBe(200);
    const refusal = await answerTo(again);
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(refusal.text).toMatch(/^Already decided: /);
    expect(JSON.stringify(refusal.blocks)).toContain('Warden · CONFLICT');
    expect((await statusOf(id)).status).toBe('APPROVED');
  });

  it('Deny by security denies the action', async () => {
    const { id, message } = await heldAction();
    const sent = await click(clickPayload(message, SLACK.security, 'warden.deny'));
    expect(sent.status).toBe(200);
    const answer = await answerTo(sent);
    expect(answer.replace_original).toBe(true);
    expect(JSON.stringify(answer.blocks)).toContain(`*Denied* by Sam Security (${security()})`);
    expect(await statusOf(id)).toMatchObject({
      status: 'DENIED',
      approval: { decidedBy: security(), decision: 'DENY', comment: 'Denied in Slack.' },
    });
  });

  it('towards a quorum: the owner’s approval is recorded and the buttons stay; security’s completes it', async () => {
    const { id, message } = await heldAction('wire');
    const first = await click(clickPayload(message, SLACK.owner, 'warden.approve'));
    const recorded = await answerTo(first);
    expect(recorded).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(recorded.text).toBe(`Your approval is recorded; action ${id} still waits for more approvers.`);
    expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
    const second = await click(clickPayload(message, SLACK.security, 'warden.approve'));
    const answer = await answerTo(second);
    expect(answer.replace_original).toBe(true);
    expect(JSON.stringify(answer.blocks)).toContain(
      `*Approved* (2 approvals, the last by Sam Security (${security()}))`,
    );
    expect(await statusOf(id)).toMatchObject({ status: 'APPROVED', approval: { decidedBy: security() } });
  });

  it('the link button is only acknowledged', async () => {
    const { id, message } = await heldAction();
    const sent = await click(clickPayload(message, SLACK.owner, 'warden.open'));
    expect(sent).toMatchObject({ status: 200, body: { ok: true } });
    expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
  });
});

describe('refused callbacks change nothing', () => {
  it('a bad signature', async () => {
    const { id, message } = await heldAction();
    const sent = await click(clickPayload(message, SLACK.owner, 'warden.approve'), { secret: 'not-the-secret' });
    expect(sent).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
    const payload = clickPayload(message, SLACK.owner, 'warden.approve');
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const headers = sign(body, Math.floor(Date.now() / 1000));
    // The signature of another body, and a body altered after signing.
    const altered = body.replace(SLACK.owner, SLACK.security);
    expect(await send(altered, headers)).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
    const unsigned = { ...headers, 'x-slack-signature': '' };
    expect(await send(body, unsigned)).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
    expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
    expect((await refusalsAudited('bad_signature')).length).toBeGreaterThanOrEqual(2);
  });

  it('a stale timestamp, either way, even when correctly signed', async () => {
    const { id, message } = await heldAction();
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 6 * 60, now + 6 * 60]) {
      const sent = await click(clickPayload(message, SLACK.owner, 'warden.approve'), { timestamp });
      expect(sent).toMatchObject({ status: 401, body: { error: 'stale_request' } });
    }
    expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
    await refusalsAudited('stale_request');
  });

  it('a replay of an accepted click', async () => {
    const { id, message } = await heldAction();
    const first = await click(clickPayload(message, SLACK.stranger, 'warden.approve'));
    expect(first.status).toBe(200);
    await answerTo(first);
    const replay = await send(first.request.body, first.request.headers);
    expect(replay).toMatchObject({ status: 401, body: { error: 'replayed_request' } });
    expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
    await refusalsAudited('replayed_request');
  });

  it('a Slack user linked to nobody is told so', async () => {
    const { id, message } = await heldAction();
    const sent = await click(clickPayload(message, SLACK.unlinked, 'warden.approve'));
    // Acknowledged before the directory is asked; the refusal comes through the response_url.
    expect(sent).toMatchObject({ status: 200, body: { ok: true } });
    const answer = await answerTo(sent);
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.text).toMatch(/^Your Slack account is not linked to a person in Warden/);
    expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
    await refusalsAudited('unknown_slack_user');
  });

  it('a person without authority over the action', async () => {
    const { id, message } = await heldAction();
    const sent = await click(clickPayload(message, SLACK.stranger, 'warden.approve'));
    expect(sent.status).toBe(200);
    const answer = await answerTo(sent);
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.text).toMatch(/^You may not decide this: /);
    expect(JSON.stringify(answer.blocks)).toContain('Warden · FORBIDDEN');
    expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
    await refusalsAudited('FORBIDDEN');
  });

  it('malformed or oversized bodies', async () => {
    const { id, message } = await heldAction();
    const now = Math.floor(Date.now() / 1000);
    const signedSend = (body: string, type = 'application/x-www-form-urlencoded') =>
      send(body, { ...sign(body, now), 'content-type': type });
    const good = clickPayload(message, SLACK.owner, 'warden.approve');
    const cases: [string, string, string][] = [
      ['payload=%7Bnot-json', 'application/x-www-form-urlencoded', 'malformed_payload'],
      [JSON.stringify(good), 'application/json', 'malformed_payload'],
      ['nothing=here', 'application/x-www-form-urlencoded', 'malformed_payload'],
      [
        new URLSearchParams({ payload: JSON.stringify({ ...good, actions: [] }) }).toString(),
        'application/x-www-form-urlencoded',
        'malformed_payload',
      ],
      [
        new URLSearchParams({ payload: JSON.stringify({ ...good, type: 'view_submission' }) }).toString(),
        'application/x-www-form-urlencoded',
        'unsupported_interaction',
      ],
      [
        new URLSearchParams({
          payload: JSON.stringify({ ...good, actions: [{ action_id: 'warden.approve', value: '../../etc' }] }),
        }).toString(),
        'application/x-www-form-urlencoded',
        'malformed_payload',
      ],
    ];
    for (const [body, type, code] of cases) {
      const sent = await signedSend(body, type);
      expect(sent.status, body.slice(0, 60)).toBe(400);
      expect(sent.body, body.slice(0, 60)).toMatchObject({ error: code, message: expect.any(String) });
    }
    const huge = `payload=${'x'.repeat(200 * 1024)}`;
    expect(await signedSend(huge)).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    expect(await send('', { 'content-type': 'text/plain' })).toMatchObject({
      status: 401,
      body: { error: 'missing_signature' },
    });
    expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
    await refusalsAudited('malformed_payload');
  });
});

describe('what a signed click must also be', () => {
  it('acknowledged before the directory is asked who clicked; decided after', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const people = stack.api.services.people;
    // The stack's own directory, decisions and audit; only the lookup waits until the acknowledgement is in.
    const server = await serveInteractions(
      { signingSecret: SECRET, publicUrl: stack.config.api.publicUrl, responseOrigins: [slack.url], teamId: TEAM },
      {
        people: { findBySlackUserId: async (id) => gate.then(() => people.findBySlackUserId(id)) },
        actionCommands: stack.api.services.actionCommands,
        audit: stack.api.audit,
      },
    );
    try {
      const { id, message } = await heldAction();
      const sent = await click(clickPayload(message, SLACK.owner, 'warden.approve'), { at: server.url });
      expect(sent).toMatchObject({ status: 200, body: { ok: true } });
      expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
      release();
      const answer = await answerTo(sent);
      expect(JSON.stringify(answer.blocks)).toContain(`*Approved* by Olivia Owner (${owner()})`);
      expect((await statusOf(id)).status).toBe('APPROVED');
    } finally {
      release();
      await server.close();
    }
  });

  it('from the configured workspace (WARDEN_SLACK_TEAM_ID)', async () => {
    const { id, message } = await heldAction();
    const payload = clickPayload(message, SLACK.owner, 'warden.approve');
    const others = [
      { ...payload, team: { id: 'T0OTHER01', domain: 'other' } },
      { ...payload, team: null, user: { ...(payload.user as object), team_id: 'T0OTHER01' } },
      { ...payload, team: undefined, user: { id: SLACK.owner } },
    ];
    for (const other of others) {
      const sent = await click(other);
      expect(sent.status).toBe(403);
      expect(sent.body).toEqual({ error: 'foreign_team', message: expect.stringContaining('WARDEN_SLACK_TEAM_ID') });
    }
    expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
    await refusalsAudited('foreign_team');
    // An org-wide install on Enterprise Grid sends no team; the user's workspace is the one configured.
    const grid = { ...payload, team: null, user: { ...(payload.user as object), team_id: TEAM } };
    const open = await click({ ...grid, actions: [{ action_id: 'warden.open', type: 'button' }] });
    expect(open).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('answerable at an allowed origin only: Slack’s by default, others when WARDEN_SLACK_RESPONSE_ORIGINS lists them', async () => {
    const { id, message } = await heldAction();
    const elsewhere = await listen((req, res) => {
      posted.push({ path: `elsewhere${req.url}`, body: null });
      res.writeHead(200).end();
    });
    try {
      const sent = await click({
        ...clickPayload(message, SLACK.owner, 'warden.approve'),
        response_url: `${elsewhere.url}/internal/admin`,
      });
      expect(sent.status).toBe(400);
      expect(sent.body).toEqual({
        error: 'response_url_not_allowed',
        message: expect.stringContaining('WARDEN_SLACK_RESPONSE_ORIGINS'),
      });
      expect((await statusOf(id)).status).toBe('PENDING_APPROVAL');
      await refusalsAudited('response_url_not_allowed');
    } finally {
      await elsewhere.close();
    }
    expect(posted.filter((p) => p.path.startsWith('elsewhere'))).toEqual([]);

    // Unconfigured: https://hooks.slack.com only (the link button is only acknowledged: nothing is posted).
    const server = await serveInteractions(
      { signingSecret: SECRET, publicUrl: stack.config.api.publicUrl },
      unreachable,
    );
    try {
      const linkClick = (responseUrl: string) =>
        click({ ...clickPayload(message, SLACK.owner, 'warden.open'), response_url: responseUrl }, { at: server.url });
      expect(await linkClick('https://hooks.slack.com/actions/T0WARDEN1/1/abc')).toMatchObject({
        status: 200,
        body: { ok: true },
      });
      for (const url of [
        `${slack.url}/respond`,
        'http://hooks.slack.com/actions/T0WARDEN1/1/abc',
        'https://hooks.slack.com.evil.example/actions',
        'https://someone@hooks.slack.com/actions/T0WARDEN1/1/abc',
        'https://hooks.slack.com:8443/actions',
      ]) {
        const sent = await linkClick(url);
        expect(sent.status, url).toBe(400);
        expect(sent.body.error, url).toBe('response_url_not_allowed');
      }
    } finally {
      await server.close();
    }
    expect(loadConfig({}).notifications).toMatchObject({ slackResponseOrigins: ['https://hooks.slack.com'] });
    expect(loadConfig({}).notifications.slackTeamId).toBeUndefined();
    expect(
      loadConfig({ WARDEN_SLACK_RESPONSE_ORIGINS: 'https://hooks.slack.com/, http://127.0.0.1:9000' }).notifications
        .slackResponseOrigins,
    ).toEqual(['https://hooks.slack.com', 'http://127.0.0.1:9000']);
    expect(() => loadConfig({ WARDEN_SLACK_RESPONSE_ORIGINS: 'https://hooks.slack.com/actions' })).toThrow(
      /WARDEN_SLACK_RESPONSE_ORIGINS must list web origins/,
    );
  });
});

describe('without a signing secret', () => {
  it('the endpoint does not exist', async () => {
    const server = await serveInteractions({ publicUrl: 'http://127.0.0.1' }, unreachable);
    try {
      const res = await fetch(`${server.url}${SLACK_INTERACTIONS_PATH}`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not_found' });
    } finally {
      await server.close();
    }
  });
});
