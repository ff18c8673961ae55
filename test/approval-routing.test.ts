/**
 * Approval routing against a real stack: a policy file routes each held action (quorum with a required
 * decider, the owner never alone; escalation after a delay; expiry), approvers vote through GraphQL, many at
 * the same moment, and the workflow reaches exactly the policy's outcome. Delegation hands a person's seat to
 * someone else for a window. Every vote and escalation is in the audit trail with the capacity it counted in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { registerTestAgent, type TestAgent } from './helpers/agents.js';
import { startReceiver } from './helpers/http-servers.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

const suffix = randomUUID().slice(0, 8);
const PAY = `pay-${suffix}`;
let stack: Stack;
let admin: string;
let webhook: Awaited<ReturnType<typeof startReceiver>>;
const people = {
  owner: `owner-${suffix}@example.com`,
  sec1: `sec1-${suffix}@example.com`,
  sec2: `sec2-${suffix}@example.com`,
  sec3: `sec3-${suffix}@example.com`,
  admin: `admin-${suffix}@example.com`,
  bob: `bob-${suffix}@example.com`,
};
const tokens: Record<keyof typeof people, string> = {} as never;

const POLICY = `version: 1
rules:
  - name: quorum
    match: { operations: [${PAY}.transfer] }
    deciders: [owner, security]
    approvals: 2
    mustInclude: [security]
    ownerMayApproveAlone: false
    deadline: 10m
  - name: escalating
    match: { operations: [${PAY}.refund] }
    deciders: [owner]
    escalate:
      - after: 6s
        to: [admin]
    deadline: 10m
  - name: short
    match: { operations: [${PAY}.close] }
    deciders: [owner]
    deadline: 3s
default:
  deciders: [owner, security]
`;

const ACTION = `id status approval { rule approvalsRequired mustInclude escalationLevel openDeciders waitingFor decidedBy decision
  votes { by capacities onBehalfOf decision comment at } tiers { level deciders opensAt open } }`;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(inject('runDir'), 'routing-'));
  const policyFile = path.join(dir, 'approval-policy.yaml');
  fs.writeFileSync(policyFile, POLICY);
  webhook = await startReceiver();
  stack = await startStack({ env: { WARDEN_APPROVAL_POLICY: policyFile, WARDEN_NOTIFY_WEBHOOK_URL: webhook.url } });
  admin = await stack.token(people.admin, ['admin']);
  tokens.admin = admin;
  tokens.owner = await stack.token(people.owner, ['approver']);
  tokens.sec1 = await stack.token(people.sec1, ['security']);
  tokens.sec2 = await stack.token(people.sec2, ['security']);
  tokens.sec3 = await stack.token(people.sec3, ['security']);
  tokens.bob = await stack.token(people.bob, ['approver']);
  const res = await stack.gql(
    `mutation($t: RegisterToolInput!) { registerTool(input: $t) { tool { name } } }`,
    {
      t: {
        name: PAY,
        resource: `https://${PAY}.example.com/api/`,
        authMode: 'WARDEN_JWT',
        operations: [
          { name: 'transfer', sensitivity: 'CRITICAL' },
          { name: 'refund', sensitivity: 'HIGH' },
          { name: 'close', sensitivity: 'HIGH' },
        ],
      },
    },
    admin,
  );
  expect(res.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await webhook?.close();
});

let seq = 0;
/** A new agent's first request to the payment tool: not allowed outright, so held. */
async function held(operation: 'transfer' | 'refund' | 'close'): Promise<{ agent: TestAgent; id: string }> {
  const agent = await registerTestAgent(stack, admin, {
    name: `Payer ${++seq}`,
    ownerEmail: people.owner,
    allowedTools: [],
  });
  const res = await agent.gql(
    `mutation($i: RequestActionInput!) { requestAction(input: $i) { action { id status } } }`,
    { i: { tool: PAY, operation, amount: 1200, volume: 1, idempotencyKey: `k-${seq}`, context: {} } },
  );
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.data.requestAction.action.status).toBe('PENDING_APPROVAL');
  return { agent, id: res.data.requestAction.action.id };
}

const vote = (who: keyof typeof people, id: string, approve = true, comment = `checked by ${who}`) =>
  stack.gql<any>(
    approve
      ? `mutation($id: ID!, $c: String) { approveAction(input: { actionId: $id, comment: $c }) { action { ${ACTION} } } }`
      : `mutation($id: ID!, $c: String!) { denyAction(input: { actionId: $id, reason: $c }) { action { ${ACTION} } } }`,
    { id, c: comment },
    tokens[who],
  );
