/** Shared entity-workflow helpers: when to roll history over into a fresh run. */
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';

/** Temporal suggests rolling over, or the history passed the workflow's cap (`afterEvents`). */
export function continueAsNewDue(afterEvents: number | undefined): boolean {
  return (
    workflowInfo().continueAsNewSuggested ||
    (afterEvents !== undefined && afterEvents > 0 && workflowInfo().historyLength >= afterEvents)
  );
}

/**
 * Resolves once this run should continue as new and every in-flight update/signal handler has finished,
 * so no message is lost in the hand-over.
 */
export async function untilContinueAsNew(afterEvents: number | undefined): Promise<void> {
  await condition(() => continueAsNewDue(afterEvents));
  await condition(allHandlersFinished);
}
