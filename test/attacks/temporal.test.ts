/**
 * Attacks sent straight to Temporal, around the API: anyone who can reach the frontend can send an Update,
 * a Signal or start a workflow. Each forged message is refused by the workflow itself — it trusts proof
 * (a statement Warden signed, or Warden's own encryption), never a name or a role in its input — nothing
 * changes, and the refusal is in the audit trail. Three senders: a plain client (no codec: unencrypted
 * payloads), a person's client encoding through Warden's codec server (operator payloads), and, for
 * statements, an attacker's own signing key.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/config.js';
import { WARDEN } from '../../services/commands.js';
import { actionWorkflowId } from '../../domain/actions.js';
import { agentWorkflowId } from '../../domain/agents.js';
import { personWorkflowId } from '../../domain/people.js';
import { toolWorkflowId } from '../../domain/tools.js';
import { requestDigest, STATEMENT_TYPE } from '../../tokens/statements.js';
import { auditTrailWorkflowId, appendAuditSignal } from '../../workflows/audit-trail.js';
import { learnActionSignal, getAgentQuery, getRiskProfileQuery } from '../../workflows/agent/messages.js';
import { agentLifecycleWorkflow } from '../../workflows/agent/workflow.js';
import { approveActionUpdate } from '../../workflows/action/messages.js';
import { personWorkflow } from '../../workflows/person.js';
import { rotateSigningKeysUpdate, signingKeysWorkflowId } from '../../workflows/signing-keys.js';
import { registerTestAgent } from '../helpers/agents.js';
import { audited, now, snapshot, startWorld, unchanged, type World } from './world.js';

let w: World;
/** Sends payloads unencrypted, as anyone with the Temporal CLI or an SDK can. */
let plain: Client;
/** Encodes through Warden's codec server, as a person using the Temporal CLI or UI with their token. */
let operator: Client;

