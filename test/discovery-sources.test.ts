/**
 * Discovery sources against the fixtures in test/fixtures/discovery (see its README for the planted agents),
 * plus bad input, resume, and the cloud APIs against local HTTP servers in their documented shapes.
 * Pure: no Temporal needed.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discoveryConfig,
  mergeFindings,
  scanBedrock,
  scanMcpConfigs,
  scanOsquery,
  scanSquid,
  scanVertex,
  scanZeek,
  type DiscoveryConfig,
  type ScanResult,
  type SourceProgress,
} from '../discovery/index.js';
import type { Finding } from '../domain/discovery.js';

const F = path.join(import.meta.dirname, 'fixtures', 'discovery');
const OBSERVED = '2024-05-08T09:00:00.000Z';

const config = discoveryConfig({
  ownerEmailDomain: 'example.com',
  userEmails: { ci: 'olivia@example.com' },
  hostAliases: { '10.20.0.40': 'build-runner-3' },
  ignore: { mcpServerIds: ['url:warden.example.com/gateway/mcp'] },
  limits: { maxLineBytes: 4096 },
});

const zeekInput = { files: [path.join(F, 'zeek/ssl.log'), path.join(F, 'zeek/http.log')] };
const squidInput = { files: [path.join(F, 'squid/access.log')] };
const osqueryInput = {
  files: [
    { path: path.join(F, 'osquery/alice-mbp.chrome_extensions.json'), host: 'alice-mbp', observedAt: OBSERVED },
    path.join(F, 'osquery/osqueryd.results.log'),
  ],
};
const mcpInput = { root: path.join(F, 'mcp'), observedAt: OBSERVED };

/** The planted agents, exactly as listed in test/fixtures/discovery/README.md. */
const PLANTED = {
  zeek: ['net:10.20.0.41:cred:sha256:66d4c812d9bb', 'net:10.20.0.42', 'net:10.20.0.45', 'net:build-runner-3'],
  squid: ['net:10.20.0.12', 'net:10.20.0.43', 'net:10.20.0.44', 'net:build-runner-3'],
  osquery: [
    'agent:build-runner-3:ci:crewai',
    'browser:alice-mbp:alice:chrome:fcoeoabgfenejglbffodgkkbkcdhcgfn',
    'browser:alice-mbp:alice:edge:pdnenlnelpdomajfejgapbdpmjkfpjkp',
    'browser:olivia-laptop:olivia:firefox:{d4a2bb4e-5e8c-4d0b-9b3e-0f1c2a3b4c5d}',
    'mcp:alice-mbp:alice:npm:@modelcontextprotocol/server-github',
    'mcp:sam-ws:sam:pypi:mcp-server-fetch',
  ],
  mcp: [
    'mcp:alice-mbp:alice:npm:@modelcontextprotocol/server-filesystem',
    'mcp:alice-mbp:alice:npm:@modelcontextprotocol/server-github',
    'mcp:alice-mbp:alice:url:mcp.linear.app/sse',
    'mcp:olivia-laptop:olivia:npm:@modelcontextprotocol/server-postgres',
    'mcp:olivia-laptop:olivia:oci:ghcr.io/acme/jira-mcp',
  ],
  vertex: [
    'vertex:projects/acme-agents-prod/locations/us-central1/reasoningEngines/1234567890123456789',
    'vertex:projects/acme-agents-prod/locations/us-central1/reasoningEngines/2234567890123456789',
    'vertex:projects/acme-agents-prod/locations/us-central1/reasoningEngines/3234567890123456789',
  ],
  bedrock: ['bedrock:us-east-1:AB12CD34EF', 'bedrock:us-east-1:ZX98YW76VU'],
};

/** Every secret planted in the fixtures; none may appear in any finding or progress. */
const SECRETS = [
  'sk-proj-PLANTEDsecretKEY1234567890abcdWXYZ',
  'PLANTEDquerytoken999',
  'sk-ant-PLANTEDcrewKEY0987654321zyxw',
  'ghp_PLANTEDgithubTOKEN1234567890abcdQRST',
  'PLANTEDdbPassw0rd',
  'PLANTEDwardenBEARER1234567890',
  'vertex-test-access-token-123456',
  'TESTSECRETACCESSKEYDONOTUSE123',
];

