/**
 * Temporal's floor, called through the Temporal client with Warden's data converter (the same codec and
 * keys), on the same server: (a) a bare Update on an already-running workflow, (b) Update-with-Start of a
 * workflow that does nothing. Payloads are shaped and sized like Warden's action records.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  floorNoopWorkflow,
  floorPingUpdate,
  floorPingWithLocalActivitiesUpdate,
  floorStartUpdate,
  floorStopSignal,
  floorTimerWorkflow,
  floorWaitWorkflow,
} from '../floor/workflows.js';
import { AgentName, AgentPlatform } from '../../temporal/search-attributes.js';
import { inLanes } from './load.js';
import { FLOOR_TASK_QUEUE, untilFirstTask } from './stack.js';

/** About the size of the ActionRecord Warden sends with each decision. */
export function actionLikePayload(i: number): Record<string, unknown> {
  return {
    id: randomUUID(),
    agentId: randomUUID(),
    agentName: `Bench agent ${i % 32}`,
    platform: 'support',
    ownerEmail: 'owner@bench.example',
    tool: 'bench-crm',
    toolResource: 'https://crm.bench.example/',
    operation: 'update_ticket',
    sensitivity: 'LOW',
    allowedOutright: true,
    resourceId: `ticket-${i % 17}`,
    volume: 1,
    amount: 0,
    justification: 'routine',
    context: { sourceNetwork: '10.1.0.0/16' },
    idempotencyKey: `floor-${i}-${randomUUID().slice(0, 8)}`,
    requestedAt: new Date().toISOString(),
    decision: null,
    status: 'PENDING_DECISION',
    risk: null,
    contained: false,
    approval: null,
    grant: null,
    decidedAt: null,
    workflowId: `floor:${i}`,
  };
}

export class Floor {
  readonly waiters: string[] = [];
  readonly timers: string[] = [];

  constructor(private readonly client: Client) {}

  async startWaiters(n: number): Promise<void> {
    while (this.waiters.length < n) {
      const workflowId = `bench-floor-wait-${this.waiters.length}-${randomUUID().slice(0, 8)}`;
      await this.client.workflow.start(floorWaitWorkflow, { workflowId, taskQueue: FLOOR_TASK_QUEUE });
      this.waiters.push(workflowId);
    }
  }

  /** (a) one Update on a running workflow (the `target`-th, by default the i-th round robin). */
  ping(i: number, target = i): Promise<unknown> {
    return this.client.workflow
      .getHandle(this.waiters[target % this.waiters.length]!)
      .executeUpdate(floorPingUpdate, { args: [actionLikePayload(i)] });
  }

  /** Diagnostics: an Update whose handler awaits two local activities (echo). */
  pingWithLocalActivities(i: number, target = i): Promise<unknown> {
    return this.client.workflow
      .getHandle(this.waiters[target % this.waiters.length]!)
      .executeUpdate(floorPingWithLocalActivitiesUpdate, { args: [actionLikePayload(i)] });
  }

  /** (b) Update-with-Start of a workflow that does nothing but answer. */
  startNoop(i: number): Promise<unknown> {
    return this.client.workflow.executeUpdateWithStart(floorStartUpdate, {
      args: [actionLikePayload(i)],
      startWorkflowOperation: new WithStartWorkflowOperation(floorNoopWorkflow, {
        workflowId: `bench-floor-noop-${randomUUID()}`,
        taskQueue: FLOOR_TASK_QUEUE,
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  }

  /**
   * The floor of registering an agent: starts a workflow with an agent-sized memo and two search attributes
   * that only waits on an 18-hour timer (floorTimerWorkflow). Returns its id; stopTimers() ends them all.
   */
  async startTimer(i: number): Promise<string> {
    const workflowId = `bench-floor-timer-${i}-${randomUUID().slice(0, 8)}`;
    await this.client.workflow.start(floorTimerWorkflow, {
      workflowId,
      taskQueue: FLOOR_TASK_QUEUE,
      memo: { agent: actionLikePayload(i) },
      typedSearchAttributes: new TypedSearchAttributes([
        { key: AgentName, value: `Floor agent ${i}` },
        { key: AgentPlatform, value: 'floor' },
      ]),
    });
    this.timers.push(workflowId);
    return workflowId;
  }

  /**
   * Starts `n` timer workflows, `concurrency` at a time, and resolves when the last one has run its first
   * task (at most `maxWaitMs` after the last start): what registering `n` agents costs Temporal at least.
   */
  async startTimers(n: number, concurrency = 32, maxWaitMs = 60_000): Promise<{ seconds: number; caughtUp: boolean }> {
    const t = performance.now();
    const last = await inLanes(n, concurrency, (i) => this.startTimer(i));
    const caughtUp = last === undefined || (await untilFirstTask(this.client, last, maxWaitMs));
    return { seconds: (performance.now() - t) / 1000, caughtUp };
  }

  async stopTimers(): Promise<void> {
    const ids = this.timers.splice(0);
    for (let k = 0; k < ids.length; k += 32)
      await Promise.all(
        ids.slice(k, k + 32).map((id) =>
          this.client.workflow
            .getHandle(id)
            .signal(floorStopSignal)
            .catch(() => {}),
        ),
      );
  }

  async stopWaiters(): Promise<void> {
    await Promise.all(
      this.waiters.map((id) =>
        this.client.workflow
          .getHandle(id)
          .signal(floorStopSignal)
          .catch(() => {}),
      ),
    );
  }
}
