/**
 * Reconciliation as pure functions: how a sighting updates what the directory knows of an agent, when a
 * dismissal holds, and which evidence counts as "changed". Plus the sources file's checks.
 */
import { describe, expect, it } from 'vitest';
import {
  agentIdOfFinding,
  applySighting,
  dismissFinding,
  evidenceKeyOf,
  raisedSources,
  type Sighting,
  type Finding,
} from '../domain/discovery.js';
import path from 'node:path';
import { loadSweepPlan, parseSweepPlan, SweepPlanError } from '../discovery/sweep-plan.js';

const AGENT = '0b6f7a52-1c1e-5d7e-9a3b-3f1e2d4c5b6a';
const finding = (over: Partial<Finding> = {}): Finding => ({
  source: 'NETWORK',
  kind: 'llm-egress',
  fingerprint: 'net:build-runner-3',
  agentName: 'LLM client on build-runner-3',
  platform: 'anthropic',
  host: 'build-runner-3',
  evidence: { endpoints: 'api.anthropic.com', providers: 'anthropic', logs: 'ssl.log', clientAddress: '10.20.0.40' },
  firstSeen: '2024-05-08T08:00:00.000Z',
  lastSeen: '2024-05-08T09:00:00.000Z',
  count: 3,
  ...over,
});
const sighting = (sweepId: string, over: Partial<Finding> = {}, sourceName = 'zeek'): Sighting => ({
  sweepId,
  sourceName,
  finding: finding(over),
});

describe('applySighting', () => {
  it('a new finding, a replay of the same sweep, and a later sweep', () => {
    const first = applySighting(AGENT, null, sighting('s1'));
    expect(first.outcome).toBe('new');
    expect(first.discovery).toMatchObject({
      fingerprint: 'net:build-runner-3',
      discoveredBySweep: 's1',
      lastSeenAt: '2024-05-08T09:00:00.000Z',
    });
    expect(first.discovery.findings.map((f) => f.id)).toEqual([`${AGENT}.zeek.llm-egress`]);

    const replay = applySighting(AGENT, first.discovery, sighting('s1'));
    expect(replay.outcome).toBe('replayed');
    expect(replay.discovery).toEqual(first.discovery);

    const later = applySighting(
      AGENT,
      first.discovery,
      sighting('s2', { firstSeen: '2024-05-09T08:00:00.000Z', lastSeen: '2024-05-09T10:00:00.000Z', count: 1 }),
    );
    expect(later.outcome).toBe('seen-again');
    expect(later.discovery.findings[0]).toMatchObject({
      firstSeen: '2024-05-08T08:00:00.000Z',
      lastSeen: '2024-05-09T10:00:00.000Z',
      count: 1,
      lastSweepId: 's2',
    });
    expect(later.discovery.lastSeenAt).toBe('2024-05-09T10:00:00.000Z');
    expect(later.discovery.discoveredBySweep).toBe('s1');
  });

  it('two sources are two findings of one agent; the proposed owner comes from the first evidence that names one', () => {
    const a = applySighting(AGENT, null, sighting('s1'));
    const b = applySighting(
      AGENT,
      a.discovery,
      sighting('s1', { proposedOwnerEmail: 'ci@example.com', user: 'ci' }, 'squid'),
    );
    expect(b.outcome).toBe('new');
    expect(b.discovery.findings.map((f) => f.sourceName)).toEqual(['squid', 'zeek']);
    expect(b.discovery.proposedOwnerEmail).toBe('ci@example.com');
  });

  it('a dismissal holds while the evidence is the same (even from other log files or addresses), and lifts when it changes', () => {
    const seen = applySighting(AGENT, null, sighting('s1')).discovery;
    const dismissed = dismissFinding(
      seen,
      `${AGENT}.zeek.llm-egress`,
      'sec@example.com',
      '  approved pilot  ',
      '2024-05-10T00:00:00.000Z',
    );
    expect(dismissed.findings[0]!.dismissal).toMatchObject({ by: 'sec@example.com', reason: 'approved pilot' });
    expect(raisedSources(dismissed)).toEqual([]);

    const same = applySighting(
      AGENT,
      dismissed,
      sighting('s2', { evidence: { ...finding().evidence, logs: 'ssl.log.1', clientAddress: '10.20.0.99' } }),
    );
    expect(same.outcome).toBe('dismissed');
    expect(same.discovery.findings[0]!.dismissal).not.toBeNull();

    const changed = applySighting(
      AGENT,
      same.discovery,
      sighting('s3', {
        evidence: {
          ...finding().evidence,
          endpoints: 'api.anthropic.com, api.openai.com',
          providers: 'anthropic, openai',
        },
      }),
    );
    expect(changed.outcome).toBe('evidence-changed');
    expect(changed.discovery.findings[0]!.dismissal).toBeNull();
    expect(raisedSources(changed.discovery)).toEqual(['NETWORK']);
  });

  it('evidence keys ignore circumstance and order, not substance', () => {
    expect(evidenceKeyOf(finding({ evidence: { b: '1', a: '2', logs: 'x', pids: '7' } }))).toBe(
      evidenceKeyOf(finding({ evidence: { a: '2', b: '1', logs: 'y' } })),
    );
    expect(evidenceKeyOf(finding({ evidence: { a: '2' } }))).not.toBe(evidenceKeyOf(finding({ evidence: { a: '3' } })));
    expect(evidenceKeyOf(finding({ kind: 'llm-egress' }))).not.toBe(
      evidenceKeyOf(finding({ kind: 'agent-user-agent' })),
    );
  });

  it('finding ids name their agent; anything else names none', () => {
    expect(agentIdOfFinding(`${AGENT}.zeek.llm-egress`)).toBe(AGENT);
    for (const bad of [
      '',
      AGENT,
      `${AGENT}.zeek`,
      `${AGENT}..llm-egress`,
      `x${AGENT}.zeek.llm-egress`,
      `${AGENT}.zeek.LLM`,
      `${AGENT}.a b.llm-egress`,
    ])
      expect(agentIdOfFinding(bad)).toBeNull();
  });
});

