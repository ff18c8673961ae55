/**
 * An agent's life, as one entity workflow per agent (`agent:<id>`): its lifecycle, its credential and
 * tokens, its routine decisions and baseline, what discovery saw of it — each a module beside this one —
 * and a loop that keeps the agent's clock (credential rotation), sends what waits in its outboxes, and
 * rolls history over with continue-as-new, carrying state, remembered assertions and undelivered messages.
 */
import { allHandlersFinished, condition, continueAsNew } from '@temporalio/workflow';
import { continueAsNewDue } from '../continue-as-new.js';
import { handleTrustAnchorRefresh } from '../trust.js';
import { handleCredentials } from './credentials.js';
import { handleDiscovery } from './discovery.js';
import { AgentEntity } from './entity.js';
import { handleLifecycle } from './lifecycle.js';
import type { AgentLifecycleArgs } from './messages.js';
import { AuditHandOver, deliverNotifications } from './outboxes.js';
import { handleRoutineWork } from './routine.js';

export async function agentLifecycleWorkflow(input: AgentLifecycleArgs): Promise<void> {
  const agent = AgentEntity.start(input);
  handleTrustAnchorRefresh(agent.gate, agent.state.id);
  agent.publish();
  handleRoutineWork(agent);
  handleLifecycle(agent);
  handleDiscovery(agent);
  const clock = handleCredentials(agent);
  const audit = new AuditHandOver(agent);
  // Rolling over waits for a rotation in flight (it completes in a handler, and changes the state).
  const rollOver = () => continueAsNewDue(agent.historyCap) && !agent.issuingSuccessor;

  for (;;) {
    const flushAt = audit.arm();
    const deadline = clock.nextDeadline();
    const until = flushAt !== undefined ? Math.min(deadline ?? Infinity, flushAt) : deadline;
    // A change made outside record() (a revoked token, a successor taken up or collected) reaches the memo here.
    if (agent.published !== agent.state) agent.publish();
    const before = agent.state;
    const wake = () =>
      agent.outbox.length > 0 || audit.needsTurn(flushAt !== undefined) || rollOver() || agent.state !== before;
    if (until === undefined) await condition(wake);
    else if (until > Date.now()) await condition(wake, until - Date.now());

    await deliverNotifications(agent);
    await audit.handOver(continueAsNewDue(agent.historyCap));
    const due = clock.nextDeadline();
    if (due !== undefined && due <= Date.now()) {
      // A forced rotation may be under way: wait for it rather than spin.
      if (agent.issuingSuccessor) await condition(() => !agent.issuingSuccessor);
      else await clock.onDeadline();
    }
    if (rollOver()) break;
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof agentLifecycleWorkflow>(agent.carryOver());
}