/** A codec that encodes through the codec server over HTTP (what `temporal --codec-endpoint` does). */
function remoteCodec(url: string, token: string): PayloadCodec {
  const call = async (op: 'encode' | 'decode', payloads: Payload[]): Promise<Payload[]> => {
    const body = {
      payloads: payloads.map((p) => ({
        metadata: Object.fromEntries(
          Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
        ),
        data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
      })),
    };
    const res = await fetch(`${url}/${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`codec server answered ${res.status}`);
    const json = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    return json.payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      data: Buffer.from(p.data, 'base64'),
    }));
  };
  return { encode: (p) => call('encode', p), decode: (p) => call('decode', p) };
}

/** A real process, waited for without blocking this one (its API serves the process). */
function runProcess(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({
        status: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0,
        stdout,
        stderr,
      });
    });
  });
}

/** The failure type a refused Update comes back with. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError)
      return String((err.cause as { type?: string })?.type ?? err.cause?.message);
    return `not an update refusal: ${(err as Error).name}: ${(err as Error).message}`;
  }
  return 'accepted';
}

/** A statement for `command` on `workflowId`, signed with the attacker's own key under Warden's kid. */
async function forgedStatement(
  workflowId: string,
  command: string,
  request: unknown,
  claims: Record<string, unknown> = {},
) {
  const { privateKey } = await generateKeyPair('ES256');
  const kid = (await w.stack.api.services.signingKeys.current()).kid;
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    aud: workflowId,
    cmd: command,
    req: requestDigest(request),
    sub: w.people.security,
    kind: 'human',
    roles: ['security', 'admin'],
    iat,
    exp: iat + 60,
    jti: randomUUID(),
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', typ: STATEMENT_TYPE, kid })
    .setIssuer(w.stack.config.credentials.issuer)
    .sign(privateKey);
}

/** A statement Warden really signed (for the person and command given). */
const genuine = (
  by: { kind: 'human' | 'agent' | 'system'; id: string; roles: ('admin' | 'approver' | 'security')[] },
  workflowId: string,
  command: string,
  request: unknown,
  agentOwner?: string | null,
  ttl?: number,
) =>
  w.stack.api.services.commands.statement(
    by,
    workflowId,
    command,
    request,
    agentOwner === undefined ? {} : { agentOwner },
    ttl,
  );

const security = () => ({
  kind: 'human' as const,
  id: w.people.security,
  roles: ['security' as const, 'approver' as const],
});
const admin = () => ({ kind: 'human' as const, id: w.people.admin, roles: ['admin' as const] });

beforeAll(async () => {
  w = await startWorld();
  plain = new Client({ connection: w.stack.connection, namespace: w.stack.config.temporal.namespace });
  operator = new Client({
    connection: w.stack.connection,
    namespace: w.stack.config.temporal.namespace,
    dataConverter: { payloadCodecs: [remoteCodec(`${w.stack.api.url}/codec`, w.tokens.ownerA)] },
  });
});
afterAll(() => w?.stop());

describe('forged approvals (the finding: anyone could approve as anyone)', () => {
  it('an unencrypted approveAction naming a person and roles is refused; the action still waits', async () => {
    const { id, agent } = await w.heldAction();
    const since = now();
    const result = await unchanged(w.stack, { actions: [id], agents: [agent.id] }, () =>
      refusal(
        plain.workflow.getHandle(actionWorkflowId(id)).executeUpdate('approveAction', {
          args: [
            { approver: { kind: 'human', id: 'mallory@example.com' }, approverRoles: ['security'], comment: 'ok' },
          ],
        }),
      ),
    );
    expect(result).toBe('UNAUTHENTICATED');
    await audited(w.stack, { agentId: agent.id, operation: 'approveAction', code: 'UNAUTHENTICATED', since });
  });

  it.each([
    ['no proof at all', async (_id: string) => ({ request: { comment: 'ok' } })],
    ['a proof that is not a JWS', async (_id: string) => ({ request: { comment: 'ok' }, proof: 'not-a-jws' })],
    [
      "a statement signed by the attacker under Warden's kid",
      async (id: string) => ({
        request: { comment: 'ok' },
        proof: await forgedStatement(actionWorkflowId(id), 'approveAction', { comment: 'ok' }),
      }),
    ],
    [
      'a genuine statement for another action',
      async (_id: string) => {
        const other = await w.heldAction();
        return {
          request: { comment: 'ok' },
          proof: await genuine(
            security(),
            actionWorkflowId(other.id),
            'approveAction',
            { comment: 'ok' },
            w.people.ownerA,
          ),
        };
      },
    ],
    [
      'a genuine statement for denyAction',
      async (id: string) => ({
        request: { comment: 'ok' },
        proof: await genuine(security(), actionWorkflowId(id), 'denyAction', { comment: 'ok' }, w.people.ownerA),
      }),
    ],
    [
      'a genuine statement for another comment (request hash)',
      async (id: string) => ({
        request: { comment: 'ok' },
        proof: await genuine(
          security(),
          actionWorkflowId(id),
          'approveAction',
          { comment: 'something else' },
          w.people.ownerA,
        ),
      }),
    ],
    [
      'a genuine statement that has expired',
      async (id: string) => ({
        request: { comment: 'ok' },
        proof: await genuine(
          security(),
          actionWorkflowId(id),
          'approveAction',
          { comment: 'ok' },
          w.people.ownerA,
          1,
        ).then(async (p) => (await new Promise((r) => setTimeout(r, 2100)), p)),
      }),
    ],
  ])('operator-encoded approveAction with %s is refused', async (_name, build) => {
    const { id, agent } = await w.heldAction();
    const arg = await build(id);
    const since = now();
    const result = await unchanged(w.stack, { actions: [id], agents: [agent.id] }, () =>
      refusal(operator.workflow.getHandle(actionWorkflowId(id)).executeUpdate('approveAction', { args: [arg] })),
    );
    expect(result).toBe('UNAUTHENTICATED');
    await audited(w.stack, { agentId: agent.id, operation: 'approveAction', code: 'UNAUTHENTICATED', since });
  });

  it("claiming someone's delegated approvals takes Warden's signature; a genuine statement without standing is FORBIDDEN", async () => {
    const { id, agent } = await w.heldAction();
    const handle = operator.workflow.getHandle(actionWorkflowId(id));
    const request = { comment: 'on behalf of the owner' };
    // The attacker writes the delegation into its own statement: the signature fails.
    const claimed = await forgedStatement(actionWorkflowId(id), 'approveAction', request, {
      sub: w.people.ownerB,
      roles: [],
      agentOwner: w.people.ownerA,
      delegators: [{ sub: w.people.ownerA, roles: ['approver'] }],
    });
    const since = now();
    const forged = await unchanged(w.stack, { actions: [id], agents: [agent.id] }, () =>
      refusal(handle.executeUpdate('approveAction', { args: [{ request, proof: claimed }] })),
    );
    expect(forged).toBe('UNAUTHENTICATED');
    // Warden signs what is true: ownerB holds no delegation and owns nothing here, so the route refuses the vote.
    const proof = await genuine(
      { kind: 'human', id: w.people.ownerB, roles: ['approver'] },
      actionWorkflowId(id),
      'approveAction',
      request,
      w.people.ownerA,
    );
    const refused = await unchanged(w.stack, { actions: [id], agents: [agent.id] }, () =>
      refusal(handle.executeUpdate('approveAction', { args: [{ request, proof }] })),
    );
    expect(refused).toBe('FORBIDDEN');
    await audited(w.stack, { agentId: agent.id, operation: 'approveAction', code: 'FORBIDDEN', since });
  });

  it('a statement living longer than five minutes is refused, even signed by Warden', async () => {
    const { id, agent } = await w.heldAction();
    const proof = await genuine(
      security(),
      actionWorkflowId(id),
      'approveAction',
      { comment: 'ok' },
      w.people.ownerA,
      300,
    ).then(async () => {
      // Warden itself never signs one that long; the attacker re-signs its claims with a longer life.
      return forgedStatement(
        actionWorkflowId(id),
        'approveAction',
        { comment: 'ok' },
        { exp: Math.floor(Date.now() / 1000) + 3600 },
      );
    });
    expect(
      await unchanged(w.stack, { actions: [id], agents: [agent.id] }, () =>
        refusal(
          operator.workflow
            .getHandle(actionWorkflowId(id))
            .executeUpdate('approveAction', { args: [{ request: { comment: 'ok' }, proof }] }),
        ),
      ),
    ).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['the agent itself', () => ({ kind: 'agent' as const, id: '', roles: [] as never[] }), 'FORBIDDEN'],
    [
      'a person with no role who does not own the agent',
      () => ({ kind: 'human' as const, id: w.people.stranger, roles: [] as never[] }),
      'FORBIDDEN',
    ],
    [
      'an approver who does not own the agent',
      () => ({ kind: 'human' as const, id: w.people.approver, roles: ['approver' as const] }),
      'FORBIDDEN',
    ],
    [
      'another owner',
      () => ({ kind: 'human' as const, id: w.people.ownerB, roles: ['approver' as const] }),
      'FORBIDDEN',
    ],
    [
      'an admin (admins do not decide approvals)',
      () => ({ kind: 'human' as const, id: w.people.admin, roles: ['admin' as const] }),
      'FORBIDDEN',
    ],
    ['Warden itself', () => WARDEN, 'FORBIDDEN'],
  ])('a genuine statement for %s lacks the authority: refused', async (_name, who, code) => {
    const { id, agent } = await w.heldAction();
    const by = who();
    const principal = by.kind === 'agent' ? { ...by, id: agent.id } : by;
    const proof = await genuine(principal, actionWorkflowId(id), 'approveAction', { comment: 'ok' }, w.people.ownerA);
    const since = now();
    expect(
      await unchanged(w.stack, { actions: [id], agents: [agent.id] }, () =>
        refusal(
          operator.workflow
            .getHandle(actionWorkflowId(id))
            .executeUpdate('approveAction', { args: [{ request: { comment: 'ok' }, proof }] }),
        ),
      ),
    ).toBe(code);
    await audited(w.stack, { agentId: agent.id, operation: 'approveAction', code, since });
  });

  it('a genuine decision sent through the codec server is accepted (the operator path), and works once', async () => {
    const { id } = await w.heldAction();
    const proof = await genuine(
      { kind: 'human', id: w.people.ownerA, roles: ['approver'] },
      actionWorkflowId(id),
      'denyAction',
      { comment: 'not today' },
      w.people.ownerA,
    );
    const handle = operator.workflow.getHandle(actionWorkflowId(id));
    // The owner may encode through the codec server, but not read: the Update is applied, and its answer
    // comes back still encrypted (their client cannot make it out).
    await expect(
      handle.executeUpdate('denyAction', { args: [{ request: { comment: 'not today' }, proof }] }),
    ).rejects.toThrow();
    const denied = await w.stack.api.services.actions.get(id);
    expect(denied).toMatchObject({
      status: 'DENIED',
      approval: { decidedBy: w.people.ownerA, decision: 'DENY', comment: 'not today' },
    });
    // The same statement again: the action is decided, and the statement is spent.
    expect(
      await refusal(handle.executeUpdate('denyAction', { args: [{ request: { comment: 'not today' }, proof }] })),
    ).toMatch(/CONFLICT|UNAUTHENTICATED|aborted by closing workflow|already completed/);
  });

  it("npm run approve: Warden signs the person's decision, the Temporal CLI delivers it through the codec server, once", async () => {
    const { id } = await w.heldAction();
    const env = {
      ...process.env,
      WARDEN_TOKEN: w.tokens.ownerA,
      WARDEN_PUBLIC_URL: w.stack.config.api.publicUrl,
      TEMPORAL_ADDRESS: w.stack.config.temporal.address,
      TEMPORAL_NAMESPACE: w.stack.config.temporal.namespace,
      WARDEN_DATA_DIR: w.stack.config.dataDir,
      TEMPORAL_CLI: inject('temporalCli'),
    };
    // Asynchronously: the API answering them runs in this very process.
    const approve = (args: string[]) =>
      runProcess(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'approve.ts'), ...args], env);
    const printed = await approve([id, '--comment', 'checked with the supplier']);
    expect(printed.status, printed.stderr).toBe(0);
    const command = printed.stdout.split('\n').find((l) => l.startsWith('temporal '))!;
    expect(command).toContain('--codec-endpoint');
    expect(command).not.toContain(w.tokens.ownerA); // the token stays in the environment
    const run = () => runProcess('sh', ['-c', command.replace(/^temporal /, `'${inject('temporalCli')}' `)], env);
    // The Temporal CLI delivers it (its answer stays encrypted for an owner, who may not read payloads).
    await run();
    expect((await w.stack.api.services.actions.get(id)).approval).toMatchObject({
      decision: 'APPROVE',
      decidedBy: w.people.ownerA,
      comment: 'checked with the supplier',
    });
    // The same command again: the action is decided and the statement spent.
    const again = await run();
    expect(again.status).not.toBe(0);
    expect(again.stderr + again.stdout).not.toMatch(/APPROVED/);
    // --send runs it and reads the outcome back from Warden.
    const next = await w.heldAction();
    const sent = await approve([next.id, '--deny', '--comment', 'not this one', '--send']);
    expect(sent.status, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(new RegExp(`DENIED, decided by ${w.people.ownerA.replace(/[.+]/g, '\\$&')}`));
    // Someone who may see the action but not decide it (an admin, under this policy) gets a signed statement that
    // the workflow refuses; someone who may not even see it (another owner) gets none.
    const other = await w.heldAction();
    const refused = await approve([other.id, '--comment', 'mine now', '--send', '--token', w.tokens.admin]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr + refused.stdout).toMatch(
      /Only the agent's owner or the security role may decide this action/,
    );
    const unsigned = await approve([other.id, '--comment', 'mine now', '--token', w.tokens.ownerB]);
    expect(unsigned.status).not.toBe(0);
    expect(unsigned.stderr + unsigned.stdout).toMatch(/FORBIDDEN/);
    expect(unsigned.stdout).not.toMatch(/^temporal /m);
    expect((await w.stack.api.services.actions.get(other.id)).status).toBe('PENDING_APPROVAL');
  });

  it('the same statement cannot be used twice, even while the first use is still deciding', async () => {
    const { id, agent } = await w.heldAction();
    const proof = await genuine(security(), actionWorkflowId(id), 'approveAction', { comment: 'ok' }, w.people.ownerA);
    const handle = w.stack.client.workflow.getHandle(actionWorkflowId(id));
    const results = await Promise.all(
      [0, 1].map(() =>
        refusal(handle.executeUpdate(approveActionUpdate, { args: [{ request: { comment: 'ok' }, proof }] })),
      ),
    );
    expect(results.filter((r) => r === 'accepted')).toHaveLength(1);
    expect((await w.stack.api.services.actions.get(id, agent.id)).status).toBe('APPROVED');
  });
});

describe('forged agent commands', () => {
  const commands: [string, (agentId: string) => unknown][] = [
    ['suspendAgent', () => ({ actor: { kind: 'human', id: 'mallory@example.com' }, reason: 'forged' })],
    ['universalLogout', () => ({ actor: { kind: 'system', id: 'warden' }, reason: 'forged' })],
    ['decommissionAgent', () => ({ actor: { kind: 'human', id: 'mallory@example.com' }, reason: 'forged' })],
    [
      'transferAgentOwnership',
      () => ({ actor: { kind: 'human', id: 'mallory@example.com' }, ownerEmail: 'mallory@example.com' }),
    ],
    [
      'setAllowedTools',
      () => ({
        actor: { kind: 'human', id: 'mallory@example.com' },
        tools: [{ tool: 'anything', operations: ['everything'] }],
      }),
    ],
    [
      'setRiskPolicy',
      () => ({
        actor: { kind: 'human', id: 'mallory@example.com' },
        policy: { thresholds: { review: 100, deny: 100 } },
      }),
    ],
    ['rotateCredential', () => ({ actor: { kind: 'human', id: 'mallory@example.com' } })],
    ['collectSuccessor', () => ({})],
    ['revokeToken', () => ({ jti: 'x', expiresAtMs: Date.now() + 60_000 })],
    [
      'claimAgent',
      () => ({
        actor: { kind: 'human', id: 'mallory@example.com' },
        ownerEmail: 'mallory@example.com',
        allowedTools: [],
        publicJwk: {},
        kid: 'k',
        generatedByWarden: false,
      }),
    ],
    [
      'dismissFinding',
      (agentId) => ({
        actor: { kind: 'human', id: 'mallory@example.com' },
        findingId: `${agentId}:x`,
        reason: 'forged',
      }),
    ],
  ];
  it.each(commands)('%s, unencrypted and claiming a person, is refused; the agent is unchanged', async (name, arg) => {
    const agentId = w.agentB.id;
    const since = now();
    expect(
      await unchanged(w.stack, { agents: [agentId] }, () =>
        refusal(plain.workflow.getHandle(agentWorkflowId(agentId)).executeUpdate(name, { args: [arg(agentId)] })),
      ),
    ).toBe('UNAUTHENTICATED');
    await audited(w.stack, { agentId, operation: name, code: 'UNAUTHENTICATED', since });
  });

  it.each([
    ['suspendAgent', { reason: 'forged' }],
    ['transferAgentOwnership', { ownerEmail: 'mallory@example.com' }],
    ['setRiskPolicy', { policy: null }],
  ] as const)("%s with a statement signed by the attacker's key is refused", async (name, request) => {
    const agentId = w.agentB.id;
    const proof = await forgedStatement(agentWorkflowId(agentId), name, request, {
      roles: ['admin'],
      sub: w.people.admin,
    });
    expect(
      await unchanged(w.stack, { agents: [agentId] }, () =>
        refusal(
          operator.workflow.getHandle(agentWorkflowId(agentId)).executeUpdate(name, { args: [{ request, proof }] }),
        ),
      ),
    ).toBe('UNAUTHENTICATED');
  });

  it('a genuine admin statement for one agent does not work on another (audience)', async () => {
    const proof = await genuine(admin(), agentWorkflowId(w.agentA.id), 'suspendAgent', { reason: 'maintenance' });
    expect(
      await unchanged(w.stack, { agents: [w.agentB.id] }, () =>
        refusal(
          operator.workflow
            .getHandle(agentWorkflowId(w.agentB.id))
            .executeUpdate('suspendAgent', { args: [{ request: { reason: 'maintenance' }, proof }] }),
        ),
      ),
    ).toBe('UNAUTHENTICATED');
  });

  it('a genuine statement of an agent owner asking to resume (admins only) is refused FORBIDDEN', async () => {
    const proof = await genuine(
      { kind: 'human', id: w.people.ownerB, roles: ['approver'] },
      agentWorkflowId(w.agentB.id),
      'resumeAgent',
      { reason: 'let me' },
    );
    expect(
      await unchanged(w.stack, { agents: [w.agentB.id] }, () =>
        refusal(
          operator.workflow
            .getHandle(agentWorkflowId(w.agentB.id))
            .executeUpdate('resumeAgent', { args: [{ request: { reason: 'let me' }, proof }] }),
        ),
      ),
    ).toBe('FORBIDDEN');
  });
});

describe('forged reports only Warden makes', () => {
  it('an unencrypted routine decision (to teach the baseline) is refused; the baseline is unchanged', async () => {
    const agentId = w.agentA.id;
    const iat = Math.floor(Date.now() / 1000);
    const action = {
      id: randomUUID(),
      agentId,
      tool: w.crm,
      operation: 'read_customer',
      volume: 100_000,
      amount: 0,
      idempotencyKey: `poison-${randomUUID()}`,
      context: {},
    };
    const since = now();
    expect(
      await unchanged(w.stack, { agents: [agentId] }, () =>
        refusal(
          plain.workflow.getHandle(agentWorkflowId(agentId)).executeUpdate('decideRoutineAction', {
            args: [action, { kid: 'k', issuer: 'i', jti: 'j', iat, exp: iat + 60 }],
          }),
        ),
      ),
    ).toBe('UNAUTHENTICATED');
    await audited(w.stack, { agentId, operation: 'decideRoutineAction', since });
  });

  it("an operator-encoded routine decision is refused too (only Warden's processes decide)", async () => {
    const agentId = w.agentA.id;
    const iat = Math.floor(Date.now() / 1000);
    const action = {
      id: randomUUID(),
      agentId,
      tool: w.crm,
      operation: 'update_ticket',
      volume: 1,
      amount: 0,
      idempotencyKey: `op-${randomUUID()}`,
      context: {},
    };
    expect(
      await unchanged(w.stack, { agents: [agentId] }, () =>
        refusal(
          operator.workflow.getHandle(agentWorkflowId(agentId)).executeUpdate('decideRoutineAction', {
            args: [action, { kid: 'k', issuer: 'i', jti: 'j', iat, exp: iat + 60 }],
          }),
        ),
      ),
    ).toBe('UNAUTHENTICATED');
  });

  it('a forged learnAction signal is dropped: the baseline learns nothing, and the drop is audited', async () => {
    const agentId = w.agentA.id;
    const since = now();
    await unchanged(w.stack, { agents: [agentId] }, async () => {
      await plain.workflow.getHandle(agentWorkflowId(agentId)).signal(learnActionSignal, {
        actionId: randomUUID(),
        action: { agentId, tool: w.crm, operation: 'export_all', volume: 1_000_000 } as never,
      });
      // A signal has no answer: wait for the workflow to have handled it (the refusal is audited).
      await audited(w.stack, { agentId, operation: 'learnAction', since });
    });
  });

  it('forged audit records are dropped: the trail holds no forged record, and the drop is audited', async () => {
    const marker = `forged-${randomUUID()}`;
    const since = now();
    await plain.workflow.getHandle(auditTrailWorkflowId(w.stack.config.temporal.taskQueue)).signal(appendAuditSignal, [
      {
        id: marker,
        at: new Date().toISOString(),
        input: {
          kind: 'action.approved',
          agentId: w.agentA.id,
          actor: { kind: 'human', id: 'mallory@example.com' },
          message: marker,
          tool: 'x',
          operation: 'y',
          actionId: 'z',
          approver: 'mallory@example.com',
        },
      },
    ]);
    await audited(w.stack, { operation: 'appendAudit', since });
    const page = await w.stack.api.audit.query({ since }, 500, null);
    expect(JSON.stringify(page.events)).not.toContain(`"message":"${marker}"`);
  });

  it.each([
    ['authenticateAgent', (_agentId: string) => [{ kid: 'x', jti: randomUUID(), expiresAtMs: Date.now() + 60_000 }]],
    [
      'recordSightings',
      () => [[{ sweepId: 's', sourceName: 'n', finding: { fingerprint: 'net:evil', kind: 'llm-endpoint' } }]],
    ],
    ['refreshTrustAnchor', () => [{ issuer: 'https://evil.example.com', keys: [{ kid: 'k', x: 'x', y: 'y' }] }]],
  ] as const)('%s from outside Warden is refused', async (name, args) => {
    const agentId = w.agentA.id;
    const since = now();
    expect(
      await unchanged(w.stack, { agents: [agentId] }, () =>
        refusal(
          plain.workflow.getHandle(agentWorkflowId(agentId)).executeUpdate(name, { args: args(agentId) as never }),
        ),
      ),
    ).toBe('UNAUTHENTICATED');
    await audited(w.stack, { agentId, operation: name, since });
  });

  it("a trust anchor handed over by an operator is refused; the attacker's key still signs nothing", async () => {
    const agentId = w.agentB.id;
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const anchor = { issuer: w.stack.config.credentials.issuer, keys: [{ kid: 'attacker', x: jwk.x!, y: jwk.y! }] };
    expect(
      await refusal(
        operator.workflow.getHandle(agentWorkflowId(agentId)).executeUpdate('refreshTrustAnchor', { args: [anchor] }),
      ),
    ).toBe('UNAUTHENTICATED');
    const iat = Math.floor(Date.now() / 1000);
    const request = { reason: 'forged' };
    const proof = await new SignJWT({
      aud: agentWorkflowId(agentId),
      cmd: 'suspendAgent',
      req: requestDigest(request),
      sub: w.people.admin,
      kind: 'human',
      roles: ['admin'],
      iat,
      exp: iat + 60,
      jti: randomUUID(),
    })
      .setProtectedHeader({ alg: 'ES256', typ: STATEMENT_TYPE, kid: 'attacker' })
      .setIssuer(w.stack.config.credentials.issuer)
      .sign(privateKey);
    expect(
      await unchanged(w.stack, { agents: [agentId] }, () =>
        refusal(
          operator.workflow
            .getHandle(agentWorkflowId(agentId))
            .executeUpdate('suspendAgent', { args: [{ request, proof }] }),
        ),
      ),
    ).toMatch(/UNAUTHENTICATED|STATEMENT_KEY_UNKNOWN/);
  });
});

describe('forged workflows and directory entries', () => {
  it('a fake agent started from outside fails at once; Warden knows no such agent and gives it no token', async () => {
    const fakeId = randomUUID();
    const state = {
      id: fakeId,
      name: 'Totally legit',
      platform: 'custom',
      description: '',
      status: 'ACTIVE',
      ownerEmail: w.people.ownerA,
      statusReason: 'registered',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      events: [],
      credential: null,
      successor: null,
      revokedBefore: null,
      revokedTokens: [],
      allowedTools: [{ tool: w.bank.name, operations: ['transfer'] }],
      credentialPolicy: { maxAgeMs: 1, rotateAtFraction: 0.5 },
    };
    const since = now();
    await plain.workflow.start('agentLifecycleWorkflow', {
      workflowId: agentWorkflowId(fakeId),
      taskQueue: w.stack.config.temporal.taskQueue,
      args: [{ state, trust: { issuer: 'x', keys: [{ kid: 'k', x: 'x', y: 'y' }] } }],
      memo: { name: 'Totally legit', status: 'ACTIVE', access: { keys: [], allowedTools: [] } },
    });
    await audited(w.stack, { agentId: fakeId, operation: 'agentLifecycleWorkflow', since });
    expect((await w.stack.client.workflow.getHandle(agentWorkflowId(fakeId)).describe()).status.name).toBe('FAILED');
    expect(await w.stack.api.services.agents.find(fakeId)).toBeNull();
    const res = await w.stack.gql<any>(`query($id: ID!) { agent(id: $id) { id } }`, { id: fakeId }, w.tokens.admin);
    expect(res.data?.agent ?? null).toBeNull();
    const listed = await w.stack.gql<any>(`{ agents(first: 100) { edges { node { id } } } }`, {}, w.tokens.admin);
    expect(listed.data.agents.edges.map((e: any) => e.node.id)).not.toContain(fakeId);
  });

  it("an agent's own (Warden-encrypted) start input copied to a new workflow id is refused", async () => {
    const history = await w.stack.client.workflow.getHandle(agentWorkflowId(w.agentA.id)).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!;
    const copyId = randomUUID();
    await w.stack.client.workflowService.startWorkflowExecution({
      namespace: w.stack.config.temporal.namespace,
      workflowId: agentWorkflowId(copyId),
      workflowType: { name: 'agentLifecycleWorkflow' },
      taskQueue: { name: w.stack.config.temporal.taskQueue },
      input,
      requestId: randomUUID(),
    });
    const described = await (async () => {
      for (let i = 0; i < 100; i++) {
        const d = await w.stack.client.workflow.getHandle(agentWorkflowId(copyId)).describe();
        if (d.status.name !== 'RUNNING') return d;
        await new Promise((r) => setTimeout(r, 100));
      }
      return w.stack.client.workflow.getHandle(agentWorkflowId(copyId)).describe();
    })();
    expect(described.status.name).toBe('FAILED');
    expect(await w.stack.api.services.agents.find(copyId)).toBeNull();
  });

  it('a fake directory entry granting a stranger admin fails at once; the stranger gains no role', async () => {
    const email = `mallory-${w.stack.tag}@example.com`;
    await plain.workflow.start(personWorkflow, {
      workflowId: personWorkflowId(email),
      taskQueue: w.stack.config.temporal.taskQueue,
      args: [
        {
          email,
          person: {
            email,
            displayName: 'Mallory',
            roles: ['admin', 'security'],
            createdAt: '',
            updatedAt: '',
            updatedBy: '',
          },
          trust: { issuer: '', keys: [] },
        },
      ] as never,
      memo: { email, roles: ['admin', 'security'] },
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(await w.stack.api.services.people.roles(email, { fresh: true })).toEqual([]);
    const token = await w.stack.token(email, []);
    const res = await w.stack.gql<any>(
      `mutation($i: RegisterAgentInput!) { registerAgent(input: $i) { agent { id } } }`,
      { i: { name: 'Mallory bot', ownerEmail: w.people.ownerA, platform: 'custom' } },
      token,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it.each([
    [
      'upsertPerson',
      () => personWorkflowId(w.people.stranger),
      { person: { email: '', displayName: 'x', roles: ['admin'] } },
    ],
    ['registerTool', () => toolWorkflowId(w.crm), { tool: { name: 'x' } }],
    ['rotateToolSecret', () => toolWorkflowId(w.bank.name), {}],
    ['rotateSigningKeys', () => signingKeysWorkflowId(w.stack.config.temporal.taskQueue), {}],
  ] as const)('%s, unencrypted, is refused', async (name, workflowId, request) => {
    const ids = { people: [w.people.stranger], tools: [w.crm, w.bank.name] };
    expect(
      await unchanged(w.stack, ids, () =>
        refusal(
          plain.workflow
            .getHandle(workflowId())
            .executeUpdate(name, { args: [{ ...request, actor: { kind: 'human', id: w.people.admin } }] }),
        ),
      ),
    ).toBe('UNAUTHENTICATED');
  });

  it('upsertPerson through the codec server with a genuine statement of a person without the admin role is FORBIDDEN; the roles stay', async () => {
    const request = { person: { email: w.people.stranger, displayName: 'Stranger', roles: ['admin' as const] } };
    const proof = await genuine(
      { kind: 'human', id: w.people.stranger, roles: [] },
      personWorkflowId(w.people.stranger),
      'upsertPerson',
      request,
    );
    const since = now();
    expect(
      await unchanged(w.stack, { people: [w.people.stranger] }, () =>
        refusal(
          operator.workflow
            .getHandle(personWorkflowId(w.people.stranger))
            .executeUpdate('upsertPerson', { args: [{ request, proof }] }),
        ),
      ),
    ).toBe('FORBIDDEN');
    await audited(w.stack, { operation: 'upsertPerson', code: 'FORBIDDEN', since });
  });

  it('a statement for starting an agent is no help: Update-with-Start of a fake agent with a genuine command fails at the start', async () => {
    const fakeId = randomUUID();
    const request = { reason: 'x' };
    const proof = await genuine(admin(), agentWorkflowId(fakeId), 'suspendAgent', request);
    const attempt = plain.workflow.executeUpdateWithStart('suspendAgent', {
      args: [{ request, proof }],
      startWorkflowOperation: new WithStartWorkflowOperation(agentLifecycleWorkflow, {
        workflowId: agentWorkflowId(fakeId),
        taskQueue: w.stack.config.temporal.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [{ state: { id: fakeId } as never, trust: { issuer: '', keys: [] } }],
      }),
    });
    await expect(attempt).rejects.toThrow();
    expect(await w.stack.api.services.agents.find(fakeId)).toBeNull();
  });

  it('the whole world is as it was: held actions wait, agents are as registered', async () => {
    const state = await w.stack.client.workflow.getHandle(agentWorkflowId(w.agentB.id)).query(getAgentQuery);
    expect(state).toMatchObject({ status: 'ACTIVE', ownerEmail: w.people.ownerB });
    expect(state.events.map((e) => e.kind)).toEqual(['REGISTERED']);
    const profile = await w.stack.client.workflow.getHandle(agentWorkflowId(w.agentA.id)).query(getRiskProfileQuery);
    expect(JSON.stringify(profile.baseline)).not.toContain('export_all');
    expect(await snapshot(w.stack, {})).toBeTruthy();
  });
});

describe('keys rotate under a running workflow (last: it changes the signing keys)', () => {
  it('a command to a workflow that predates two rotations hands it the new trust anchor and goes through', async () => {
    const agent = await registerTestAgent(w.stack, w.tokens.admin, {
      name: `Old timer ${w.stack.tag}`,
      ownerEmail: w.people.ownerB,
      allowedTools: [],
    });
    const keysId = signingKeysWorkflowId(w.stack.config.temporal.taskQueue);
    const before = (await w.stack.api.services.signingKeys.get()).current.kid;
    for (let i = 0; i < 2; i++) await w.stack.api.services.commands.send(keysId, rotateSigningKeysUpdate, {}, admin());
    w.stack.api.services.signingKeys.invalidate();
    const after = (await w.stack.api.services.signingKeys.get()).current.kid;
    expect(after).not.toBe(before);
    // The agent's workflow was started with the old anchor: the new current key is unknown to it.
    const res = await w.stack.gql<any>(
      `mutation($i: SuspendAgentInput!) { suspendAgent(input: $i) { agent { status } } }`,
      { i: { agentId: agent.id, reason: 'after two rotations' } },
      w.tokens.ownerB,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.suspendAgent.agent.status).toBe('SUSPENDED');
    const history = await w.stack.client.workflow.getHandle(agentWorkflowId(agent.id)).fetchHistory();
    const updates = history
      .events!.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter(Boolean);
    expect(updates).toEqual(['refreshTrustAnchor', 'suspendAgent']);
    // A rotation asked for by someone without the admin role is refused.
    const refused = await refusal(
      operator.workflow.getHandle(keysId).executeUpdate('rotateSigningKeys', {
        args: [
          {
            request: {},
            proof: await genuine(
              { kind: 'human', id: w.people.ownerA, roles: ['approver'] },
              keysId,
              'rotateSigningKeys',
              {},
            ),
          },
        ],
      }),
    );
    expect(refused).toBe('FORBIDDEN');
  });
});
