/**
 * The discovery Schedule: one per Warden deployment (task queue), starting a sweep every interval with
 * overlap policy SKIP, so two sweeps never run at once — on-demand sweeps trigger this same schedule.
 * Paused while no sources file is configured (a sweep would read nothing); triggering still works.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { WardenConfig } from '../config/config.js';
import { discoverySweepWorkflow } from '../workflows/discovery-sweep.js';

export function discoveryScheduleId(taskQueue: string): string {
  return `warden-discovery:${taskQueue}`;
}

/** Workflow ids of sweeps start with this (Temporal appends the scheduled time). */
export function sweepWorkflowIdPrefix(taskQueue: string): string {
  return `discovery-sweep:${taskQueue}`;
}

const NOTE_PAUSED = 'No discovery sources are configured (WARDEN_DISCOVERY_SOURCES): scheduled sweeps are paused.';

function intervalMsOf(description: ScheduleDescription): number | undefined {
  const every = description.spec.intervals?.[0]?.every;
  return typeof every === 'number' ? every : every === undefined ? undefined : Number(every);
}

/** Creates the schedule, or brings an existing one in line with the configuration. Safe to call from every process. */
export async function ensureDiscoverySchedule(client: Client, config: WardenConfig): Promise<void> {
  const { taskQueue } = config.temporal;
  const scheduleId = discoveryScheduleId(taskQueue);
  const paused = !config.discovery.sourcesFile;
  const action = {
    type: 'startWorkflow' as const,
    workflowType: discoverySweepWorkflow,
    workflowId: sweepWorkflowIdPrefix(taskQueue),
    taskQueue,
    args: [] as [],
    staticSummary: 'Discovery sweep: find shadow agents in traffic, browsers, clouds and endpoints',
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: config.discovery.intervalMs }] },
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      state: { paused, ...(paused ? { note: NOTE_PAUSED } : {}) },
    });
    return;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = await handle.describe();
  if (
    intervalMsOf(current) !== config.discovery.intervalMs ||
    current.action.type !== 'startWorkflow' ||
    current.action.taskQueue !== taskQueue
  ) {
    await handle.update((previous) => ({
      ...previous,
      spec: { intervals: [{ every: config.discovery.intervalMs }] },
      action,
      policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
    }));
  }
  if (current.state.paused !== paused) {
    if (paused) await handle.pause(NOTE_PAUSED);
    else await handle.unpause('discovery sources configured');
  }
}

/** The schedule's handle, creating the schedule first if it does not exist yet. */
export async function discoverySchedule(client: Client, config: WardenConfig) {
  const handle = client.schedule.getHandle(discoveryScheduleId(config.temporal.taskQueue));
  try {
    return { handle, description: await handle.describe() };
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    await ensureDiscoverySchedule(client, config);
    return { handle, description: await handle.describe() };
  }
}