describe('the sources file', () => {
  it('resolves paths against its folder and fills in the rules', () => {
    const plan = parseSweepPlan(
      {
        rules: { ownerEmailDomain: 'example.com' },
        sources: [
          { name: 'zeek', type: 'zeek', files: ['logs/ssl.log'] },
          { name: 'mcp', type: 'mcp-configs', root: '/abs' },
        ],
      },
      '/etc/warden',
    );
    expect(plan.sources).toEqual([
      { name: 'zeek', type: 'zeek', files: ['/etc/warden/logs/ssl.log'] },
      { name: 'mcp', type: 'mcp-configs', root: '/abs' },
    ]);
    expect(plan.rules.ownerEmailDomain).toBe('example.com');
    expect(plan.rules.llmEndpoints.length).toBeGreaterThan(10);
  });

  it('the example in config/ is a valid sources file', () => {
    const plan = loadSweepPlan(path.join(import.meta.dirname, '..', 'config', 'discovery.example.json'));
    expect(plan.sources.map((s) => s.type)).toEqual([
      'zeek',
      'squid',
      'suricata',
      'osquery',
      'mcp-configs',
      'vertex',
      'bedrock',
      'azure-foundry',
    ]);
  });

  it.each([
    [null, /JSON object/],
    [{ sources: {} }, /"sources" must be an array/],
    [{ rules: [], sources: [] }, /"rules" must be an object/],
    [{ sources: [{ name: 'x', type: 'zeek', files: [] }] }, /files must list at least one file/],
    [{ sources: [{ name: 'x', type: 'zeek', files: [''] }] }, /files\[0\] must be a path/],
    [
      {
        sources: [
          { name: 'x', type: 'zeek', files: ['a'] },
          { name: 'x', type: 'squid', files: ['b'] },
        ],
      },
      /Two sources are named "x"/,
    ],
    [{ sources: [{ name: '../x', type: 'zeek', files: ['a'] }] }, /name must be/],
    [
      { sources: [{ name: 'v', type: 'vertex', targets: [{ project: 'p' }] }] },
      /targets must list \{ project, location \}/,
    ],
    [{ sources: [{ name: 'b', type: 'bedrock', targets: [] }] }, /targets must list \{ region \}/],
    [
      { sources: [{ name: 'p', type: 'pigeon' }] },
      /type must be one of zeek, squid, .*osquery, mcp-configs, vertex, bedrock, azure-foundry/,
    ],
    [
      { sources: Array.from({ length: 65 }, (_, i) => ({ name: `s${i}`, type: 'squid', files: ['a'] })) },
      /At most 64 sources/,
    ],
  ])('refuses %j', (raw, message) => {
    expect(() => parseSweepPlan(raw, '/etc/warden')).toThrow(SweepPlanError);
    expect(() => parseSweepPlan(raw, '/etc/warden')).toThrow(message);
  });
});
