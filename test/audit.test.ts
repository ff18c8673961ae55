/** The audit trail: OCSF events in CloudEvents envelopes, hash-chained, in a file and at a webhook. */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditHash,
  canonicalJson,
  chain,
  chainAll,
  GENESIS_HASH,
  linkOf,
  verifyChain,
  verifyChainFrom,
} from '../audit/chain.js';
import {
  apiActivityId,
  AUDIT_KINDS,
  auditEvent,
  type AuditInput,
  type AuditKind,
  type ChainedAuditEvent,
} from '../audit/events.js';
import { JsonLinesFileSink } from '../audit/file-sink.js';
import { AuditChainConflictError } from '../audit/sink.js';
import { MultiSink } from '../audit/sinks.js';
import { AuditWebhookError, WebhookSink } from '../audit/webhook-sink.js';
import { AuditTrail } from '../audit/trail.js';
import { actionAuditInputs, type ActionLike } from '../audit/from-action.js';

const NOW = new Date('2025-03-04T05:06:07.890Z');
const agent = { agentId: 'agt_supply', agentName: 'Supply-chain bot', ownerEmail: 'olivia@example.com' };
const reasons = [
  { signal: 'novelty', contribution: 40, detail: 'First request to banking-api; no supply-chain agent has used it.' },
  { signal: 'sequence', contribution: 30, detail: 'wire_transfer right after read_invoice has never been seen.' },
];

const decided = (over: Partial<Extract<AuditInput, { kind: 'action.decided' }>> = {}): AuditInput => ({
  kind: 'action.decided',
  ...agent,
  actor: { kind: 'agent', id: agent.agentId },
  tool: 'banking-api',
  operation: 'wire_transfer',
  volume: 12,
  amount: 640_000,
  resourceId: 'acct-991',
  decision: 'DENY',
  status: 'DENIED',
  score: 93,
  reasons,
  policy: 'default@3',
  workflowId: 'action:act_1',
  runId: 'run-1',
  actionId: 'act_1',
  message: 'Wire transfer of $640,000 denied',
  ...over,
});

function inputOf(kind: AuditKind, i = 0): AuditInput {
  const base = { ...agent, message: `${kind} #${i}`, workflowId: `agent:${agent.agentId}`, runId: 'run-a' };
  const action = { tool: 'erp', operation: 'read_invoice', actionId: `act_${i}`, workflowId: `action:act_${i}` };
  switch (kind) {
    case 'action.decided':
      return {
        ...base,
        ...action,
        kind,
        actor: { kind: 'agent', id: agent.agentId },
        decision: 'ALLOW',
        status: 'ALLOWED',
        score: 3,
        volume: 1,
      };
    case 'action.approved':
    case 'action.denied':
      return {
        ...base,
        ...action,
        kind,
        actor: { kind: 'human', id: 'sam@example.com' },
        approver: 'sam@example.com',
        comment: 'checked with the vendor',
      };
    case 'action.voted':
      return {
        ...base,
        ...action,
        kind,
        actor: { kind: 'human', id: 'olivia@example.com' },
        approver: 'olivia@example.com',
        approverCapacities: ['owner', 'olivia@example.com'],
        status: 'PENDING_APPROVAL',
      };
    case 'person.delegated':
    case 'person.delegation_ended':
      return {
        ...base,
        kind,
        actor: { kind: 'human', id: 'olivia@example.com' },
        delegator: 'olivia@example.com',
        delegate: 'bob@example.com',
        from: '2026-12-01T00:00:00.000Z',
        until: '2026-12-24T00:00:00.000Z',
      };
    case 'action.escalated':
      return { ...base, ...action, kind, actor: { kind: 'system', id: 'warden' }, level: 1, deciders: ['admin'] };
    case 'action.expired':
      return { ...base, ...action, kind, actor: { kind: 'system', id: 'warden' } };
    case 'agent.contained':
      return {
        ...base,
        kind,
        actor: { kind: 'system', id: 'warden' },
        actionId: `act_${i}`,
        score: 95,
        reasons,
        policy: 'default',
      };
    case 'agent.resumed':
      return { ...base, kind, actor: { kind: 'human', id: 'olivia@example.com' } };
    case 'agent.logout':
      return { ...base, kind, actor: { kind: 'human', id: 'sec@example.com' }, comment: 'compromised' };
    case 'token.issued':
    case 'token.refused':
      return { ...base, kind, actor: { kind: 'agent', id: agent.agentId }, jti: `jti-${i}` };
    case 'access.denied':
      return {
        ...base,
        kind,
        actor: { kind: 'human', id: 'mallory@example.com' },
        operation: 'approveAction',
        code: 'UNAUTHENTICATED',
      };
    case 'mcp.call':
      return {
        ...base,
        kind,
        actor: { kind: 'agent', id: agent.agentId },
        tool: 'erp',
        operation: 'read_invoice',
        argumentsSha256: 'x'.repeat(43),
        decision: 'ALLOW',
        outcome: 'forwarded',
        upstreamStatus: 'ok',
        latencyMs: 12,
      };
    case 'tool.definition.quarantined':
      return {
        ...base,
        kind,
        actor: { kind: 'system', id: 'warden' },
        tool: 'erp',
        operation: 'read_invoice',
        changes: ['description'],
        pinnedSha256: 'a'.repeat(43),
        seenSha256: 'b'.repeat(43),
      };
    case 'grant.issued':
    case 'grant.refused':
      return {
        ...base,
        kind,
        actor: { kind: 'agent', id: agent.agentId },
        tool: 'erp',
        operation: 'read_invoice update_inventory',
        resourceId: 'https://erp.example.com/',
        jti: `g-${i}`,
      };
  }
}