const read = async (who: keyof typeof people, id: string) =>
  (
    await stack.gql<any>(
      `query($id: ID!) { actionRequest(id: $id) { ${ACTION} viewerCanDecide viewerDecisionNote } }`,
      { id },
      tokens[who],
    )
  ).data?.actionRequest;
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;
const auditOf = async (id: string) =>
  (
    await stack.gql<any>(
      `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 50) { edges { node { type cloudEvent } } } }`,
      { f: { actionId: id } },
      tokens.sec1,
    )
  ).data?.auditEvents.edges.map((e: any) => ({
    kind: String(e.node.type).replace(/^io\.warden\./, ''),
    data: e.node.cloudEvent.data,
  })) ?? [];

describe('a decision command for the Temporal CLI (actionDecisionCommand)', () => {
  const ask = (who: keyof typeof people, id: string) =>
    stack.gql<any>(
      `mutation($id: ID!) { actionDecisionCommand(input: { actionId: $id, approve: true }) { workflowId update input } }`,
      { id },
      tokens[who],
    );

  it('goes to whoever may see the held action, and to nobody else: the statement names its owner', async () => {
    const { id } = await held('transfer');
    // bob is an approver the route names nowhere, for an agent he does not own.
    const bob = await ask('bob', id);
    expect(code(bob)).toBe('FORBIDDEN');
    expect(JSON.stringify(bob.data ?? null)).not.toContain(id);
    for (const who of ['owner', 'sec1', 'admin'] as const) {
      const res = await ask(who, id);
      expect(res.errors, who).toBeUndefined();
      expect(res.data.actionDecisionCommand).toMatchObject({ workflowId: `action:${id}`, update: 'approveAction' });
      expect(res.data.actionDecisionCommand.input.proof).toEqual(expect.any(String));
    }
  });
});