function expectNoSecrets(value: unknown): void {
  const text = JSON.stringify(value);
  for (const s of SECRETS) expect(text).not.toContain(s);
  // Not even a long prefix of one.
  for (const s of SECRETS) expect(text).not.toContain(s.slice(0, 16));
}

const fps = (r: ScanResult) => r.findings.map((f) => f.fingerprint).sort();
const byFp = (r: { findings: Finding[] } | Finding[], fp: string) =>
  ('findings' in r ? r.findings : r).find((f) => f.fingerprint === fp)!;

describe('network sources', () => {
  it('Zeek ssl.log + http.log: exactly the planted hosts, grouped by host and credential', async () => {
    const r = await scanZeek(zeekInput, config);
    expect(fps(r)).toEqual([...PLANTED.zeek].sort());
    expect(r.progress).toMatchObject({ read: 26, malformed: 8, skipped: 0, errors: [], done: true });
    const runner = byFp(r, 'net:build-runner-3');
    expect(runner).toMatchObject({
      source: 'NETWORK',
      kind: 'llm-egress',
      count: 3,
      host: 'build-runner-3',
      platform: 'anthropic',
    });
    expect(runner.firstSeen).toBe('2024-05-08T08:00:02.000Z');
    expect(runner.lastSeen).toBe('2024-05-08T08:00:10.000Z');
    const sdk = byFp(r, 'net:10.20.0.41:cred:sha256:66d4c812d9bb');
    expect(sdk).toMatchObject({ kind: 'agent-user-agent', count: 2 });
    expect(sdk.evidence).toMatchObject({
      credential: '***WXYZ',
      frameworks: 'openai-sdk',
      providers: 'openai',
      endpoints: 'api.openai.com',
    });
    const lc = byFp(r, 'net:10.20.0.42');
    expect(lc.evidence).toMatchObject({ frameworks: 'langchain', uris: '/api/invoices, /api/orders' });
    expectNoSecrets(r);
  });

  it('Squid access.log: exactly the planted clients, CONNECT included, proxy user as proposed owner', async () => {
    const r = await scanSquid(squidInput, config);
    expect(fps(r)).toEqual([...PLANTED.squid].sort());
    expect(r.progress).toMatchObject({ read: 14, malformed: 4, errors: [], done: true });
    expect(byFp(r, 'net:10.20.0.12')).toMatchObject({
      user: 'olivia',
      proposedOwnerEmail: 'olivia@example.com',
      count: 2,
    });
    expect(byFp(r, 'net:10.20.0.43').platform).toBe('aws-bedrock');
    expect(byFp(r, 'net:10.20.0.44').platform).toBe('azure-openai');
  });

  it('the same host seen by Zeek and Squid is one finding', async () => {
    const merged = mergeFindings(
      (await scanZeek(zeekInput, config)).findings,
      (await scanSquid(squidInput, config)).findings,
    );
    const runner = byFp(merged, 'net:build-runner-3');
    expect(runner.count).toBe(4);
    expect(runner.evidence.logs).toBe('squid, zeek-ssl');
  });
});

