/**
 * The reference story end to end (demo/story.ts — the same code `npm run demo` runs) against a real
 * Warden on the real Temporal server, a real ERP that verifies grants, a real bank behind the gateway and
 * a real security webhook: weeks of normal work, then the poisoned invoice. Every step is asserted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSupplyChainStory, startSecurityInbox, type SecurityInbox, type StoryResult } from '../demo/story.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

let stack: Stack;
let inbox: SecurityInbox;
let result: StoryResult;
const lines: string[] = [];

beforeAll(async () => {
  inbox = await startSecurityInbox();
  stack = await startStack({ env: { WARDEN_NOTIFY_WEBHOOK_URL: inbox.url } });
}, 120_000);

afterAll(async () => {
  await Promise.all([result?.erp.close(), result?.bank.close()]);
  await stack?.stop();
  await inbox?.close();
});

it('the supply-chain story: the poisoned invoice is contained, held, denied by the right person; the ledger never moves', { timeout: 240_000 }, async () => {
  const owner = `olivia-${stack.tag}@example.com`;
  const security = `sam-${stack.tag}@example.com`;
  result = await runSupplyChainStory({
    wardenUrl: stack.config.credentials.issuer,
    gql: (q, v, t) => stack.gql(q, v, t),
    tokens: { admin: await stack.token(`admin-${stack.tag}@example.com`, ['admin']), owner: await stack.token(owner, ['approver']), security: await stack.token(security, ['security', 'approver']) },
    people: { owner, security },
    securityInbox: inbox,
    suffix: stack.tag,
    say: (line) => lines.push(line),
  });
  console.log(lines.join('\n'));

  // Normal work was real: grants used at the ERP and the bank, small settlements on the ledger.
  expect(result.replay.allowed + result.replay.heldThenApproved).toBe(result.replay.requests);
  expect(result.replay.settlements).toBeGreaterThanOrEqual(5);
  expect(result.ledgerBefore).toBe(result.replay.settlements);
  expect(result.erp.calls.filter((c) => c.status === 200).length).toBeGreaterThanOrEqual(result.replay.requests - result.replay.settlements);

  // Escalation refused: the transfer is held, no grant, the agent contained before the answer came back.
  expect(result.attack).toMatchObject({ decision: 'REVIEW', status: 'PENDING_APPROVAL', contained: true, grant: null });
  expect(result.attack.workflowId).toBe(`action:${result.attack.actionId}`);
  expect(result.attack.reasons.map((r) => r.signal)).toContain('volume');
  expect(result.attack.reasons.map((r) => r.detail).join(' ')).toMatch(/amount/i);
  expect(result.attack.score).toBeGreaterThanOrEqual(50);
  const agent = await stack.gql<any>(`query($id: ID!) { agent(id: $id) { status revokedBefore } }`, { id: result.agentId }, await stack.token(`admin-${stack.tag}@example.com`, ['admin']));
  expect(agent.data.agent.status).toBe('SUSPENDED');
  expect(agent.data.agent.revokedBefore).not.toBeNull();

  // Every earlier token rejected: the API, the ERP (introspection), the gateway; and no new one is issued.
  expect(result.attack.afterContainment).toMatchObject({ api: 401, erp: 401, gateway: 401, nextTransfer: 401 });
  expect(result.attack.afterContainment.newToken).toBeGreaterThanOrEqual(400);
  expect(result.erp.calls.at(-1)).toMatchObject({ status: 401, why: expect.stringMatching(/revoked/) });

  // The security team heard about it, naming the agent.
  await eventually(async () => inbox.received.some((n) => n.type === 'warden.security' && n.agentId === result.agentId && /contained/i.test(n.subject)));

  // The approval was pending for the security team, then denied by that person.
  expect(result.approval).toEqual({ pendingSeenBySecurity: true, deniedBy: `sam-${stack.tag}@example.com`, status: 'DENIED' });

  // The ledger never moved: nothing to the attacker's routing number, nothing after the poisoned invoice.
  expect(result.ledgerAfter).toBe(result.ledgerBefore);
  expect(result.bank.ledger.some((t) => t.routingNumber === '026009593')).toBe(false);
  expect(result.bank.refused).toBe(0);

  // The audit chain holds the decision and its resolution, and verifies against its head.
  expect(result.audit.types).toEqual(['io.warden.action.decided', 'io.warden.agent.contained', 'io.warden.action.denied']);
  expect(result.audit.integrity.ok).toBe(true);

  // The narrated timeline says what happened, in order.
  const text = lines.join('\n');
  for (const step of [/replaying \d+ working days/, /hidden instruction/, /risk \d+\/100/, /CONTAINED/, /containment: .*HTTP 401/, /notified \(security\)/, /approval pending/, /decided: DENIED/, /0 to routing 026009593/, /hash chain intact/]) {
    expect(text).toMatch(step);
  }
});