describe('a quorum: two approvers, at least one from security, never the owner alone', () => {
  it('the owner approves first and waits for security; nobody votes twice; security completes it', async () => {
    const { id } = await held('transfer');
    const before = await read('owner', id);
    expect(before.approval).toMatchObject({ rule: 'quorum', approvalsRequired: 2, mustInclude: ['security'] });
    expect(before.viewerCanDecide).toBe(true);
    // An admin is not among this rule's deciders.
    const adminView = await read('admin', id);
    expect(adminView.viewerCanDecide).toBe(false);
    expect(code(await vote('admin', id))).toBe('FORBIDDEN');

    const first = await vote('owner', id);
    expect(first.errors).toBeUndefined();
    expect(first.data.approveAction.action).toMatchObject({ status: 'PENDING_APPROVAL' });
    expect(first.data.approveAction.action.approval.votes).toEqual([
      expect.objectContaining({ by: people.owner, decision: 'APPROVE', capacities: expect.arrayContaining(['owner']) }),
    ]);
    expect(first.data.approveAction.action.approval.waitingFor).toMatch(/1 more approval/);
    const again = await vote('owner', id);
    expect(code(again)).toBe('CONFLICT');
    expect(again.errors![0]!.message).toMatch(/already approved/);

    const second = await vote('sec1', id);
    expect(second.errors).toBeUndefined();
    expect(second.data.approveAction.action).toMatchObject({
      status: 'APPROVED',
      approval: { decidedBy: people.sec1, decision: 'APPROVE' },
    });
    const audit = await eventually(async () => {
      const events = await auditOf(id);
      return events.some((e: any) => e.kind === 'action.approved') ? events : undefined;
    });
    const voted = audit.find((e: any) => e.kind === 'action.voted');
    expect(voted.data.unmapped.warden).toMatchObject({
      approver: people.owner,
      approver_capacities: expect.arrayContaining(['owner']),
    });
    const approved = audit.find((e: any) => e.kind === 'action.approved');
    expect(approved.data.unmapped.warden).toMatchObject({
      approver: people.sec1,
      approver_capacities: expect.arrayContaining(['security']),
      policy: 'approvals:quorum',
    });
    expect(approved.data.unmapped.warden.votes.map((v: any) => v.by)).toEqual([people.owner, people.sec1]);
  });

  it('the owner cannot complete a quorum that still lacks security', async () => {
    const { id } = await held('transfer');
    // bob is named nowhere; a second owner-side approval cannot exist, so: security first, then the owner completes.
    expect(code(await vote('bob', id))).toBe('FORBIDDEN');
    const sec = await vote('sec2', id);
    expect(sec.data.approveAction.action.status).toBe('PENDING_APPROVAL');
    const owner = await vote('owner', id);
    expect(owner.data.approveAction.action.status).toBe('APPROVED');
  });

  it('any decider’s denial ends it at once, whatever the approvals so far', async () => {
    const { agent, id } = await held('transfer');
    expect((await vote('owner', id)).data.approveAction.action.status).toBe('PENDING_APPROVAL');
    const denied = await vote('sec3', id, false, 'payee unknown');
    expect(denied.data.denyAction.action).toMatchObject({
      status: 'DENIED',
      approval: { decidedBy: people.sec3, decision: 'DENY' },
    });
    const seen = await agent.gql(`query($id: ID!) { actionRequest(id: $id) { status grant { token } } }`, { id });
    expect(seen.data.actionRequest).toMatchObject({ status: 'DENIED', grant: null });
  });

  it('five approvers at the same moment: exactly one quorum, the others get CONFLICT', async () => {
    const { id } = await held('transfer');
    const who = ['owner', 'sec1', 'sec2', 'sec3', 'owner'] as const;
    const results = await Promise.all(who.map((w) => vote(w, id)));
    const ok = results.filter((r) => !r.errors).map((r) => r.data.approveAction.action);
    const refused = results.filter((r) => r.errors);
    expect(ok).toHaveLength(2);
    expect(ok.map((a) => a.status).sort()).toEqual(['APPROVED', 'PENDING_APPROVAL']);
    expect(refused.map(code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
    const final = await read('sec1', id);
    expect(final.status).toBe('APPROVED');
    expect(final.approval.votes).toHaveLength(2);
    expect(new Set(final.approval.votes.map((v: any) => v.by)).size).toBe(2);
    expect(final.approval.votes.some((v: any) => v.capacities.includes('security'))).toBe(true);
  });

  it('approvals and a denial at the same moment: one outcome, and it holds', async () => {
    const { id } = await held('transfer');
    const results = await Promise.all([vote('sec1', id), vote('owner', id), vote('sec2', id, false, 'no')]);
    const final = await read('sec1', id);
    expect(['APPROVED', 'DENIED']).toContain(final.status);
    const decisive = results.filter(
      (r) => !r.errors && r.data[Object.keys(r.data)[0]!].action.status !== 'PENDING_APPROVAL',
    );
    expect(decisive).toHaveLength(1);
    expect(decisive[0]!.data[Object.keys(decisive[0]!.data)[0]!].action.status).toBe(final.status);
  });
});

describe('escalation and expiry, on the workflow’s timers', () => {
  it('undecided after the delay, the next tier is notified and may decide', async () => {
    const { id } = await held('refund');
    const start = await read('admin', id);
    expect(start.approval.tiers).toEqual([
      expect.objectContaining({ level: 0, deciders: ['owner'], open: true }),
      expect.objectContaining({ level: 1, deciders: ['admin'], open: false }),
    ]);
    if (start.approval.escalationLevel === 0) {
      const early = await vote('admin', id);
      // Unless the escalation fired between the read and the vote (a loaded machine), it is too early.
      if (early.errors) expect(early.errors[0]!.message).toMatch(/once it escalates/);
      else expect(early.data.approveAction.action.approval.escalationLevel).toBe(1);
    }
    const escalated = await eventually(async () => {
      const a = await read('admin', id);
      return a.approval.escalationLevel === 1 || a.status !== 'PENDING_APPROVAL' ? a : undefined;
    }, 30_000);
    expect(escalated.approval.openDeciders).toEqual(['owner', 'admin']);
    const notice = await eventually(async () =>
      webhook.received.map((r) => JSON.parse(r.body)).find((n) => n.actionId === id && /^Escalated/.test(n.subject)),
    );
    expect(notice.text).toMatch(/now deciding: admin/);
    // The tier is named by role; the notification names the people who hold it.
    expect(notice.deciders).toEqual(['admin']);
    expect(notice.to).toContain(people.admin);
    if (escalated.status === 'PENDING_APPROVAL') {
      const decided = await vote('admin', id);
      expect(decided.data.approveAction.action).toMatchObject({
        status: 'APPROVED',
        approval: { decidedBy: people.admin },
      });
    }
    const audit = await eventually(async () => {
      const events = await auditOf(id);
      return events.some((e: any) => e.kind === 'action.escalated') ? events : undefined;
    });
    expect(audit.find((e: any) => e.kind === 'action.escalated').data.unmapped.warden).toMatchObject({
      escalation_level: 1,
      deciders: ['admin'],
    });
  });

  it('undecided at the deadline: EXPIRED, denied, and a late vote changes nothing', async () => {
    const { agent, id } = await held('close');
    const expired = await eventually(async () => {
      const a = await read('owner', id);
      return a.status === 'EXPIRED' ? a : undefined;
    }, 30_000);
    expect(expired.approval.decision).toBe('EXPIRE');
    expect(expired.viewerCanDecide).toBe(false);
    expect(code(await vote('owner', id))).toBe('CONFLICT');
    const seen = await agent.gql(`query($id: ID!) { actionRequest(id: $id) { status grant { token } } }`, { id });
    expect(seen.data.actionRequest).toMatchObject({ status: 'EXPIRED', grant: null });
  });
});

describe('delegation', () => {
  const DELEGATE = `mutation($i: DelegateApprovalsInput!) { delegateApprovals(input: $i) { delegations { to from until reason createdBy } } }`;
  const END = `mutation($i: EndDelegationInput!) { endDelegation(input: $i) { delegations { to } } }`;

  it('a person hands their approvals to another for a window; the delegate takes their seat', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    // Only the person themself (or an admin) hands out their approvals.
    const forged = await stack.gql(DELEGATE, { i: { delegator: people.owner, to: people.bob, until } }, tokens.bob);
    expect(code(forged)).toBe('FORBIDDEN');
    const bad = await stack.gql(DELEGATE, { i: { to: people.owner, until } }, tokens.owner);
    expect(code(bad)).toBe('BAD_USER_INPUT');
    const made = await stack.gql<any>(DELEGATE, { i: { to: people.bob, until, reason: 'holiday' } }, tokens.owner);
    expect(made.errors).toBeUndefined();
    expect(made.data.delegateApprovals.delegations).toEqual([
      expect.objectContaining({ to: people.bob, reason: 'holiday', createdBy: people.owner }),
    ]);

    const { id } = await held('refund');
    const bobView = await eventually(async () => {
      const a = await read('bob', id);
      return a?.viewerCanDecide ? a : undefined;
    });
    expect(bobView.viewerDecisionNote).toMatch(new RegExp(`holding the approvals of ${people.owner}`));
    const byBob = await vote('bob', id);
    expect(byBob.data.approveAction.action).toMatchObject({ status: 'APPROVED', approval: { decidedBy: people.bob } });
    expect(byBob.data.approveAction.action.approval.votes[0]).toMatchObject({
      onBehalfOf: [people.owner],
      capacities: expect.arrayContaining(['owner']),
    });

    // The owner and their delegate are one seat.
    const { id: second } = await held('transfer');
    expect((await vote('bob', second)).data.approveAction.action.status).toBe('PENDING_APPROVAL');
    const owner = await vote('owner', second);
    expect(code(owner)).toBe('CONFLICT');
    expect(owner.errors![0]!.message).toMatch(/one vote per person/);

    const ended = await stack.gql<any>(END, { i: { to: people.bob } }, tokens.owner);
    expect(ended.data.endDelegation.delegations).toEqual([]);
    // Both changes are in the audit trail: who handed whose approvals to whom, and when it ended.
    const trail = async (type: string) =>
      (
        await stack.gql<any>(
          `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 20) { edges { node { cloudEvent } } } }`,
          { f: { type } },
          tokens.sec1,
        )
      ).data.auditEvents.edges.map((e: any) => e.node.cloudEvent.data.unmapped.warden);
    const recorded = await eventually(async () => (await trail('io.warden.person.delegated'))[0]);
    expect(recorded).toMatchObject({ delegator: people.owner, delegate: people.bob, actor: { id: people.owner } });
    expect(await eventually(async () => (await trail('io.warden.person.delegation_ended'))[0])).toMatchObject({
      delegator: people.owner,
      delegate: people.bob,
    });
    const { id: third } = await held('refund');
    // Without the delegation bob is named nowhere in the route: he cannot even read the action.
    await eventually(async () => ((await read('bob', third)) ? undefined : true));
    expect(code(await vote('bob', third))).toBe('FORBIDDEN');
  });
});

describe('what waits for whom', () => {
  it('pendingApprovals lists what the person may vote on now, and the stream brings each as it arrives', async () => {
    const { id } = await held('refund');
    const list = async (who: keyof typeof people) =>
      (
        await stack.gql<any>(`{ pendingApprovals(first: 100) { edges { node { id } } } }`, {}, tokens[who])
      ).data.pendingApprovals.edges.map((e: any) => e.node.id);
    await eventually(async () => ((await list('owner')).includes(id) ? true : undefined));
    // Security is not a decider of this rule, nor is an admin before the escalation.
    expect(await list('sec1')).not.toContain(id);
    const afterVote = await vote('owner', id);
    expect(afterVote.data.approveAction.action.status).toBe('APPROVED');
    await eventually(async () => (!(await list('owner')).includes(id) ? true : undefined));
  });
});
