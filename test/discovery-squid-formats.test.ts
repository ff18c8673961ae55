/**
 * Squid logs in the format the proxy was configured with (`logformat`): the built-in `common` and `combined`,
 * custom `%` specifications, and the native default — fixtures in test/fixtures/discovery/squid (see the
 * README there), malformed and truncated lines counted, resume from every checkpoint. Pure: no Temporal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileSquidLogFormat,
  discoveryConfig,
  mergeFindings,
  scanSquid,
  SquidLogFormatError,
  type DiscoveryConfig,
  type ScanResult,
  type SourceProgress,
} from '../discovery/index.js';
import { parseSweepPlan, SweepPlanError } from '../discovery/sweep-plan.js';
import type { Finding } from '../domain/discovery.js';

const F = path.join(import.meta.dirname, 'fixtures', 'discovery', 'squid');
const config = discoveryConfig({
  ownerEmailDomain: 'example.com',
  userEmails: { ci: 'olivia@example.com' },
  hostAliases: { '10.20.0.40': 'build-runner-3' },
  limits: { maxLineBytes: 4096 },
});
const CUSTOM = '%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt %ssl::>sni "%{User-Agent}>h"';
const fps = (r: ScanResult) => r.findings.map((f) => f.fingerprint).sort();
const byFp = (r: ScanResult, fp: string) => r.findings.find((f) => f.fingerprint === fp)!;

describe('squid logformat: built-in and custom formats', () => {
  it('common: CONNECTs to LLM hosts, the proxy user, %tl dates with their offset; malformed and truncated lines counted', async () => {
    const r = await scanSquid({ files: [path.join(F, 'access.common.log')], logformat: 'common' }, config);
    expect(fps(r)).toEqual(['net:10.20.0.12', 'net:10.20.0.43']);
    expect(byFp(r, 'net:10.20.0.12')).toMatchObject({
      user: 'olivia',
      proposedOwnerEmail: 'olivia@example.com',
      firstSeen: '2024-05-08T08:00:30.000Z',
      evidence: { endpoints: 'api.anthropic.com', methods: 'CONNECT', logs: 'squid' },
    });
    expect(byFp(r, 'net:10.20.0.43').firstSeen).toBe('2024-05-08T08:00:33.000Z'); // logged as 10:00:33 +0200
    // a cut request line, [yesterday], a garbage client, a Latin-1 user name, the truncated last line
    expect(r.progress).toMatchObject({ read: 10, malformed: 5, skipped: 0, errors: [], done: true });
  });

  it('combined: the quoted User-Agent names agent frameworks, also toward hosts that are not LLM APIs', async () => {
    const r = await scanSquid({ files: [path.join(F, 'access.combined.log')], logformat: 'combined' }, config);
    expect(fps(r)).toEqual(['net:10.20.0.42', 'net:10.20.0.44']);
    expect(byFp(r, 'net:10.20.0.42')).toMatchObject({
      kind: 'agent-user-agent',
      evidence: { frameworks: 'langchain', endpoints: 'llm-gw.internal.example', uris: '/v1/chat', methods: 'POST' },
    });
    expect(byFp(r, 'net:10.20.0.44').evidence).toMatchObject({
      providers: 'azure-openai',
      frameworks: 'openai-sdk',
      userAgents: 'OpenAI/Python 1.30.1',
    });
    // a missing User-Agent field, a non-numeric size, the truncated last line
    expect(r.progress).toMatchObject({ read: 8, malformed: 3, done: true });
  });

  it('a custom format with %ssl::>sni and a quoted %{User-Agent}>h: the SNI names the host behind a CONNECT to an IP', async () => {
    const r = await scanSquid({ files: [path.join(F, 'access.custom.log')], logformat: CUSTOM }, config);
    expect(fps(r)).toEqual(['net:10.20.0.45', 'net:build-runner-3']);
    expect(byFp(r, 'net:10.20.0.45')).toMatchObject({
      platform: 'google-vertex-ai',
      firstSeen: '2024-05-08T08:01:40.120Z',
      evidence: { endpoints: 'us-central1-aiplatform.googleapis.com', userAgents: 'google-cloud-sdk gcloud/474.0.0' },
    });
    expect(byFp(r, 'net:build-runner-3')).toMatchObject({
      user: 'ci',
      proposedOwnerEmail: 'olivia@example.com',
      evidence: { frameworks: 'anthropic-sdk', providers: 'anthropic' },
    });
    // `bad!host` as client, a lower-case squid status
    expect(r.progress).toMatchObject({ read: 5, malformed: 2, done: true });
  });

  it('a format without a time code (%>a %un %ru) dates its lines by the file modification time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'squid-who-'));
    const file = path.join(dir, 'access.log');
    fs.copyFileSync(path.join(F, 'access.who.log'), file);
    const mtime = new Date('2024-05-09T12:00:00.000Z');
    fs.utimesSync(file, mtime, mtime);
    const r = await scanSquid({ files: [file], logformat: '%>a %un %ru' }, config);
    expect(fps(r)).toEqual(['net:10.20.0.46', 'net:10.20.0.47']);
    expect(byFp(r, 'net:10.20.0.46')).toMatchObject({
      user: 'sam',
      proposedOwnerEmail: 'sam@example.com',
      firstSeen: mtime.toISOString(),
      evidence: { endpoints: 'api.openai.com', uris: '/v1/responses' },
    });
    expect(byFp(r, 'net:10.20.0.47').evidence.endpoints).toBe('generativelanguage.googleapis.com');
    expect(r.progress).toMatchObject({ read: 4, malformed: 1, skipped: 1, done: true });
  });

  it('the native format stays the default, and naming it (or writing its specification) reads the same', async () => {
    const files = [path.join(F, 'access.log')];
    const native = await scanSquid({ files }, config);
    const named = await scanSquid({ files, logformat: 'squid' }, config);
    const spelled = await scanSquid(
      { files, logformat: '%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt' },
      config,
    );
    expect(fps(native)).toEqual(['net:10.20.0.12', 'net:10.20.0.43', 'net:10.20.0.44', 'net:build-runner-3']);
    expect(named).toEqual(native);
    expect(spelled.findings).toEqual(native.findings);
    expect(spelled.progress).toMatchObject({ read: native.progress.read, malformed: native.progress.malformed });
  });

  it('%tl with a strftime argument, %% and %byte{9} literals, %-left and %0 padded widths', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'squid-fmt-'));
    const file = path.join(dir, 'access.log');
    fs.writeFileSync(
      file,
      [
        '[2024-05-08T08:00:30Z] 100% 10.20.0.70   \tCONNECT api.openai.com:443',
        '[2024-05-08T08:00:31Z] 100% 10.20.0.71   \tGET https://example.com/',
        '[not a date] 100% 10.20.0.72   \tCONNECT api.openai.com:443',
        '',
      ].join('\n'),
    );
    const r = await scanSquid(
      { files: [file], logformat: '[%{%Y-%m-%dT%H:%M:%SZ}tl] 100%% %-12>a%byte{9}%rm %ru' },
      config,
    );
    expect(fps(r)).toEqual(['net:10.20.0.70']);
    expect(r.findings[0]!.firstSeen).toBe('2024-05-08T08:00:30.000Z');
    expect(r.progress).toMatchObject({ read: 3, malformed: 1 });
  });
  it('log_mime_hdrs: the appended [request] [reply] headers are read for the User-Agent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'squid-mime-'));
    const file = path.join(dir, 'access.log');
    fs.writeFileSync(
      file,
      [
        '10.20.0.80 - - [08/May/2024:08:00:30 +0000] "POST http://llm-gw.internal.example/v1/chat HTTP/1.1" 200 512 TCP_MISS:HIER_DIRECT' +
          ' [Host: llm-gw.internal.example%0D%0AUser-Agent: crewai/0.30.0 (python)%0D%0A] [HTTP/1.1 200 OK%0D%0A]',
        '10.20.0.81 - - [08/May/2024:08:00:31 +0000] "GET http://example.com/ HTTP/1.1" 200 12 TCP_MISS:HIER_DIRECT [Host: example.com%0D%0A] []',
        '',
      ].join('\n'),
    );
    const r = await scanSquid({ files: [file], logformat: 'common' }, config);
    expect(fps(r)).toEqual(['net:10.20.0.80']);
    expect(r.findings[0]!.evidence).toMatchObject({ frameworks: 'crewai', userAgents: 'crewai/0.30.0 (python)' });
    expect(r.progress).toMatchObject({ read: 2, malformed: 0 });
  });
});

describe('squid logformat: configuration errors', () => {
  it('an unknown % code is refused, naming the code', () => {
    expect(() => compileSquidLogFormat('%>a %un %zz %ru')).toThrow(SquidLogFormatError);
    expect(() => compileSquidLogFormat('%>a %un %zz %ru')).toThrow(/"%zz"/);
    expect(() => compileSquidLogFormat('%>a %ssl::>nope %ru')).toThrow(/"%ssl::>nope"/);
    expect(() => compileSquidLogFormat('apache')).toThrow(/squid, common, combined, referrer, useragent/);
    expect(() => compileSquidLogFormat('%ts %ru')).toThrow(/no client address/);
    expect(() => compileSquidLogFormat('%ts %>a %Ss')).toThrow(/no destination/);
    for (const name of ['squid', 'common', 'combined', 'referrer', 'useragent']) {
      expect(compileSquidLogFormat(name).untimed).toBe(false);
    }
  });

  it('the sources file checks logformat when it is read; the scan lists a bad one as an error, reading nothing', async () => {
    const plan = parseSweepPlan(
      { sources: [{ name: 'proxy', type: 'squid', files: ['access.log'], logformat: 'combined' }] },
      '/var/log/squid',
    );
    expect(plan.sources[0]).toEqual({
      name: 'proxy',
      type: 'squid',
      files: ['/var/log/squid/access.log'],
      logformat: 'combined',
    });
    const bad = { sources: [{ name: 'proxy', type: 'squid', files: ['a.log'], logformat: '%>a %Xq %ru' }] };
    expect(() => parseSweepPlan(bad, '/x')).toThrow(SweepPlanError);
    expect(() => parseSweepPlan(bad, '/x')).toThrow(/sources\[0\]\.logformat: .*"%Xq"/);
    const notString = { sources: [{ name: 'proxy', type: 'squid', files: ['a.log'], logformat: 7 }] };
    expect(() => parseSweepPlan(notString, '/x')).toThrow(/logformat must be/);

    const r = await scanSquid({ files: [path.join(F, 'access.common.log')], logformat: '%>a %Xq %ru' }, config);
    expect(r.findings).toEqual([]);
    expect(r.progress).toMatchObject({ read: 0, done: true });
    expect(r.progress.errors[0]).toMatch(/"%Xq"/);
  });
});

describe('squid logformat: resume', () => {
  const stepConfig: DiscoveryConfig = { ...config, limits: { ...config.limits, progressEvery: 1 } };
  const cases: Array<[string, string[], string]> = [
    ['common', [path.join(F, 'access.common.log')], 'common'],
    ['combined, two files', [path.join(F, 'access.combined.log'), path.join(F, 'access.combined.log')], 'combined'],
    ['custom', [path.join(F, 'access.custom.log')], CUSTOM],
  ];

  it.each(cases)(
    '%s: every checkpoint resumed yields the rest; heartbeat ∪ rest = full scan',
    async (_n, files, lf) => {
      const scan = (resume?: SourceProgress, on?: (p: SourceProgress, f: Finding[]) => void) =>
        scanSquid({ files, logformat: lf }, stepConfig, resume, on);
      const checkpoints: Array<{ progress: SourceProgress; findings: Finding[] }> = [];
      const full = await scan(undefined, (progress, findings) => {
        checkpoints.push({ progress, findings });
      });
      expect(checkpoints.length).toBeGreaterThan(3);
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
    },
  );
});
