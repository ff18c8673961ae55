/** Shared entity-workflow helper: when to roll history over into a fresh run. */
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';

/**
 * Resolves once this run should continue as new — Temporal suggests it, or (tests only) the history passed
 * a configured length — and every in-flight update/signal handler has finished, so no message is lost.
 * `stop` lets a caller end the wait for its own reasons (e.g. a terminal state).
 */
export async function untilContinueAsNew(afterEvents: number | undefined, stop: () => boolean = () => false): Promise<'continue' | 'stopped'> {
  const due = () =>
    workflowInfo().continueAsNewSuggested || (afterEvents !== undefined && afterEvents > 0 && workflowInfo().historyLength >= afterEvents);
  await condition(() => due() || stop());
  await condition(allHandlersFinished);
  return due() ? 'continue' : 'stopped';
}