describe('endpoint and browser sources', () => {
  it('osquery extensions and processes (array and results-log forms): exactly the planted agents', async () => {
    const r = await scanOsquery(osqueryInput, config);
    expect(fps(r)).toEqual([...PLANTED.osquery].sort());
    expect(r.progress).toMatchObject({ read: 26, malformed: 4, skipped: 1, errors: [], done: true });
    const claude = byFp(r, 'browser:alice-mbp:alice:chrome:fcoeoabgfenejglbffodgkkbkcdhcgfn');
    expect(claude).toMatchObject({
      source: 'BROWSER',
      kind: 'ai-extension',
      user: 'alice',
      proposedOwnerEmail: 'alice@example.com',
      lastSeen: OBSERVED,
    });
    expect(claude.evidence).toMatchObject({ match: 'known-id', agentic: 'true' });
    const gh = byFp(r, 'mcp:alice-mbp:alice:npm:@modelcontextprotocol/server-github');
    expect(gh).toMatchObject({ kind: 'mcp-server', count: 2 }); // npx and its node child
    expect(gh.evidence.pids).toBe('4242, 4250');
    expect(byFp(r, 'mcp:sam-ws:sam:pypi:mcp-server-fetch').count).toBe(2); // differential + snapshot
    expect(byFp(r, 'agent:build-runner-3:ci:crewai')).toMatchObject({
      kind: 'agent-process',
      proposedOwnerEmail: 'olivia@example.com',
    });
    expectNoSecrets(r);
  });

  it('MCP client configs (Claude Desktop, Cursor, VS Code): exactly the planted servers, env values redacted', async () => {
    const r = await scanMcpConfigs(mcpInput, config);
    expect(fps(r)).toEqual([...PLANTED.mcp].sort());
    expect(r.progress).toMatchObject({ malformed: 2, skipped: 2, done: true });
    expect(r.progress.errors).toHaveLength(1);
    expect(r.progress.errors[0]).toContain('sam-ws/sam/.config/Claude/claude_desktop_config.json');
    const gh = byFp(r, 'mcp:alice-mbp:alice:npm:@modelcontextprotocol/server-github');
    expect(gh).toMatchObject({
      agentName: 'github',
      user: 'alice',
      host: 'alice-mbp',
      proposedOwnerEmail: 'alice@example.com',
    });
    expect(gh.evidence).toMatchObject({ clients: 'claude-desktop', envKeys: 'GITHUB_PERSONAL_ACCESS_TOKEN' });
    expect(byFp(r, 'mcp:olivia-laptop:olivia:oci:ghcr.io/acme/jira-mcp').evidence).toMatchObject({
      clients: 'vscode',
      inputs: 'jira-token',
    });
    expectNoSecrets(r);
  });

  it('one MCP server seen in a Claude Desktop config and as an osquery process is ONE finding', async () => {
    const merged = mergeFindings(
      (await scanMcpConfigs(mcpInput, config)).findings,
      (await scanOsquery(osqueryInput, config)).findings,
    );
    const fp = 'mcp:alice-mbp:alice:npm:@modelcontextprotocol/server-github';
    expect(merged.filter((f) => f.fingerprint === fp)).toHaveLength(1);
    const gh = byFp(merged, fp);
    expect(gh.count).toBe(3);
    expect(gh.evidence.logs).toBe('mcp-config, osquery-processes');
    expect(gh.evidence.clients).toBe('claude-desktop');
    expect(gh.evidence.pids).toBe('4242, 4250');
    // The whole fixture set: the sum of every source's planted agents, less the one shared fingerprint.
    const all = new Set([...PLANTED.zeek, ...PLANTED.squid, ...PLANTED.osquery, ...PLANTED.mcp]);
    expect(all.size).toBe(PLANTED.zeek.length + PLANTED.squid.length + PLANTED.osquery.length + PLANTED.mcp.length - 2);
  });
});

