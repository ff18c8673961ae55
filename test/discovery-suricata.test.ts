/**
 * Suricata EVE JSON (test/fixtures/discovery/suricata/eve.json, written from docs.suricata.io "Eve JSON
 * Format"; see the fixtures README): TLS SNI, HTTP host / user agent, and optionally DNS queries in the
 * version 2 and 3 layouts; malformed and truncated records counted; resume from every checkpoint.
 * Pure: no Temporal.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  discoveryConfig,
  mergeFindings,
  scanSuricata,
  type DiscoveryConfig,
  type ScanResult,
  type SourceProgress,
} from '../discovery/index.js';
import { parseSweepPlan, plannedSources } from '../discovery/sweep-plan.js';
import type { Finding } from '../domain/discovery.js';

const EVE = path.join(import.meta.dirname, 'fixtures', 'discovery', 'suricata', 'eve.json');
const config = discoveryConfig({
  ownerEmailDomain: 'example.com',
  hostAliases: { '10.20.0.40': 'build-runner-3' },
  limits: { maxLineBytes: 4096 },
});
const fps = (r: ScanResult) => r.findings.map((f) => f.fingerprint).sort();
const byFp = (r: ScanResult, fp: string) => r.findings.find((f) => f.fingerprint === fp)!;

describe('suricata EVE JSON', () => {
  it('tls.sni and http hostname / user agent; src_ip is the client; other event types passed over', async () => {
    const r = await scanSuricata({ files: [EVE] }, config);
    expect(fps(r)).toEqual(['net:10.20.0.42', 'net:build-runner-3']);
    expect(byFp(r, 'net:build-runner-3')).toMatchObject({
      source: 'NETWORK',
      kind: 'llm-egress',
      platform: 'anthropic',
      firstSeen: '2024-05-08T08:00:30.251Z',
      evidence: { logs: 'suricata-tls', clientAddress: '10.20.0.40', endpoints: 'api.anthropic.com' },
    });
    expect(byFp(r, 'net:10.20.0.42')).toMatchObject({
      kind: 'agent-user-agent',
      firstSeen: '2024-05-08T08:00:33.903Z', // logged as 10:00:33.903924+0200
      evidence: {
        logs: 'suricata-http',
        endpoints: 'llm-gw.internal.example',
        frameworks: 'langchain',
        methods: 'POST',
        uris: '/v1/chat/completions',
      },
    });
    expect(JSON.stringify(r.findings)).not.toContain('PLANTEDquerytoken999');
    // malformed: truncated JSON, ts "yesterday", no src_ip, http not an object, Latin-1 bytes, a JSON array,
    // the truncated last line; skipped: alert, flow, stats and the six dns events (dns is off)
    expect(r.progress).toMatchObject({ read: 22, malformed: 7, skipped: 9, errors: [], done: true });
  });

  it('dns on: v2 `query` rrname and v3 `request` queries[].rrname; responses (the resolver as src_ip) passed over', async () => {
    const r = await scanSuricata({ files: [EVE], dns: true }, config);
    expect(fps(r)).toEqual(['net:10.20.0.42', 'net:10.20.0.48', 'net:10.20.0.49', 'net:build-runner-3']);
    expect(byFp(r, 'net:10.20.0.48').evidence).toMatchObject({
      logs: 'suricata-dns',
      endpoints: 'generativelanguage.googleapis.com',
      providers: 'google-gemini',
    });
    expect(byFp(r, 'net:10.20.0.49').evidence).toMatchObject({ endpoints: 'api.mistral.ai' });
    expect(r.findings.some((f) => f.evidence.clientAddress === '10.0.0.53')).toBe(false);
    // + a v3 request without `queries`
    expect(r.progress).toMatchObject({ read: 22, malformed: 8, skipped: 3, done: true });
  });

  it('the sources file takes a suricata source with an optional dns switch', () => {
    const plan = parseSweepPlan(
      { sources: [{ name: 'ids', type: 'suricata', files: ['eve.json'], dns: true }] },
      '/var/log/suricata',
    );
    expect(plan.sources[0]).toEqual({
      name: 'ids',
      type: 'suricata',
      files: ['/var/log/suricata/eve.json'],
      dns: true,
    });
    expect(plannedSources(plan)).toEqual([{ name: 'ids', type: 'suricata', covers: ['NETWORK'] }]);
    expect(() =>
      parseSweepPlan({ sources: [{ name: 'ids', type: 'suricata', files: ['eve.json'], dns: 'yes' }] }, '/x'),
    ).toThrow(/sources\[0\]\.dns must be true or false/);
    expect(() => parseSweepPlan({ sources: [{ name: 'ids', type: 'suricata' }] }, '/x')).toThrow(/files/);
  });

  it.each([false, true])(
    'dns %s: every checkpoint resumed yields the rest; heartbeat ∪ rest = full scan',
    async (dns) => {
      const stepConfig: DiscoveryConfig = { ...config, limits: { ...config.limits, progressEvery: 1 } };
      const scan = (resume?: SourceProgress, on?: (p: SourceProgress, f: Finding[]) => void) =>
        scanSuricata({ files: [EVE, EVE], dns }, stepConfig, resume, on);
      const checkpoints: Array<{ progress: SourceProgress; findings: Finding[] }> = [];
      const full = await scan(undefined, (progress, findings) => {
        checkpoints.push({ progress, findings });
      });
      expect(checkpoints.length).toBeGreaterThan(20);
      for (const cp of checkpoints) {
        const rest = await scan(cp.progress);
        expect(mergeFindings(cp.findings, rest.findings)).toEqual(full.findings);
        expect(rest.progress).toMatchObject({
          read: full.progress.read,
          malformed: full.progress.malformed,
          skipped: full.progress.skipped,
          done: true,
        });
      }
      expect((await scan(full.progress)).findings).toEqual([]);
    },
  );
});