function makeChain(n: number, prev: { seq: number; hash: string } | null = null): ChainedAuditEvent[] {
  const kinds = AUDIT_KINDS;
  return chainAll(
    prev,
    Array.from({ length: n }, (_, i) =>
      auditEvent(inputOf(kinds[i % kinds.length]!, i), new Date(NOW.getTime() + i * 1000), { deployment: 'test' }),
    ),
  );
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('audit events: OCSF inside CloudEvents', () => {
  it('carries the CloudEvents 1.0 envelope', () => {
    const e = auditEvent(decided(), NOW, { deployment: 'acme-prod' });
    expect(e).toMatchObject({
      specversion: '1.0',
      source: 'urn:warden:acme-prod',
      type: 'io.warden.action.decided',
      time: '2025-03-04T05:06:07.890Z',
      subject: 'agt_supply',
      datacontenttype: 'application/json',
      dataschema: 'https://schema.ocsf.io/1.6.0/classes/api_activity',
    });
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(auditEvent(decided(), NOW).id).not.toBe(e.id);
    expect(auditEvent(decided(), NOW, { id: 'action:act_1/decided' }).id).toBe('action:act_1/decided');
  });

  it('a decision is an OCSF API Activity saying who, what, why, when and which workflow', () => {
    const { data, id } = auditEvent(decided(), NOW);
    expect(data).toMatchObject({
      category_uid: 6,
      class_uid: 6003,
      class_name: 'API Activity',
      activity_id: 1, // wire_transfer creates a transfer
      type_uid: 600301,
      time: NOW.getTime(),
      message: 'Wire transfer of $640,000 denied',
      metadata: {
        version: '1.6.0',
        product: { name: 'Warden' },
        uid: id,
        correlation_uid: 'act_1',
        event_code: 'action.decided',
        profiles: ['security_control'],
      },
      // who
      actor: { user: { uid: 'agt_supply', name: 'Supply-chain bot', type_id: 4, type: 'Service' } },
      // what
      api: { operation: 'wire_transfer', service: { name: 'banking-api' }, request: { uid: 'act_1' } },
      // why
      action_id: 2,
      action: 'Denied',
      disposition_id: 2,
      disposition: 'Blocked',
      status_id: 2,
      is_alert: true,
      risk_score: 93,
      risk_level_id: 4,
      risk_level: 'Critical',
      policy: { uid: 'default', version: '3' },
      authorizations: [{ decision: 'DENY', policy: { uid: 'default' } }],
      // which workflow, and a flat Warden view
      unmapped: {
        warden: {
          kind: 'action.decided',
          agent_id: 'agt_supply',
          owner_email: 'olivia@example.com',
          tool: 'banking-api',
          operation: 'wire_transfer',
          volume: 12,
          amount: 640_000,
          resource_id: 'acct-991',
          decision: 'DENY',
          status: 'DENIED',
          score: 93,
          reasons,
          policy: 'default@3',
          action_id: 'act_1',
          workflow_id: 'action:act_1',
          run_id: 'run-1',
        },
      },
    });
    expect(data.resources).toEqual([
      {
        uid: 'acct-991',
        name: 'banking-api',
        type: 'Tool Resource',
        data: { operation: 'wire_transfer', volume: 12, amount: 640_000 },
      },
      {
        uid: 'agt_supply',
        name: 'Supply-chain bot',
        type: 'AI Agent',
        owner: {
          uid: 'olivia@example.com',
          name: 'olivia@example.com',
          email_addr: 'olivia@example.com',
          type_id: 1,
          type: 'User',
        },
      },
    ]);
    expect(data.risk_details).toContain('First request to banking-api');
    expect(data.severity_id).toBe(5);
  });

  it('REVIEW is held (disposition Delayed); ALLOW is allowed', () => {
    const review = auditEvent(decided({ decision: 'REVIEW', status: 'PENDING_APPROVAL', score: 55 }), NOW).data;
    expect(review).toMatchObject({
      action_id: 99,
      action: 'Held for approval',
      disposition_id: 14,
      disposition: 'Delayed',
      status_id: 99,
      is_alert: true,
      risk_level_id: 2,
    });
    const allow = auditEvent(decided({ decision: 'ALLOW', status: 'ALLOWED', score: 2, reasons: [] }), NOW).data;
    expect(allow).toMatchObject({ action_id: 1, disposition_id: 1, status_id: 1, is_alert: false, severity_id: 1 });
    expect(allow.risk_details).toBeUndefined();
  });

  it('an approval names the approver as actor and the exact request as entity (Entity Management)', () => {
    const { data } = auditEvent(
      { ...inputOf('action.approved', 7), tool: 'banking-api', operation: 'wire_transfer', volume: 1, amount: 50 },
      NOW,
    );
    expect(data).toMatchObject({
      class_uid: 3004,
      category_uid: 3,
      activity_id: 3,
      type_uid: 300403,
      actor: { user: { uid: 'sam@example.com', email_addr: 'sam@example.com', type_id: 1 } },
      entity: {
        uid: 'act_7',
        type: 'Warden Action Request',
        data: {
          agent_id: 'agt_supply',
          owner_email: 'olivia@example.com',
          tool: 'banking-api',
          operation: 'wire_transfer',
          volume: 1,
          amount: 50,
        },
      },
      entity_result: { uid: 'act_7', data: { status: 'APPROVED' } },
      comment: 'checked with the vendor',
      action_id: 1,
      disposition_id: 8,
      disposition: 'Approved',
      authorizations: [{ decision: 'APPROVED' }],
      unmapped: { warden: { approver: 'sam@example.com', action_id: 'act_7', workflow_id: 'action:act_7' } },
    });
    expect(auditEvent(inputOf('action.denied'), NOW).data).toMatchObject({
      action_id: 2,
      disposition_id: 25,
      entity_result: { data: { status: 'DENIED' } },
    });
    expect(auditEvent(inputOf('action.expired'), NOW).data).toMatchObject({
      actor: { user: { uid: 'warden', type_id: 3 } },
      action_id: 2,
      entity_result: { data: { status: 'EXPIRED' } },
    });
  });

  it('containment suspends the agent and revokes access; universal logout is an Authentication Logoff', () => {
    const contained = auditEvent(inputOf('agent.contained', 3), NOW).data;
    expect(contained).toMatchObject({
      class_uid: 3004,
      activity_id: 12,
      activity_name: 'Suspend',
      entity: {
        uid: 'agt_supply',
        type_id: 2,
        user: { uid: 'agt_supply', type_id: 4 },
        data: { owner_email: 'olivia@example.com' },
      },
      entity_result: { data: { status: 'SUSPENDED', tokens_revoked: true } },
      disposition_id: 24,
      disposition: 'Access Revoked',
      is_alert: true,
      risk_score: 95,
      metadata: { correlation_uid: 'act_3' },
    });
    expect(contained.severity_id).toBeGreaterThanOrEqual(4);
    expect(auditEvent(inputOf('agent.resumed'), NOW).data).toMatchObject({
      class_uid: 3004,
      activity_id: 13,
      entity_result: { data: { status: 'ACTIVE' } },
    });
    const logout = auditEvent(inputOf('agent.logout'), NOW).data;
    expect(logout).toMatchObject({
      class_uid: 3002,
      activity_id: 2,
      type_uid: 300202,
      user: { uid: 'agt_supply', type_id: 4 },
      actor: { user: { uid: 'sec@example.com', type_id: 1 } },
      disposition_id: 24,
      status_detail: 'compromised',
    });
  });

  it('tokens are Authentication Logons (OAuth 2.0); grants are Authorize Session privileges', () => {
    expect(auditEvent(inputOf('token.issued', 1), NOW).data).toMatchObject({
      class_uid: 3002,
      activity_id: 1,
      auth_protocol_id: 6,
      status_id: 1,
      session: { uid: 'jti-1' },
      user: { uid: 'agt_supply' },
    });
    expect(auditEvent(inputOf('token.refused'), NOW).data).toMatchObject({
      class_uid: 3002,
      status_id: 2,
      action_id: 2,
      disposition_id: 26,
    });
    expect(auditEvent(inputOf('grant.issued', 2), NOW).data).toMatchObject({
      class_uid: 3003,
      activity_id: 1,
      type_uid: 300301,
      privileges: ['read_invoice', 'update_inventory'],
      session: { uid: 'g-2' },
      dst_endpoint: { svc_name: 'erp', uid: 'https://erp.example.com/' },
      status_id: 1,
    });
    expect(auditEvent(inputOf('grant.refused'), NOW).data).toMatchObject({
      class_uid: 3003,
      status_id: 2,
      disposition_id: 26,
    });
  });

  it('every kind has the OCSF base attributes and survives a JSON round trip unchanged', () => {
    for (const kind of AUDIT_KINDS) {
      const e = auditEvent(inputOf(kind), NOW);
      expect(e.type).toBe(`io.warden.${kind}`);
      const d = e.data;
      expect(d.type_uid).toBe(d.class_uid * 100 + d.activity_id);
      expect(d.category_uid).toBe(Math.floor(d.class_uid / 1000));
      for (const k of ['class_name', 'category_name', 'activity_name', 'severity', 'status', 'message'] as const)
        expect(typeof d[k]).toBe('string');
      expect(d.metadata.product.name).toBe('Warden');
      expect(d.actor.user.uid).toBeTruthy();
      expect(d.unmapped.warden).toMatchObject({
        kind,
        agent_id: 'agt_supply',
        workflow_id: expect.any(String),
        run_id: 'run-a',
      });
      expect(clone(e)).toEqual(e);
    }
  });

  it('maps operations to CRUD activities', () => {
    expect(apiActivityId('read_invoice')).toBe(2);
    expect(apiActivityId('wire_transfer')).toBe(1);
    expect(apiActivityId('updateInventory')).toBe(3);
    expect(apiActivityId('delete-record')).toBe(4);
    expect(apiActivityId('reconcile')).toBe(99);
    expect(apiActivityId('reconcile', 'PATCH')).toBe(3);
    expect(auditEvent(decided({ operation: 'reconcile' }), NOW).data).toMatchObject({
      activity_id: 99,
      activity_name: 'reconcile',
      type_uid: 600399,
    });
  });
});

describe('audit inputs from an action record', () => {
  const record: ActionLike = {
    id: 'act_9',
    agentId: agent.agentId,
    agentName: agent.agentName,
    ownerEmail: agent.ownerEmail,
    tool: 'banking-api',
    operation: 'wire_transfer',
    resourceId: null,
    volume: 14,
    amount: 700_000,
    decision: 'REVIEW',
    status: 'PENDING_APPROVAL',
    risk: { score: 91, reasons },
    contained: true,
    approval: { decidedBy: null, decision: null, comment: null },
    workflowId: 'action:act_9',
  };

  it('a containing decision gives the decision and the containment', () => {
    const inputs = actionAuditInputs(record, 'decided', { runId: 'r9', policy: 'default@1' });
    expect(inputs.map((i) => i.kind)).toEqual(['action.decided', 'agent.contained']);
    const [d, c] = inputs.map((i) => auditEvent(i, NOW).data);
    expect(d).toMatchObject({
      class_uid: 6003,
      disposition_id: 14,
      risk_score: 91,
      unmapped: { warden: { action_id: 'act_9', workflow_id: 'action:act_9', run_id: 'r9', policy: 'default@1' } },
    });
    expect(c).toMatchObject({
      class_uid: 3004,
      activity_id: 12,
      metadata: { correlation_uid: 'act_9' },
      actor: { user: { type_id: 3 } },
    });
    expect(actionAuditInputs({ ...record, decision: 'ALLOW', contained: false }, 'decided')).toHaveLength(1);
  });

  it('a resolution gives the approval, denial or expiry', () => {
    const approved = actionAuditInputs(
      { ...record, status: 'APPROVED', approval: { decidedBy: 'sam@example.com', decision: 'APPROVE', comment: 'ok' } },
      'resolved',
    );
    expect(approved).toMatchObject([
      {
        kind: 'action.approved',
        approver: 'sam@example.com',
        actor: { kind: 'human', id: 'sam@example.com' },
        comment: 'ok',
      },
    ]);
    const denied = actionAuditInputs(
      { ...record, status: 'DENIED', approval: { decidedBy: 'sam@example.com', decision: 'DENY', comment: null } },
      'resolved',
    );
    expect(denied.map((i) => i.kind)).toEqual(['action.denied']);
    const expired = actionAuditInputs(
      { ...record, status: 'EXPIRED', approval: { decidedBy: null, decision: 'EXPIRE', comment: null } },
      'resolved',
    );
    expect(auditEvent(expired[0]!, NOW).data).toMatchObject({
      class_uid: 3004,
      entity_result: { data: { status: 'EXPIRED' } },
      actor: { user: { uid: 'warden' } },
    });
    expect(() => actionAuditInputs(record, 'resolved')).toThrow(TypeError);
  });
});

describe('canonical JSON', () => {
  it('sorts keys by UTF-16 code units with no whitespace (RFC 8785)', () => {
    const keys = ['\u20ac', '\r', '\ufb33', '1', '\ud83d\ude00', '\u0080', '\u00f6'];
    const obj = Object.fromEntries(keys.map((k, i) => [k, i]));
    const sorted = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    expect(canonicalJson(obj)).toBe(`{${sorted.map((k) => `${JSON.stringify(k)}:${keys.indexOf(k)}`).join(',')}}`);
    expect(canonicalJson({ b: [1, { d: true, c: null }], a: 'x', u: undefined })).toBe(
      '{"a":"x","b":[1,{"c":null,"d":true}]}',
    );
    expect(canonicalJson({ n: [-0, 1e21, 0.1, 1e-7, 100] })).toBe('{"n":[0,1e+21,0.1,1e-7,100]}');
    expect(canonicalJson('\u2028"\\\u0007')).toBe('"\u2028\\"\\\\\\u0007"');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ x: 1n })).toThrow(TypeError);
  });

  it('is the same for a value and its JSON round trip, whatever the key order', () => {
    const e = auditEvent(decided(), NOW);
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverseKeys(x)]),
            )
          : v;
    const reordered = reverseKeys(e);
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(e));
    expect(canonicalJson(reordered)).toBe(canonicalJson(e));
    expect(canonicalJson(clone(e))).toBe(canonicalJson(e));
    const chained = chain(null, e);
    expect(auditHash(reverseKeys(chained) as ChainedAuditEvent)).toBe(chained.wardenhash);
  });
});

