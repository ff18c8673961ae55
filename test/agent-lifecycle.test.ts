/**
 * The agent lifecycle workflow on a real Temporal server: transitions, refused transitions that leave
 * state (and history) unchanged, owners that must exist, and continue-as-new that keeps state and
 * in-flight messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { agentWorkflowId } from '../domain/agents.js';
import type { Services } from '../api/context.js';
import { createServices } from '../api/services/index.js';
import { getAgentQuery, resumeAgentUpdate, transferAgentOwnershipUpdate } from '../workflows/agent/messages.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';
import { person } from '../services/commands.js';

const admin = person('admin@example.com', ['admin']);
let stack: Stack;
let services: Services;
const owner = () => `owner-${stack.tag}@example.com`;
const other = () => `other-${stack.tag}@example.com`;

async function historyLength(agentId: string): Promise<number> {
  const { historyLength } = await stack.client.workflow.getHandle(agentWorkflowId(agentId)).describe();
  return historyLength;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code ?? `uncoded: ${String(err)}`;
  }
  return 'no error';
}

beforeAll(async () => {
  stack = await startStack();
  services = createServices(stack.client, stack.config);
  await services.people.upsert(admin, { email: owner(), displayName: 'Owner', roles: ['approver'] });
  await services.people.upsert(admin, { email: other(), displayName: 'Other', roles: [] });
});
afterAll(() => stack?.stop());

describe('agent lifecycle', () => {
  it('goes ACTIVE → SUSPENDED → ACTIVE → DECOMMISSIONED, recording who, when and why', async () => {
    const { agent } = await services.agentCommands.register(admin, {
      name: 'Support bot',
      platform: 'custom',
      description: 'answers tickets',
      ownerEmail: owner(),
    });
    expect(agent.status).toBe('ACTIVE');
    const suspended = await services.agentCommands.suspend(admin, agent.id, 'odd traffic at night');
    expect(suspended).toMatchObject({ status: 'SUSPENDED', statusReason: 'odd traffic at night' });
    const resumed = await services.agentCommands.resume(admin, agent.id, 'checked: a batch job');
    expect(resumed.status).toBe('ACTIVE');
    const gone = await services.agentCommands.decommission(admin, agent.id, 'replaced by v2');
    expect(gone.status).toBe('DECOMMISSIONED');
    expect(gone.events.map((e) => [e.kind, e.fromStatus, e.toStatus, e.actor.id, e.reason])).toEqual([
      ['REGISTERED', null, 'ACTIVE', admin.id, 'registered'],
      ['SUSPENDED', 'ACTIVE', 'SUSPENDED', admin.id, 'odd traffic at night'],
      ['RESUMED', 'SUSPENDED', 'ACTIVE', admin.id, 'checked: a batch job'],
      ['DECOMMISSIONED', 'ACTIVE', 'DECOMMISSIONED', admin.id, 'replaced by v2'],
    ]);
    for (const e of gone.events) expect(Date.parse(e.at)).not.toBeNaN();
    // The query returns the same state the updates returned.
    expect(await stack.client.workflow.getHandle(agentWorkflowId(agent.id)).query(getAgentQuery)).toEqual(gone);
  });

  it('refuses invalid transitions with CONFLICT, leaving state and history unchanged', async () => {
    const { agent } = await services.agentCommands.register(admin, {
      name: 'Refusals',
      platform: 'custom',
      description: '',
      ownerEmail: owner(),
    });
    const before = await services.agents.get(agent.id);
    const length = await historyLength(agent.id);
    expect(await codeOf(services.agentCommands.resume(admin, agent.id, 'not suspended'))).toBe('CONFLICT');
    await services.agentCommands.decommission(admin, agent.id, 'done');
    const decommissioned = await services.agents.get(agent.id);
    const lengthAfterDecommission = await historyLength(agent.id);
    for (const attempt of [
      () => services.agentCommands.suspend(admin, agent.id, 'again'),
      () => services.agentCommands.resume(admin, agent.id, 'again'),
      () => services.agentCommands.decommission(admin, agent.id, 'again'),
      () => services.agentCommands.transferOwnership(admin, agent.id, other()),
    ]) {
      expect(await codeOf(attempt())).toBe('CONFLICT');
    }
    expect(await services.agents.get(agent.id)).toEqual(decommissioned);
    // Validators refuse before anything is written: rejected updates leave no history.
    expect(await historyLength(agent.id)).toBe(lengthAfterDecommission);
    expect(before.status).toBe('ACTIVE');
    expect(length).toBeLessThan(lengthAfterDecommission);
  });

  it('refuses a missing reason and an unknown or unchanged owner with BAD_USER_INPUT / CONFLICT', async () => {
    const { agent } = await services.agentCommands.register(admin, {
      name: 'Owners',
      platform: 'custom',
      description: '',
      ownerEmail: owner(),
    });
    expect(await codeOf(services.agentCommands.suspend(admin, agent.id, '   '))).toBe('BAD_USER_INPUT');
    expect(
      await codeOf(services.agentCommands.transferOwnership(admin, agent.id, `nobody-${stack.tag}@example.com`)),
    ).toBe('BAD_USER_INPUT');
    expect(await codeOf(services.agentCommands.transferOwnership(admin, agent.id, 'not an email'))).toBe(
      'BAD_USER_INPUT',
    );
    expect(await codeOf(services.agentCommands.transferOwnership(admin, agent.id, owner()))).toBe('CONFLICT');
    expect((await services.agents.get(agent.id)).ownerEmail).toBe(owner());
    const moved = await services.agentCommands.transferOwnership(admin, agent.id, other(), 'team change');
    expect(moved.ownerEmail).toBe(other());
    expect(moved.events.at(-1)).toMatchObject({
      kind: 'OWNER_TRANSFERRED',
      reason: 'team change',
      details: { previousOwner: owner(), newOwner: other() },
    });
  });

  it('the workflow itself refuses bad updates even when the API is bypassed', async () => {
    const { agent } = await services.agentCommands.register(admin, {
      name: 'Direct',
      platform: 'custom',
      description: '',
      ownerEmail: owner(),
    });
    const workflowId = agentWorkflowId(agent.id);
    // Properly signed, but impossible: the workflow's own rules refuse them.
    const err: any = await services.commands
      .send(workflowId, resumeAgentUpdate, { reason: 'x' }, admin)
      .catch((e: any) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(err.cause.type).toBe('CONFLICT');
    const err2: any = await services.commands
      .send(workflowId, transferAgentOwnershipUpdate, { ownerEmail: `ghost-${stack.tag}@example.com` }, admin)
      .catch((e: any) => e);
    expect(err2.cause.type).toBe('BAD_USER_INPUT');
    // Without a statement, nothing: whoever sends it, whatever it claims.
    const err3: any = await stack.client.workflow
      .getHandle(workflowId)
      .executeUpdate('suspendAgent', { args: [{ actor: admin, reason: 'x' }] })
      .catch((e: any) => e);
    expect(err3.cause.type).toBe('UNAUTHENTICATED');
    expect((await services.agents.get(agent.id)).status).toBe('ACTIVE');
  });

  it('refuses registration for an unknown owner, creating nothing', async () => {
    const name = `Orphan ${stack.tag}`;
    expect(
      await codeOf(
        services.agentCommands.register(admin, {
          name,
          platform: 'custom',
          description: '',
          ownerEmail: `ghost-${stack.tag}@example.com`,
        }),
      ),
    ).toBe('BAD_USER_INPUT');
    const count = await stack.client.workflow.count(`AgentName = '${name}'`);
    expect(count.count).toBe(0);
  });

  it('NOT_FOUND for an agent that does not exist', async () => {
    expect(await codeOf(services.agentCommands.suspend(admin, '00000000-0000-4000-8000-000000000000', 'x'))).toBe(
      'NOT_FOUND',
    );
    expect(await services.agents.find('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await services.agents.find('../etc/passwd')).toBeNull();
  });
});

describe('continue-as-new', () => {
  it('rolls history over without losing state or in-flight updates', async () => {
    const small = await startStack({ env: { WARDEN_CONTINUE_AS_NEW_AFTER_EVENTS: '40' } });
    try {
      const svc = createServices(small.client, small.config);
      await svc.people.upsert(admin, { email: owner(), displayName: 'Owner', roles: [] });
      const { agent } = await svc.agentCommands.register(admin, {
        name: 'Long lived',
        platform: 'custom',
        description: 'many changes',
        ownerEmail: owner(),
      });
      const handle = small.client.workflow.getHandle(agentWorkflowId(agent.id));
      const firstRun = (await handle.describe()).runId;
      // Fire updates concurrently so some are in flight while the run hands over to the next one.
      const rounds = 15;
      for (let i = 0; i < rounds; i++) {
        await Promise.all([svc.agentCommands.suspend(admin, agent.id, `pause ${i}`), handle.query(getAgentQuery)]);
        await svc.agentCommands.resume(admin, agent.id, `resume ${i}`);
      }
      const state = await svc.agents.get(agent.id);
      expect(state.status).toBe('ACTIVE');
      expect(state.events).toHaveLength(1 + rounds * 2);
      expect(state.events.at(-1)!.reason).toBe(`resume ${rounds - 1}`);
      // Visibility is eventually consistent: the closed run's row can lag its close by a moment.
      const runs = await eventually(async () => {
        const found = [];
        for await (const info of small.client.workflow.list({ query: `WorkflowId = '${agentWorkflowId(agent.id)}'` }))
          found.push(info);
        return found.length > 1 ? found : undefined;
      });
      expect(runs.length).toBeGreaterThan(1);
      expect((await handle.describe()).runId).not.toBe(firstRun);
      // The latest run still carries the directory's search attributes.
      // (Visibility is eventually consistent: the new run's row can lag the old run's close by a moment.)
      // The new run's row can first show the status carried from the old run's search attributes (SUSPENDED when
      // a resume reached the new run), until its own publish is indexed: wait for the row to settle on ACTIVE.
      const listed = await eventually(async () => {
        const rows = (await svc.agents.list({ ownerEmail: owner() }, 10, 0)).filter((a) => a.id === agent.id);
        return rows.length === 1 && rows[0]!.status === 'ACTIVE' ? rows : undefined;
      });
      expect(listed).toHaveLength(1);
      expect(listed[0]!.status).toBe('ACTIVE');
    } finally {
      await small.stop();
    }
  });
});
