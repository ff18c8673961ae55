/**
 * Zeek in its default ASCII (TSV) format as well as JSON: headers, custom separators, unset/empty fields,
 * fields in any order, rotated gzip files, dns and conn evidence, malformed and truncated input, resume.
 * Fixtures: test/fixtures/discovery/zeek/tsv and json (see test/fixtures/discovery/README.md). Pure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  discoveryConfig,
  mergeFindings,
  scanZeek,
  type DiscoveryConfig,
  type ScanResult,
  type SourceProgress,
} from '../discovery/index.js';
import { parseSweepPlan } from '../discovery/sweep-plan.js';
import { decodeEscapes } from '../discovery/sources/zeek-tsv.js';
import type { Finding } from '../domain/discovery.js';

const Z = path.join(import.meta.dirname, 'fixtures', 'discovery', 'zeek');
const tsv = (name: string) => path.join(Z, 'tsv', name);
const json = (name: string) => path.join(Z, 'json', name);
const ROTATED = tsv('ssl.2026-12-01-01-00-00.log.gz');
const config = discoveryConfig({ limits: { maxLineBytes: 4096 } });
const fps = (r: ScanResult) => r.findings.map((f) => f.fingerprint);
const byFp = (r: ScanResult, fp: string) => r.findings.find((f) => f.fingerprint === fp)!;

describe('Zeek TSV (the default ASCII format)', () => {
  it('an ssl.log naming api.openai.com and api.anthropic.com → findings, 0 malformed', async () => {
    const r = await scanZeek({ files: [tsv('ssl.log')] }, config);
    expect(fps(r)).toEqual(['net:10.30.0.21', 'net:10.30.0.22']);
    expect(r.progress).toMatchObject({ read: 16, malformed: 0, skipped: 9, errors: [], done: true });
    expect(byFp(r, 'net:10.30.0.21')).toMatchObject({
      platform: 'openai',
      count: 2,
      firstSeen: '2026-12-01T00:00:03.228Z',
      lastSeen: '2026-12-01T00:00:09.781Z',
      evidence: { logs: 'zeek-ssl', endpoints: 'api.openai.com', providers: 'openai', clientAddress: '10.30.0.21' },
    });
    expect(byFp(r, 'net:10.30.0.22').platform).toBe('anthropic');
  });

  it('a custom separator, set separator and unset/empty markers, fields in another order, escaped values', async () => {
    const r = await scanZeek({ files: [tsv('http.custom.log')] }, config);
    // The langchain request's uri holds an escaped separator (\x7c): still one record with all its fields.
    expect(fps(r)).toEqual(['net:10.30.0.62', 'net:10.30.0.63']);
    expect(r.progress).toMatchObject({ read: 13, malformed: 0, skipped: 9 });
    expect(byFp(r, 'net:10.30.0.62').evidence).toMatchObject({
      endpoints: 'api.openai.com',
      methods: 'POST',
      uris: '/v1/chat/completions',
      userAgents: 'OpenAI/Python 1.40.0',
    });
    expect(byFp(r, 'net:10.30.0.63')).toMatchObject({ kind: 'agent-user-agent' });
    // `NULL` (the unset marker) is no host: the curl record is read, not a finding, not malformed.
    expect(JSON.stringify(r.findings)).not.toContain('NULL');
  });

  it('unescapes \\xHH bytes (also UTF-8 sequences) and \\\\', () => {
    expect(decodeEscapes('a\\x7cb')).toBe('a|b');
    expect(decodeEscapes('\\xe2\\x82\\xac \\\\ \\x09')).toBe('€ \\ \t');
    expect(decodeEscapes('plain-text')).toBe('plain-text');
  });

  it('a gzip-rotated file with two header blocks is read streaming', async () => {
    const r = await scanZeek({ files: [ROTATED] }, config);
    expect(fps(r)).toEqual(['net:10.30.0.31', 'net:10.30.0.32']);
    expect(byFp(r, 'net:10.30.0.31')).toMatchObject({ platform: 'mistral', count: 2 });
    expect(byFp(r, 'net:10.30.0.32').platform).toBe('google-gemini');
    expect(r.progress).toMatchObject({ read: 22, malformed: 0, skipped: 18, errors: [] });
  });
});

describe('dns and conn evidence', () => {
  const expected = ['net:10.30.0.41', 'net:10.30.0.42', 'net:10.30.0.51', 'net:10.30.0.54'];

  it.each([
    ['TSV', tsv],
    ['JSON', json],
  ])('%s: dns queries for endpoints; long-lived connections to the addresses they resolved', async (_f, at) => {
    // conn.log listed first: dns logs are read first all the same.
    const r = await scanZeek({ files: [at('conn.log'), at('dns.log')] }, config);
    expect(fps(r)).toEqual(expected);
    expect(r.progress.malformed).toBe(0);
    expect(byFp(r, 'net:10.30.0.41')).toMatchObject({
      platform: 'anthropic',
      evidence: { logs: 'zeek-dns', endpoints: 'api.anthropic.com' },
    });
    expect(byFp(r, 'net:10.30.0.51')).toMatchObject({
      platform: 'anthropic',
      evidence: { logs: 'zeek-conn', endpoints: 'api.anthropic.com' },
    });
    expect(byFp(r, 'net:10.30.0.54').evidence.endpoints).toBe('api.openai.com');
  });

  it('conn alone names nothing (an address is no endpoint); the threshold is configurable', async () => {
    expect((await scanZeek({ files: [tsv('conn.log')] }, config)).findings).toEqual([]);
    const r = await scanZeek({ files: [tsv('dns.log'), tsv('conn.log')], longLivedSeconds: 1 }, config);
    expect(fps(r)).toEqual([...expected, 'net:10.30.0.52'].sort());
  });

  it('the threshold is a key of the zeek source in the sources file, checked', () => {
    const source = (extra: Record<string, unknown>) => ({
      sources: [{ name: 'zeek', type: 'zeek', files: ['dns.log', 'conn.log'], ...extra }],
    });
    expect(parseSweepPlan(source({ longLivedSeconds: 1 }), Z).sources[0]).toMatchObject({ longLivedSeconds: 1 });
    expect(parseSweepPlan(source({}), Z).sources[0]).not.toHaveProperty('longLivedSeconds');
    for (const bad of [0, -5, '300', 8 * 86_400, Number.NaN])
      expect(() => parseSweepPlan(source({ longLivedSeconds: bad }), Z)).toThrow(
        /sources\[0\]\.longLivedSeconds must be a number of seconds above 0 and at most a week/,
      );
  });
});

describe('malformed and truncated input is counted, never a finding', () => {
  it('too few or too many fields, a record before any header, a bad ts, an unset client', async () => {
    const r = await scanZeek({ files: [tsv('malformed.ssl.log')] }, config);
    expect(fps(r)).toEqual(['net:10.30.0.71']);
    expect(r.progress).toMatchObject({ read: 14, malformed: 5, skipped: 8, errors: [], done: true });
  });

  it('a truncated gzip counts as malformed and the sweep goes on to the next file', async () => {
    const r = await scanZeek({ files: [tsv('ssl.truncated.log.gz'), tsv('ssl.log')] }, config);
    expect(fps(r)).toEqual(['net:10.30.0.21', 'net:10.30.0.22']);
    expect(r.progress.malformed).toBe(1);
    expect(r.progress.errors).toHaveLength(1);
    expect(r.progress.errors[0]).toMatch(/ssl\.truncated\.log\.gz: gzip data truncated or corrupt/);
  });

  it('a header directive with no value is malformed and its block is not read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zeek-'));
    const file = path.join(dir, 'ssl.log');
    const lines = fs.readFileSync(tsv('ssl.log'), 'utf8').split('\n');
    fs.writeFileSync(file, lines.map((l) => (l.startsWith('#fields') ? '#fields' : l)).join('\n'));
    const r = await scanZeek({ files: [file] }, config);
    expect(r.findings).toEqual([]);
    expect(r.progress.malformed).toBe(8); // the #fields line and the 7 records after it
    fs.rmSync(dir, { recursive: true });
  });
});

describe('resume', () => {
  const stepConfig: DiscoveryConfig = { ...config, limits: { ...config.limits, progressEvery: 1 } };
  const input = {
    files: [tsv('conn.log'), tsv('http.custom.log'), ROTATED, tsv('dns.log'), tsv('malformed.ssl.log')],
  };

  it('every checkpoint (mid-file, mid-gzip, after dns answers) resumed yields the rest; union = full scan', async () => {
    const checkpoints: Array<{ progress: SourceProgress; findings: Finding[] }> = [];
    const full = await scanZeek(input, stepConfig, undefined, (progress, findings) => {
      checkpoints.push({ progress, findings });
    });
    expect(fps(full)).toContain('net:10.30.0.51'); // conn evidence needs the dns answers in the cursor
    expect(checkpoints.length).toBeGreaterThan(60);
    for (const cp of checkpoints) {
      const rest = await scanZeek(input, stepConfig, cp.progress);
      expect(mergeFindings(cp.findings, rest.findings)).toEqual(full.findings);
      expect(rest.progress).toMatchObject({
        read: full.progress.read,
        malformed: full.progress.malformed,
        skipped: full.progress.skipped,
        done: true,
      });
    }
  });

  it('a gzip offset that is not a line start skips the partial line; an unreadable cursor starts over', async () => {
    const base = { read: 0, malformed: 0, skipped: 0, errors: [] };
    const mid = await scanZeek({ files: [ROTATED] }, config, { ...base, cursor: JSON.stringify({ f: 0, o: 900 }) });
    expect(mid.progress.skipped).toBeGreaterThanOrEqual(1);
    expect(mid.progress.done).toBe(true);
    const bad = await scanZeek({ files: [tsv('ssl.log')] }, config, { ...base, cursor: '{"f":0,"o":1,"z":[1]}' });
    expect(fps(bad)).toEqual(['net:10.30.0.21', 'net:10.30.0.22']);
    expect(bad.progress.errors[0]).toMatch(/unreadable resume cursor/);
  });
});