describe('bad input is counted, never fatal, never a finding', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-discovery-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('enormous lines, invalid UTF-8, UTF-16, binary garbage, empty and missing files', async () => {
    const huge = path.join(dir, 'ssl-huge.log');
    // 3 MB without a newline that would be a finding if read whole, then one good line.
    fs.writeFileSync(
      huge,
      `{"ts":1715155200,"id.orig_h":"10.9.9.9","server_name":"api.openai.com","pad":"${'x'.repeat(3_000_000)}"}\n`,
    );
    fs.appendFileSync(huge, '{"ts":1715155201,"id.orig_h":"10.9.9.8","server_name":"api.mistral.ai"}\n');
    const utf16 = path.join(dir, 'ssl-utf16.log');
    fs.writeFileSync(
      utf16,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('{"ts":1715155200,"id.orig_h":"10.9.9.7","server_name":"api.openai.com"}\n', 'utf16le'),
      ]),
    );
    const binary = path.join(dir, 'ssl-binary.log');
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    fs.writeFileSync(binary, bytes);
    const empty = path.join(dir, 'ssl-empty.log');
    fs.writeFileSync(empty, '');
    const r = await scanZeek({ files: [huge, utf16, binary, empty, path.join(dir, 'missing.log')] }, config);
    expect(fps(r)).toEqual(['net:10.9.9.8']);
    expect(r.progress.malformed).toBeGreaterThanOrEqual(3);
    expect(r.progress.errors).toHaveLength(1);
    expect(r.progress.errors[0]).toMatch(/missing\.log: ENOENT/);
    expect(r.progress.done).toBe(true);

    const sq = await scanSquid({ files: [binary, huge] }, config);
    expect(sq.findings).toEqual([]);
    expect(sq.progress.malformed).toBeGreaterThan(0);

    const oq = await scanOsquery({ files: [binary, utf16, empty, huge] }, config);
    expect(oq.findings).toEqual([]);

    // A truncated osquery array: the complete rows count, the cut one is malformed.
    const cut = path.join(dir, 'cut.json');
    const full = fs.readFileSync(path.join(F, 'osquery/alice-mbp.chrome_extensions.json'), 'utf8');
    fs.writeFileSync(cut, full.slice(0, full.indexOf('Google Docs Offline')));
    const c = await scanOsquery({ files: [{ path: cut, host: 'alice-mbp', observedAt: OBSERVED }] }, config);
    expect(fps(c)).toEqual(['browser:alice-mbp:alice:chrome:fcoeoabgfenejglbffodgkkbkcdhcgfn']);
    expect(c.progress.malformed).toBe(1);
  });

  it('an enormous osquery array element and an over-sized MCP config are malformed', async () => {
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(
      big,
      `[{"identifier":"fcoeoabgfenejglbffodgkkbkcdhcgfn","name":"Claude","pad":"${'y'.repeat(100_000)}"},\n{"identifier":"ghbmnnjooekpmoecnnnilnnbdlolhkhi","name":"Docs"}]`,
    );
    const r = await scanOsquery(
      { files: [{ path: big, host: 'h1', table: 'chrome_extensions', observedAt: OBSERVED }] },
      config,
    );
    expect(r.findings).toEqual([]);
    expect(r.progress).toMatchObject({ read: 2, malformed: 1 });

    const root = path.join(dir, 'mcp');
    fs.mkdirSync(path.join(root, 'h1', 'u1', '.cursor'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'h1', 'u1', '.cursor', 'mcp.json'),
      `{"mcpServers":{"x":{"command":"npx","args":["-y","@modelcontextprotocol/server-everything"]}},"pad":"${'z'.repeat(2_000_000)}"}`,
    );
    fs.mkdirSync(path.join(root, 'h1', 'u2', '.cursor'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'h1', 'u2', '.cursor', 'mcp.json'),
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
    );
    const m = await scanMcpConfigs({ root }, config);
    expect(m.findings).toEqual([]);
    expect(m.progress.malformed).toBe(2);
    expect(m.progress.errors.join('\n')).toMatch(/larger than/);
    expect(m.progress.errors.join('\n')).toMatch(/UTF-8/);
  });
});