describe('hash chain', () => {
  it('links each event to the previous one', () => {
    const events = makeChain(3);
    expect(events.map((e) => e.wardenseq)).toEqual([1, 2, 3]);
    expect(events[0]!.wardenprevhash).toBe(GENESIS_HASH);
    expect(events[1]!.wardenprevhash).toBe(events[0]!.wardenhash);
    for (const e of events) {
      expect(e.wardenhash).toMatch(/^[0-9a-f]{64}$/);
      expect(auditHash(e)).toBe(e.wardenhash);
    }
    const again = chain(linkOf(events[2]!), auditEvent(inputOf('token.issued'), NOW));
    expect(again.wardenseq).toBe(4);
    expect(verifyChain([...events, again])).toEqual({ ok: true });
    // re-chaining an already chained event replaces its chain attributes
    expect(chain(null, events[2]!)).toMatchObject({ wardenseq: 1, wardenprevhash: GENESIS_HASH });
    expect(verifyChain([])).toEqual({ ok: true });
  });

  it('detects an edited record', () => {
    const events = clone(makeChain(5));
    events[2]!.data.unmapped.warden.volume = 10_000;
    expect(verifyChain(events)).toEqual({ ok: false, index: 2, problem: 'edited' });
    const envelope = clone(makeChain(5));
    envelope[3]!.subject = 'someone-else';
    expect(verifyChain(envelope)).toEqual({ ok: false, index: 3, problem: 'edited' });
    const garbage = [...makeChain(2), { hello: 'world' }];
    expect(verifyChain(garbage)).toEqual({ ok: false, index: 2, problem: 'edited' });
    // linksOnly (the writer's own fresh batch) checks sequence and links, not content…
    expect(verifyChainFrom(null, events, { linksOnly: true })).toEqual({ ok: true });
    expect(verifyChainFrom(null, garbage, { linksOnly: true })).toEqual({ ok: false, index: 2, problem: 'edited' });
    const relinked = clone(makeChain(3));
    relinked[2]!.wardenprevhash = GENESIS_HASH;
    expect(verifyChainFrom(null, relinked, { linksOnly: true })).toEqual({
      ok: false,
      index: 2,
      problem: 'broken-link',
    });
  });

  it('detects an edit whose hash was recomputed, at the next record (or, for the last, by the anchor)', () => {
    const events = clone(makeChain(5));
    events[1]!.data.message = 'nothing to see';
    events[1]!.wardenhash = auditHash(events[1]!);
    expect(verifyChain(events)).toEqual({ ok: false, index: 2, problem: 'broken-link' });

    const original = makeChain(5);
    const tail = clone(original);
    tail[4]!.data.message = 'rewritten';
    tail[4]!.wardenhash = auditHash(tail[4]!);
    expect(verifyChain(tail)).toEqual({ ok: true }); // undetectable from the chain alone…
    expect(verifyChain(tail, { anchor: linkOf(original[4]!) })).toEqual({ ok: false, index: 4, problem: 'edited' }); // …but not with an anchor
  });

  it('detects removed records', () => {
    const events = makeChain(5);
    expect(verifyChain([...events.slice(0, 2), ...events.slice(3)])).toEqual({
      ok: false,
      index: 2,
      problem: 'missing',
    });
    expect(verifyChain(events.slice(1))).toEqual({ ok: false, index: 0, problem: 'missing' });
    expect(verifyChain(events.slice(0, 4), { anchor: linkOf(events[4]!) })).toEqual({
      ok: false,
      index: 4,
      problem: 'missing',
    });
  });

  it('detects reordering', () => {
    const events = makeChain(5);
    expect(verifyChain([events[0]!, events[2]!, events[1]!, events[3]!, events[4]!])).toEqual({
      ok: false,
      index: 1,
      problem: 'reordered',
    });
    expect(verifyChain([events[1]!, events[0]!, ...events.slice(2)])).toEqual({
      ok: false,
      index: 0,
      problem: 'reordered',
    });
  });

  it('detects inserted records', () => {
    const events = makeChain(5);
    // a forged record that links correctly to its predecessor…
    const forged = chain(linkOf(events[1]!), auditEvent(decided({ decision: 'ALLOW' }), NOW));
    expect(verifyChain([...events.slice(0, 2), forged, ...events.slice(2)])).toEqual({
      ok: false,
      index: 3,
      problem: 'broken-link',
    });
    // a duplicated record
    expect(verifyChain([...events.slice(0, 3), events[2]!, ...events.slice(3)])).toEqual({
      ok: false,
      index: 3,
      problem: 'broken-link',
    });
    // a record from another chain at the right position
    const other = makeChain(3);
    expect(verifyChain([...events.slice(0, 2), other[2]!, ...events.slice(3)])).toEqual({
      ok: false,
      index: 2,
      problem: 'broken-link',
    });
  });

  it('verifies page by page from the previous page’s last link', () => {
    const events = makeChain(10);
    const pages = [events.slice(0, 4), events.slice(4, 8), events.slice(8)];
    let prev: { seq: number; hash: string } | null = null;
    for (const page of pages) {
      expect(verifyChainFrom(prev, page)).toEqual({ ok: true });
      prev = linkOf(page[page.length - 1]!);
    }
    expect(verifyChainFrom(linkOf(events[2]!), pages[1]!)).toEqual({ ok: false, index: 0, problem: 'missing' }); // seq 4 is not there
    expect(verifyChainFrom(linkOf(events[4]!), pages[1]!)).toEqual({ ok: false, index: 0, problem: 'broken-link' });
    expect(verifyChainFrom({ seq: 4, hash: 'f'.repeat(64) }, pages[1]!)).toEqual({
      ok: false,
      index: 0,
      problem: 'broken-link',
    });
  });
});

