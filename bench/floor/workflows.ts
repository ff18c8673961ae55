/**
 * Temporal's own floor for Warden's decision paths, measured through the same server, the same data
 * converter (AES-GCM payload codec) and a worker process of its own — so production code carries no
 * benchmark workflows.
 *
 * - `floorWaitWorkflow`: runs until told otherwise; its Update `floorPing` returns its argument at once.
 *   A bare Update on an already-running workflow is the floor of Warden's routine (LOW) path.
 * - `floorNoopWorkflow`: does nothing but answer the Update `floorStart` it is started with
 *   (Update-with-Start) and finish. The floor of Warden's sensitive path (one workflow per action).
 *
 * The payloads are shaped like Warden's (an action record in, a record out) so the codec has comparable
 * work to do.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineSignal,
  defineUpdate,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { floorActivities } from './activities.js';

export const floorPingUpdate = defineUpdate<unknown, [unknown]>('floorPing');
export const floorStartUpdate = defineUpdate<unknown, [unknown]>('floorStart');
export const floorStopSignal = defineSignal('floorStop');
/**
 * Diagnostics only (bench/profile): an Update whose handler awaits two local activities, like Warden's routine path.
 */
export const floorPingWithLocalActivitiesUpdate = defineUpdate<unknown, [unknown]>('floorPingWithLocalActivities');

const { floorEcho } = proxyLocalActivities<typeof floorActivities>({ startToCloseTimeout: '10 seconds' });

export async function floorWaitWorkflow(): Promise<void> {
  let stop = false;
  setHandler(floorPingUpdate, (payload) => payload);
  setHandler(floorPingWithLocalActivitiesUpdate, async (payload) => {
    const first = await floorEcho(payload);
    return floorEcho(first);
  });
  setHandler(floorStopSignal, () => {
    stop = true;
  });
  // Like Warden's entity workflows: roll history over when Temporal suggests it.
  await condition(() => stop || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  if (!stop) await continueAsNew<typeof floorWaitWorkflow>();
}

export async function floorNoopWorkflow(): Promise<unknown> {
  let answered: unknown = undefined;
  let done = false;
  setHandler(floorStartUpdate, (payload) => {
    answered = payload;
    done = true;
    return payload;
  });
  await condition(() => done);
  return answered;
}

/**
 * The floor of registering an agent: a workflow started with a memo and search attributes, whose first task
 * starts an 18-hour timer (an agent's credential-rotation clock) and waits on it — nothing else.
 */
export async function floorTimerWorkflow(): Promise<void> {
  let stop = false;
  setHandler(floorStopSignal, () => {
    stop = true;
  });
  await condition(() => stop, '18 hours');
}
