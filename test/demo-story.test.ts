/**
 * The reference story end to end (demo/story.ts — the same code `npm run demo` runs) against a real
 * Warden on the real Temporal server: an ERP and a bank that are MCP servers (the official SDK; the ERP
 * verifies Warden's grants, the bank's key is vaulted), an agent that reaches them with an MCP client
 * through Warden's MCP endpoints, and a real security webhook: weeks of normal work, then the poisoned
 * invoice. Every step is asserted.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/config.js';
import { ATTACKER_ROUTING } from '../demo/erp.js';
import { runSupplyChainStory, startSecurityInbox, type SecurityInbox, type StoryResult } from '../demo/story.js';
import { startStack, type Stack } from './helpers/stack.js';

let stack: Stack;
let inbox: SecurityInbox;
let result: StoryResult;
const lines: string[] = [];

beforeAll(async () => {
  inbox = await startSecurityInbox();
  // The routing policy `npm run demo` runs with: a CRITICAL payment needs two approvers, one from security.
  stack = await startStack({
    env: {
      WARDEN_NOTIFY_WEBHOOK_URL: inbox.url,
      WARDEN_APPROVAL_POLICY: path.join(PROJECT_ROOT, 'config', 'approval-policy.yaml'),
    },
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([result?.erp.close(), result?.bank.close()]);
  await stack?.stop();
  await inbox?.close();
});

it(
  'the supply-chain story: the poisoned invoice is contained, held, denied by the right person; the ledger never moves',
  { timeout: 240_000 },
  async () => {
    const owner = `olivia-${stack.tag}@example.com`;
    const security = `sam-${stack.tag}@example.com`;
    const admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
    // While the transfer waits: what each kind of caller gets when it tries to decide it.
    const whilePending: { status: string | null; attempts: { who: string; code: string | undefined }[] } = {
      status: null,
      attempts: [],
    };

    result = await runSupplyChainStory({
      wardenUrl: stack.config.credentials.issuer,
      gql: (q, v, t) => stack.gql(q, v, t),
      tokens: {
        admin,
        owner: await stack.token(owner, ['approver']),
        security: await stack.token(security, ['security', 'approver']),
      },
      people: { owner, security },
      securityInbox: inbox,
      suffix: stack.tag,
      say: (line) => lines.push(line),
      whilePending: async ({ actionId }) => {
        const bystanders = [
          { who: 'another approver', token: await stack.token(`victor-${stack.tag}@example.com`, ['approver']) },
          { who: 'an admin', token: admin },
        ];
        for (const b of bystanders) {
          const approve = await stack.gql(
            `mutation($i: ApproveActionInput!) { approveAction(input: $i) { action { status } } }`,
            { i: { actionId, comment: 'looks fine to me' } },
            b.token,
          );
          whilePending.attempts.push({ who: b.who, code: approve.errors?.[0]?.extensions?.code });
        }
        const now = await stack.gql<any>(
          `query($id: ID!) { actionRequest(id: $id) { status } }`,
          { id: actionId },
          await stack.token(security, ['security', 'approver']),
        );
        whilePending.status = now.data?.actionRequest?.status ?? null;
      },
    });
    console.log(lines.join('\n'));

    // Normal work was real: grants used at the ERP and the bank, small settlements on the ledger. A hold
    // during it says why (the first payment ever is a CRITICAL operation on a tool the agent never used).
    expect(result.replay.allowed + result.replay.heldThenApproved).toBe(result.replay.requests);
    expect(result.replay.settlements).toBeGreaterThanOrEqual(5);
    expect(result.ledgerBefore).toBe(result.replay.settlements);
    expect(result.erp.calls.filter((c) => c.status === 200).length).toBeGreaterThanOrEqual(
      result.replay.requests - result.replay.settlements,
    );
    expect(result.replay.heldBecause).toHaveLength(result.replay.heldThenApproved);
    for (const why of result.replay.heldBecause)
      expect(why).toMatch(/CRITICAL operation on a tool this agent has never used/);

    // Escalation refused: the transfer is held, no grant, the agent contained before the answer came back.
    expect(result.attack).toMatchObject({
      decision: 'REVIEW',
      status: 'PENDING_APPROVAL',
      contained: true,
      grant: null,
    });
    expect(result.attack.workflowId).toBe(`action:${result.attack.actionId}`);
    expect(result.attack.reasons.map((r) => r.signal)).toContain('volume');
    expect(result.attack.reasons.map((r) => r.detail).join(' ')).toMatch(/amount/i);
    expect(result.attack.score).toBeGreaterThanOrEqual(50);
    const agent = await stack.gql<any>(
      `query($id: ID!) { agent(id: $id) { status revokedBefore } }`,
      { id: result.agentId },
      admin,
    );
    expect(agent.data.agent.status).toBe('SUSPENDED');
    expect(agent.data.agent.revokedBefore).not.toBeNull();

    // Every earlier token rejected: the API and both MCP endpoints; and no new one is issued. Nothing with a
    // dead credential reached the ERP (every call it saw carried a grant it accepted), and the agent's held
    // call answered with the denial.
    expect(result.attack.afterContainment).toMatchObject({ api: 401, erp: 401, bank: 401, nextTransfer: 401 });
    expect(result.attack.afterContainment.newToken).toBeGreaterThanOrEqual(400);
    expect(result.attack.transfersAttempted).toBe(2); // the second attempt already met a dead token
    expect(result.erp.calls.every((c) => c.status === 200)).toBe(true);
    expect(result.attack.heldCallAnswer).toMatchObject({ code: -32062, message: expect.stringMatching(/DENIED/) });

    // The deciders heard about it — the owner and the people with the security role, as the route names them —
    // and the owner was told the agent was logged out.
    expect(result.notified).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'warden.security',
          agentId: result.agentId,
          to: [owner, security],
          deciders: ['owner', 'security'],
          subject: expect.stringMatching(/^Agent contained: /),
        }),
        expect.objectContaining({
          type: 'warden.agent',
          agentId: result.agentId,
          to: [owner],
          subject: expect.stringMatching(/logged out everywhere/),
        }),
      ]),
    );
    const alert = result.notified.find((n) => n.type === 'warden.security')!;
    expect(alert.text).toContain('risk');
    expect(alert.text).toContain('54,200');

    // The approval was pending for the owner and for security; neither another approver nor an admin could
    // decide it (and trying changed nothing); then the security approver denied it.
    expect(whilePending.attempts).toEqual([
      { who: 'another approver', code: 'FORBIDDEN' },
      { who: 'an admin', code: 'FORBIDDEN' },
    ]);
    expect(whilePending.status).toBe('PENDING_APPROVAL');
    expect(result.approval).toEqual({
      pendingSeenBySecurity: true,
      pendingSeenByOwner: true,
      decidedBy: security,
      status: 'DENIED',
    });

    // The ledger never moved: nothing to the attacker's routing number, nothing after the poisoned invoice.
    expect(result.ledgerAfter).toBe(result.ledgerBefore);
    expect(result.bank.ledger.some((t) => t.routingNumber === ATTACKER_ROUTING)).toBe(false);
    expect(result.bank.refused).toBe(0);

    // The audit chain holds the decision and its resolution, names who denied it, and verifies against its head.
    expect(result.audit.types.filter((t) => t !== 'io.warden.mcp.call')).toEqual([
      'io.warden.action.decided',
      'io.warden.agent.contained',
      'io.warden.action.denied',
    ]);
    expect(result.audit.integrity.ok).toBe(true);
    const audit = await stack.gql<any>(
      `query($f: AuditEventFilter) { auditEvents(first: 10, filter: $f) { edges { node { type cloudEvent } } } }`,
      { f: { actionId: result.attack.actionId } },
      await stack.token(security, ['security']),
    );
    const denied = audit.data.auditEvents.edges.find((e: any) => e.node.type === 'io.warden.action.denied').node;
    expect(JSON.stringify(denied.cloudEvent)).toContain(security);

    // The narrated timeline says what happened, in order.
    const text = lines.join('\n');
    let at = 0;
    for (const step of [
      /replaying \d+ working days/,
      /hidden instruction/,
      /risk \d+\/100/,
      /SUSPENDED and every token it holds is revoked/,
      /at the ERP's MCP endpoint +→ HTTP 401/,
      /notified the security team/,
      /approval pending/,
      /decided: DENIED/,
      /waiting call answered: .*Denied/,
      new RegExp(`0 to routing ${ATTACKER_ROUTING}`),
      /hash chain intact/,
    ]) {
      const found = text.slice(at).search(step);
      expect(found, `timeline step ${step}`).toBeGreaterThanOrEqual(0);
      at += found;
    }
  },
);