describe('resume from a mid-scan cursor', () => {
  const cases: Array<
    [string, (resume?: SourceProgress, on?: (p: SourceProgress, f: Finding[]) => void) => Promise<ScanResult>]
  > = [
    ['zeek', (r, on) => scanZeek(zeekInput, stepConfig, r, on)],
    ['squid', (r, on) => scanSquid(squidInput, stepConfig, r, on)],
    ['osquery', (r, on) => scanOsquery(osqueryInput, stepConfig, r, on)],
    ['mcp', (r, on) => scanMcpConfigs(mcpInput, stepConfig, r, on)],
  ];
  const stepConfig: DiscoveryConfig = { ...config, limits: { ...config.limits, progressEvery: 1 } };

  it.each(cases)(
    '%s: every checkpoint resumed yields the rest; heartbeat findings ∪ rest = full scan',
    async (_name, scan) => {
      const checkpoints: Array<{ progress: SourceProgress; findings: Finding[] }> = [];
      const full = await scan(undefined, (progress, findings) => {
        checkpoints.push({ progress, findings });
      });
      expect(checkpoints.length).toBeGreaterThan(3);
      const cursors = new Set(checkpoints.map((c) => c.progress.cursor));
      expect(cursors.size).toBeGreaterThan(3);
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
      // A finished scan resumed does nothing.
      const again = await scan(full.progress);
      expect(again.findings).toEqual([]);
    },
  );

  it('a byte offset that is not a line start skips the partial line', async () => {
    const size = fs.statSync(squidInput.files[0]!).size;
    const r = await scanSquid(squidInput, config, {
      cursor: JSON.stringify({ f: 0, o: Math.floor(size / 2) }),
      read: 0,
      malformed: 0,
      skipped: 0,
      errors: [],
    });
    expect(r.progress.skipped).toBe(1);
    expect(r.progress.done).toBe(true);
    const bogus = await scanSquid(squidInput, config, {
      cursor: 'not a cursor',
      read: 0,
      malformed: 0,
      skipped: 0,
      errors: [],
    });
    expect(fps(bogus)).toEqual([...PLANTED.squid].sort());
    expect(bogus.progress.errors[0]).toMatch(/unreadable resume cursor/);
  });
});

// ── cloud APIs against local HTTP servers ───────────────────────────────────────────────────────────

interface Server {
  url: string;
  requests: Array<{ method: string; url: string; body: string; auth: string | undefined }>;
  close: () => Promise<void>;
}

type Handler = (req: {
  method: string;
  url: URL;
  body: Record<string, unknown>;
  n: number;
}) => { status: number; body: unknown; headers?: Record<string, string> } | 'hang';

async function serve(handler: Handler): Promise<Server> {
  const requests: Server['requests'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body, auth: req.headers.authorization });
      let parsed: Record<string, unknown> = {};
      try {
        parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      } catch {
        // ignore
      }
      const out = handler({
        method: req.method ?? '',
        url: new URL(req.url ?? '/', 'http://x'),
        body: parsed,
        n: requests.length,
      });
      if (out === 'hang') return; // never answers
      res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const readJson = (p: string) => JSON.parse(fs.readFileSync(path.join(F, p), 'utf8')) as Record<string, unknown>;
const cloudConfig = discoveryConfig({
  ownerEmailDomain: 'example.com',
  cloud: { pageSize: 2, maxPages: 5, requestTimeoutMs: 300, maxRetries: 2, retryBaseDelayMs: 5, retryMaxDelayMs: 20 },
});
const NOW = () => new Date('2024-05-08T10:00:00.000Z');