describe('JSON lines file sink', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-audit-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fresh = (name: string) => path.join(dir, name, 'audit.jsonl');

  it('round-trips events, one per line, and verifies', async () => {
    const file = fresh('roundtrip');
    const sink = new JsonLinesFileSink(file);
    expect(await sink.readAll()).toEqual([]);
    expect(await sink.lastLink()).toBeNull();
    const events = makeChain(7);
    await sink.write(events.slice(0, 3));
    await sink.write(events.slice(3));
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(7);
    const back = await sink.readAll();
    expect(back).toEqual(events);
    expect(verifyChain(back)).toEqual({ ok: true });
    expect(await sink.lastLink()).toEqual(linkOf(events[6]!));
  });

  it('queries with filters and pages with a sequence cursor', async () => {
    const sink = new JsonLinesFileSink(fresh('query'));
    const trail = new AuditTrail(sink);
    const inputs: AuditInput[] = [];
    for (let i = 0; i < 12; i++) {
      const who = i % 3 === 0 ? { agentId: 'agt_other' } : { agentId: agent.agentId };
      inputs.push({ ...decided({ actionId: `act_${i % 4}`, decision: i % 2 ? 'ALLOW' : 'DENY' }), ...who });
      if (i % 4 === 0) inputs.push({ ...inputOf('agent.contained', i), ...who });
    }
    const written = await trail.append(inputs.map((inp, i) => auditEvent(inp, new Date(NOW.getTime() + i * 60_000))));
    expect(written).toHaveLength(15);

    const mine = written.filter((e) => e.subject === agent.agentId);
    const all = await sink.query({ filter: { agentId: agent.agentId }, first: 100 });
    expect(all).toEqual({ events: mine, hasNextPage: false, endCursor: mine[mine.length - 1]!.wardenseq });

    const seen: ChainedAuditEvent[] = [];
    let after: number | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page = await sink.query({ filter: { agentId: agent.agentId }, first: 3, after });
      seen.push(...page.events);
      expect(page.events.length).toBeLessThanOrEqual(3);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toEqual(mine);

    const contained = await sink.query({ filter: { type: 'io.warden.agent.contained' } });
    expect(contained.events.map((e) => e.type)).toEqual([
      'io.warden.agent.contained',
      'io.warden.agent.contained',
      'io.warden.agent.contained',
    ]);
    const both = await sink.query({
      filter: { type: ['io.warden.agent.contained', 'io.warden.action.decided'] },
      first: 1000,
    });
    expect(both.events).toHaveLength(15);

    const act2 = await sink.query({ filter: { actionId: 'act_2' } });
    expect(act2.events.map((e) => e.data.unmapped.warden.action_id)).toEqual(['act_2', 'act_2', 'act_2']);

    const window = await sink.query({
      filter: {
        since: new Date(NOW.getTime() + 3 * 60_000),
        until: new Date(NOW.getTime() + 6 * 60_000).toISOString(),
      },
    });
    expect(window.events.map((e) => e.wardenseq)).toEqual([4, 5, 6]);

    expect(await sink.query({ filter: { agentId: 'nobody' } })).toEqual({
      events: [],
      hasNextPage: false,
      endCursor: null,
    });
    expect(await sink.query({ after: 15 })).toEqual({ events: [], hasNextPage: false, endCursor: null });
    await expect(sink.query({ first: 0 })).rejects.toThrow(RangeError);
    await expect(sink.query({ first: 5000 })).rejects.toThrow(RangeError);
    await expect(sink.query({ after: -1 })).rejects.toThrow(RangeError);
    await expect(sink.query({ filter: { since: 'yesterday' } })).rejects.toThrow(RangeError);
  });

  it('continues the chain after a restart (a new sink on the same file)', async () => {
    const file = fresh('restart');
    const first = new AuditTrail(new JsonLinesFileSink(file));
    await first.append([auditEvent(inputOf('token.issued', 1), NOW), auditEvent(decided(), NOW)]);

    const sink = new JsonLinesFileSink(file); // the process restarted
    const link = await sink.lastLink();
    expect(link?.seq).toBe(2);
    const trail = new AuditTrail(sink, { head: () => sink.lastLink() });
    const more = await trail.append([
      auditEvent(inputOf('agent.contained', 1), NOW),
      auditEvent(inputOf('agent.logout', 1), NOW),
    ]);
    expect(more.map((e) => e.wardenseq)).toEqual([3, 4]);
    expect(more[0]!.wardenprevhash).toBe(link!.hash);
    const all = await sink.readAll();
    expect(all.map((e) => e.wardenseq)).toEqual([1, 2, 3, 4]);
    expect(verifyChain(all)).toEqual({ ok: true });
  });

  it('refuses a batch that does not continue its chain, and skips one it already holds', async () => {
    const file = fresh('conflict');
    const sink = new JsonLinesFileSink(file);
    const events = makeChain(4);
    await sink.write(events.slice(0, 2));
    const before = fs.readFileSync(file, 'utf8');
    await expect(sink.write(events.slice(3))).rejects.toThrow(AuditChainConflictError); // a gap
    await expect(sink.write(makeChain(1))).rejects.toThrow(AuditChainConflictError); // another chain's seq 1
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    await sink.write(events.slice(0, 2)); // a retry of what it has: nothing happens
    await new JsonLinesFileSink(file).write(events.slice(0, 3)); // a restarted writer retrying: only seq 3 is new
    expect((await sink.readAll()).map((e) => e.wardenseq)).toEqual([1, 2, 3]);

    // another writer appended behind this sink's back: it notices and refuses to fork the chain
    const other = new JsonLinesFileSink(file);
    await other.write(events.slice(3));
    const forked = chain(linkOf(events[2]!), auditEvent(inputOf('token.issued'), NOW));
    await expect(sink.write([forked])).rejects.toThrow(AuditChainConflictError);
    expect(verifyChain(await sink.readAll())).toEqual({ ok: true });
  });

  it('cuts a torn last line (a crash mid-append) and keeps a record that only lost its newline', async () => {
    const file = fresh('torn');
    const events = makeChain(4);
    await new JsonLinesFileSink(file).write(events.slice(0, 2));
    fs.appendFileSync(file, JSON.stringify(events[2]).slice(0, 40));
    const sink = new JsonLinesFileSink(file);
    expect(await sink.lastLink()).toEqual(linkOf(events[1]!));
    await sink.write([events[2]!]);
    expect(await sink.readAll()).toEqual(events.slice(0, 3));

    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').trimEnd()); // an editor dropped the final newline
    const again = new JsonLinesFileSink(file);
    expect(await again.lastLink()).toEqual(linkOf(events[2]!));
    await again.write([events[3]!]);
    expect(verifyChain(await again.readAll())).toEqual({ ok: true });
    expect((await again.readAll()).length).toBe(4);
  });

  it('a tampered line in the file is detected by verifyChain over readAll()', async () => {
    const file = fresh('tamper');
    const sink = new JsonLinesFileSink(file);
    await sink.write(makeChain(6));
    expect(verifyChain(await sink.readAll())).toEqual({ ok: true });

    expect(await sink.verify({ slice: 4 })).toEqual({ ok: true });
    const head = await sink.lastLink();
    expect(await sink.verify({ anchor: head!, slice: 2 })).toEqual({ ok: true });

    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const original = lines.join('\n');
    lines[3] = lines[3]!.replace('"message":"', '"message":"(nothing happened) ');
    expect(lines.join('\n')).not.toBe(original);
    fs.writeFileSync(file, lines.join('\n'));
    expect(verifyChain(await new JsonLinesFileSink(file).readAll())).toEqual({
      ok: false,
      index: 3,
      problem: 'edited',
    });
    expect(await new JsonLinesFileSink(file).verify({ slice: 2 })).toEqual({ ok: false, index: 3, problem: 'edited' });

    const removed = original.split('\n').filter((_, i) => i !== 2);
    fs.writeFileSync(file, removed.join('\n'));
    expect(verifyChain(await new JsonLinesFileSink(file).readAll())).toEqual({
      ok: false,
      index: 2,
      problem: 'missing',
    });

    const swapped = original.split('\n');
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    fs.writeFileSync(file, swapped.join('\n'));
    expect(verifyChain(await new JsonLinesFileSink(file).readAll())).toEqual({
      ok: false,
      index: 1,
      problem: 'reordered',
    });

    fs.writeFileSync(file, original.split('\n').slice(0, 4).join('\n') + '\n'); // the tail cut off
    expect(verifyChain(await new JsonLinesFileSink(file).readAll())).toEqual({ ok: true });
    expect(await new JsonLinesFileSink(file).verify({ anchor: head! })).toEqual({
      ok: false,
      index: 4,
      problem: 'missing',
    });
  });
});

interface Received {
  method: string;
  contentType: string | undefined;
  body: unknown;
}

async function receiver(status: () => number): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    received.push({
      method: req.method ?? '',
      contentType: req.headers['content-type'],
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    });
    res.writeHead(status(), { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/audit`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('webhook sink', () => {
  it('posts a CloudEvents JSON batch', async () => {
    const hook = await receiver(() => 202);
    try {
      const events = makeChain(3);
      await new WebhookSink(hook.url, { format: 'cloudevents' }).write(events);
      await new WebhookSink(hook.url).write([]); // nothing to send, no request
      expect(hook.received).toHaveLength(1);
      const got = hook.received[0]!;
      expect(got.method).toBe('POST');
      expect(got.contentType).toMatch(/^application\/cloudevents-batch\+json/);
      expect(Array.isArray(got.body)).toBe(true);
      const batch = got.body as ChainedAuditEvent[];
      expect(batch).toEqual(events);
      for (const e of batch) {
        expect(e).toMatchObject({
          specversion: '1.0',
          datacontenttype: 'application/json',
          source: 'urn:warden:test',
          subject: 'agt_supply',
        });
        expect(typeof e.wardenseq).toBe('number');
      }
      expect(verifyChain(batch)).toEqual({ ok: true });

      await new WebhookSink(hook.url, { format: 'ocsf' }).write(events);
      expect(hook.received[1]!.contentType).toMatch(/^application\/json/);
      expect(hook.received[1]!.body).toEqual(events.map((e) => e.data));
    } finally {
      await hook.close();
    }
  });

  it('throws on a non-2xx answer so the caller can retry', async () => {
    const hook = await receiver(() => 500);
    try {
      const err = await new WebhookSink(hook.url).write(makeChain(1)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuditWebhookError);
      expect((err as AuditWebhookError).status).toBe(500);
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
    // Closed: unreachable
    await expect(new WebhookSink(hook.url, { timeoutMs: 2000 }).write(makeChain(1))).rejects.toThrow(AuditWebhookError);
    expect(() => new WebhookSink('file:///etc/passwd')).toThrow(TypeError);
  });

  it('a file and a webhook together: a failed webhook gets the same chained batch again, the file does not get it twice', async () => {
    let status = 503;
    const hook = await receiver(() => status);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-audit-multi-'));
    try {
      const file = new JsonLinesFileSink(path.join(dir, 'audit.jsonl'));
      const trail = new AuditTrail(new MultiSink([file, new WebhookSink(hook.url)]), { head: () => file.lastLink() });
      const batch = [
        auditEvent(decided(), NOW, { id: 'e1' }),
        auditEvent(inputOf('agent.contained'), NOW, { id: 'e2' }),
      ];
      await expect(trail.append(batch)).rejects.toThrow(AggregateError);
      expect((await file.readAll()).map((e) => e.id)).toEqual(['e1', 'e2']);

      status = 200;
      const retried = await trail.append(batch); // e.g. the activity retried with the same events
      expect(retried.map((e) => [e.id, e.wardenseq])).toEqual([
        ['e1', 1],
        ['e2', 2],
      ]);
      await trail.append([auditEvent(inputOf('agent.logout'), NOW, { id: 'e3' })]);
      // A retry after a lost answer: not chained twice
      expect((await trail.append(batch)).map((e) => e.wardenseq)).toEqual([1, 2]);
      const stored = await file.readAll();
      expect(stored.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
      expect(verifyChain(stored)).toEqual({ ok: true });
      const delivered = hook.received.slice(1).flatMap((r) => r.body as ChainedAuditEvent[]);
      expect(delivered).toEqual(stored);
    } finally {
      await hook.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