describe('Vertex AI Agent Engine reasoningEngines.list', () => {
  const TOKEN = 'vertex-test-access-token-123456';
  const page1 = readJson('vertex/reasoningEngines.page1.json');
  const page2 = readJson('vertex/reasoningEngines.page2.json');
  const pages: Handler = ({ url }) => {
    if (!url.pathname.endsWith('/v1/projects/acme-agents-prod/locations/us-central1/reasoningEngines'))
      return { status: 404, body: { error: { code: 404, status: 'NOT_FOUND', message: 'no' } } };
    return { status: 200, body: url.searchParams.get('pageToken') === 'CgRwYWdlMg' ? page2 : page1 };
  };
  const input = (baseUrl: string) => ({
    targets: [{ project: 'acme-agents-prod', location: 'us-central1' }],
    baseUrl,
    getToken: () => TOKEN,
    now: NOW,
  });

  it('pages through, with the bearer token, and finds exactly the planted engines', async () => {
    const s = await serve(pages);
    try {
      const seen: SourceProgress[] = [];
      const r = await scanVertex(input(s.url), cloudConfig, undefined, (p) => {
        seen.push(p);
      });
      expect(fps(r)).toEqual([...PLANTED.vertex].sort());
      expect(r.progress).toMatchObject({ read: 4, malformed: 1, errors: [], done: true });
      expect(s.requests.map((q) => q.url)).toEqual([
        '/v1/projects/acme-agents-prod/locations/us-central1/reasoningEngines?pageSize=2',
        '/v1/projects/acme-agents-prod/locations/us-central1/reasoningEngines?pageSize=2&pageToken=CgRwYWdlMg',
      ]);
      expect(s.requests.every((q) => q.auth === `Bearer ${TOKEN}`)).toBe(true);
      const invoice = byFp(r, PLANTED.vertex[0]!);
      expect(invoice).toMatchObject({
        source: 'CLOUD',
        kind: 'vertex-reasoning-engine',
        agentName: 'invoice-triage',
        platform: 'vertex-ai',
        proposedOwnerEmail: 'olivia@example.com',
        lastSeen: '2024-05-08T10:00:00.000Z',
      });
      expect(invoice.evidence).toMatchObject({
        agentFramework: 'langgraph',
        ownerLabel: 'owner=olivia',
        project: 'acme-agents-prod',
      });
      expect(byFp(r, PLANTED.vertex[2]!).proposedOwnerEmail).toBe('sam@example.com');
      expect(byFp(r, PLANTED.vertex[1]!).proposedOwnerEmail).toBeUndefined();
      // Resume from the page-1 checkpoint: only page 2 is fetched; the union is the full scan.
      const afterPage1 = seen.find((p) => p.cursor.includes('CgRwYWdlMg'))!;
      const rest = await scanVertex(input(s.url), cloudConfig, afterPage1);
      expect(s.requests.at(-1)!.url).toContain('pageToken=CgRwYWdlMg');
      expect(s.requests).toHaveLength(3);
      expect(fps(rest)).toEqual([PLANTED.vertex[2]]);
      expectNoSecrets([r, rest]);
    } finally {
      await s.close();
    }
  });

  it('retries a 500 and succeeds', async () => {
    const s = await serve((req) =>
      req.n === 1 ? { status: 500, body: { error: { code: 500, status: 'INTERNAL', message: 'boom' } } } : pages(req),
    );
    try {
      const r = await scanVertex(input(s.url), cloudConfig);
      expect(fps(r)).toEqual([...PLANTED.vertex].sort());
      expect(r.progress.errors).toEqual([
        'vertex projects/acme-agents-prod/locations/us-central1: HTTP 500 INTERNAL: boom (attempt 1 of 3; retrying)',
      ]);
      expect(s.requests).toHaveLength(3);
    } finally {
      await s.close();
    }
  });

  it('a request that times out is retried, and one that always times out is reported', async () => {
    const once = await serve((req) => (req.n === 1 ? 'hang' : pages(req)));
    try {
      const r = await scanVertex(input(once.url), cloudConfig);
      expect(fps(r)).toEqual([...PLANTED.vertex].sort());
      expect(r.progress.errors).toEqual([expect.stringMatching(/timed out after 300 ms \(attempt 1 of 3; retrying\)/)]);
    } finally {
      await once.close();
    }
    const always = await serve(() => 'hang');
    try {
      const r = await scanVertex(input(always.url), cloudConfig);
      expect(r.findings).toEqual([]);
      expect(r.progress.errors).toHaveLength(3);
      expect(r.progress.errors[2]).toMatch(/timed out .*giving up/);
      expect(always.requests).toHaveLength(3);
      expect(r.progress.done).toBe(true);
    } finally {
      await always.close();
    }
  });

  it('a server that pages forever is stopped at the page limit and reported; 4xx is not retried', async () => {
    const s = await serve(({ n }) => ({ status: 200, body: { reasoningEngines: [], nextPageToken: `token-${n}` } }));
    try {
      const r = await scanVertex(input(s.url), cloudConfig);
      expect(s.requests).toHaveLength(5);
      expect(r.progress.errors).toEqual([expect.stringMatching(/page limit reached \(5 pages\)/)]);
      expect(r.progress.done).toBe(true);
    } finally {
      await s.close();
    }
    const denied = await serve(() => ({
      status: 403,
      body: { error: { code: 403, status: 'PERMISSION_DENIED', message: 'denied' } },
    }));
    try {
      const r = await scanVertex(input(denied.url), cloudConfig);
      expect(denied.requests).toHaveLength(1);
      expect(r.progress.errors).toEqual([
        expect.stringMatching(/HTTP 403 PERMISSION_DENIED: denied \(attempt 1; giving up/),
      ]);
      expectNoSecrets(r);
    } finally {
      await denied.close();
    }
  });
});

describe('AWS Bedrock Agents ListAgents (AWS SDK v3, endpoint override)', () => {
  const page1 = readJson('bedrock/listAgents.page1.json');
  const page2 = readJson('bedrock/listAgents.page2.json');
  const pages: Handler = ({ method, url, body }) => {
    if (method !== 'POST' || url.pathname !== '/agents/')
      return {
        status: 404,
        body: { message: 'not found' },
        headers: { 'x-amzn-errortype': 'ResourceNotFoundException' },
      };
    return { status: 200, body: body.nextToken === 'eyJwYWdlIjoyfQ' ? page2 : page1 };
  };
  const input = (endpoint: string) => ({
    targets: [{ region: 'us-east-1', accountId: '123456789012' }],
    endpoint,
    credentials: { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'TESTSECRETACCESSKEYDONOTUSE123' },
    now: NOW,
  });

  it('pages through and finds exactly the planted agents', async () => {
    const s = await serve(pages);
    try {
      const seen: SourceProgress[] = [];
      const r = await scanBedrock(input(s.url), cloudConfig, undefined, (p) => {
        seen.push(p);
      });
      expect(fps(r)).toEqual([...PLANTED.bedrock].sort());
      expect(r.progress).toMatchObject({ read: 3, malformed: 1, errors: [], done: true });
      expect(s.requests.map((q) => JSON.parse(q.body) as unknown)).toEqual([
        { maxResults: 2 },
        { maxResults: 2, nextToken: 'eyJwYWdlIjoyfQ' },
      ]);
      expect(s.requests[0]!.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTONLY\//);
      const a = byFp(r, 'bedrock:us-east-1:AB12CD34EF');
      expect(a).toMatchObject({
        source: 'CLOUD',
        kind: 'bedrock-agent',
        agentName: 'procurement-assistant',
        platform: 'aws-bedrock',
      });
      expect(a.evidence).toMatchObject({
        agentStatus: 'PREPARED',
        agentArn: 'arn:aws:bedrock:us-east-1:123456789012:agent/AB12CD34EF',
        updatedAt: '2024-05-02T14:30:00.000Z',
      });
      const rest = await scanBedrock(
        input(s.url),
        cloudConfig,
        seen.find((p) => p.cursor.includes('eyJwYWdlIjoyfQ')),
      );
      expect(fps(rest)).toEqual(['bedrock:us-east-1:ZX98YW76VU']);
      expectNoSecrets([r, rest]);
    } finally {
      await s.close();
    }
  });

  it('retries a 500 (InternalServerException) and succeeds; a timeout is retried', async () => {
    const s = await serve((req) =>
      req.n === 1
        ? { status: 500, body: { message: 'boom' }, headers: { 'x-amzn-errortype': 'InternalServerException' } }
        : req.n === 2
          ? 'hang'
          : pages(req),
    );
    try {
      const r = await scanBedrock(input(s.url), cloudConfig);
      expect(fps(r)).toEqual([...PLANTED.bedrock].sort());
      expect(r.progress.errors).toHaveLength(2);
      expect(r.progress.errors[0]).toMatch(/InternalServerException \(HTTP 500\).*attempt 1 of 3; retrying/);
      expect(r.progress.errors[1]).toMatch(/timed out.*attempt 2 of 3; retrying/);
    } finally {
      await s.close();
    }
  });

  it('a server that pages forever is stopped at the page limit and reported', async () => {
    const s = await serve(({ n }) => ({ status: 200, body: { agentSummaries: [], nextToken: `t${n}` } }));
    try {
      const r = await scanBedrock(input(s.url), cloudConfig);
      expect(s.requests).toHaveLength(5);
      expect(r.progress.errors).toEqual([expect.stringMatching(/page limit reached \(5 pages\)/)]);
    } finally {
      await s.close();
    }
  });
});
