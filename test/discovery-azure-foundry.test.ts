/**
 * Azure AI Foundry Agent Service discovery against a local HTTP server speaking the list-agents wire format
 * (fixtures in test/fixtures/discovery/azure-foundry, written from the documentation; see its README):
 * paging, Retry-After, failures that persist, refused tokens, malformed bodies, and the source spec.
 * Pure: no Temporal needed.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { discoveryConfig, type ScanResult, type SourceProgress } from '../discovery/index.js';
import { scanAzureFoundry, type AzureFoundryInput } from '../discovery/sources/azure-foundry.js';
import { parseSweepPlan, SweepPlanError } from '../discovery/sweep-plan.js';

const F = path.join(import.meta.dirname, 'fixtures', 'discovery', 'azure-foundry');
const page = (n: number) => JSON.parse(fs.readFileSync(path.join(F, `assistants.page${n}.json`), 'utf8')) as unknown;
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.PLANTEDentraTOKENpayload.PLANTEDsignature';
const NOW = () => new Date('2024-05-08T10:00:00.000Z');
const ID = {
  invoice: 'asst_4sGqY2kJb8TzXw1mNc7Rp0Ld',
  supplier: 'asst_9hTfW3eLq6VzPb2nKd8Sx1Mc',
  contract: 'asst_2kPzR7vNw4XcLb9mQt5Hy3Ge',
  wire: 'asst_7nLcX5bRt2WqMz8kVp4Jd6Fh',
};
const config = discoveryConfig({
  ownerEmailDomain: 'example.com',
  cloud: {
    pageSize: 2,
    maxPages: 5,
    requestTimeoutMs: 1000,
    maxRetries: 2,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 2000,
  },
});

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
interface Server {
  url: string;
  requests: Array<{ path: string; auth: string | undefined }>;
  close: () => Promise<void>;
}

async function serve(handler: (url: URL, n: number) => Reply): Promise<Server> {
  const requests: Server['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', auth: req.headers.authorization });
    const out = handler(new URL(req.url ?? '/', 'http://x'), requests.length);
    res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
    res.end(typeof out.body === 'string' ? out.body : JSON.stringify(out.body));
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

/** The finance project's three pages, chained by `after` = the previous page's last_id. */
function financePages(url: URL): Reply {
  if (url.pathname !== '/api/projects/finance/assistants' || url.searchParams.get('api-version') !== '2025-05-01')
    return { status: 404, body: { error: { code: 'NotFound', message: 'Resource not found' } } };
  const after = url.searchParams.get('after');
  return { status: 200, body: after === ID.supplier ? page(2) : after === ID.contract ? page(3) : page(1) };
}

function input(base: string, projects = ['finance'], sleeps: number[] = []): AzureFoundryInput {
  return {
    targets: projects.map((p) => ({ endpoint: `${base}/api/projects/${p}` })),
    getToken: () => TOKEN,
    now: NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

const fps = (r: ScanResult) => r.findings.map((f) => f.fingerprint).sort();
const fp = (base: string, id: string, project = 'finance') =>
  `azure-foundry:${new URL(base).host}/api/projects/${project}:${id}`;
const byId = (r: ScanResult, id: string) => r.findings.find((f) => f.evidence.agentId === id)!;
function expectNoSecrets(value: unknown): void {
  const text = JSON.stringify(value);
  expect(text).not.toMatch(/PLANTED/);
  expect(text).not.toContain(TOKEN);
}

describe('Azure AI Foundry Agent Service: list agents', () => {
  it('pages with after = last_id while has_more, with the bearer token, one finding per agent', async () => {
    const s = await serve(financePages);
    try {
      const seen: SourceProgress[] = [];
      const r = await scanAzureFoundry(input(s.url), config, undefined, (p) => {
        seen.push(p);
      });
      expect(fps(r)).toEqual([ID.contract, ID.invoice, ID.supplier, ID.wire].map((id) => fp(s.url, id)).sort());
      expect(r.progress).toMatchObject({ read: 5, malformed: 1, errors: [], done: true });
      const q = '/api/projects/finance/assistants?api-version=2025-05-01&limit=2&order=asc';
      expect(s.requests.map((x) => x.path)).toEqual([q, `${q}&after=${ID.supplier}`, `${q}&after=${ID.contract}`]);
      expect(s.requests.every((x) => x.auth === `Bearer ${TOKEN}`)).toBe(true);

      const invoice = byId(r, ID.invoice);
      expect(invoice).toMatchObject({
        source: 'CLOUD',
        kind: 'azure-foundry-agent',
        agentName: 'invoice-triage',
        platform: 'azure-ai-foundry',
        proposedOwnerEmail: 'olivia@example.com',
        lastSeen: '2024-05-08T10:00:00.000Z',
      });
      expect(invoice.evidence).toEqual({
        agentId: ID.invoice,
        project: `${new URL(s.url).host}/api/projects/finance`,
        logs: 'azure-foundry-assistants.list',
        createdAt: '2024-05-01T10:00:00.000Z',
        model: 'gpt-4o',
        description: 'Reads vendor invoices and proposes ERP updates',
        tools: 'code_interpreter, function:get_vendor',
        ownerLabel: 'owner=olivia',
      });
      expect(byId(r, ID.supplier).proposedOwnerEmail).toBeUndefined();
      expect(byId(r, ID.supplier).evidence.tools).toBe('bing_grounding, file_search');
      const contract = byId(r, ID.contract);
      expect(contract.proposedOwnerEmail).toBe('sam@example.com');
      expect(contract.evidence.tools).toBe('openapi:contracts_api, connected_agent:supplier_research, mcp:github');
      const wire = byId(r, ID.wire);
      expect(wire.proposedOwnerEmail).toBe('dana@acme.example');
      expect(wire.evidence.description).toBe('Prepares wires; test key ***EFGH');
      expectNoSecrets(r);

      // Resume from the checkpoint after page 1: pages 2 and 3 only; together the full scan.
      const afterPage1 = seen.find((p) => p.cursor.includes(ID.supplier))!;
      const rest = await scanAzureFoundry(input(s.url), config, afterPage1);
      expect(s.requests.slice(3).map((x) => x.path)).toEqual([
        `${q}&after=${ID.supplier}`,
        `${q}&after=${ID.contract}`,
      ]);
      expect(fps(rest)).toEqual([fp(s.url, ID.contract), fp(s.url, ID.wire)].sort());
    } finally {
      await s.close();
    }
  });

  it('a 429 with Retry-After is retried no sooner than asked, then succeeds', async () => {
    const s = await serve((url, n) =>
      n === 1
        ? {
            status: 429,
            headers: { 'retry-after': '1' },
            body: { error: { code: 'TooManyRequests', message: 'Rate limit is exceeded. Try again in 1 seconds.' } },
          }
        : financePages(url),
    );
    const sleeps: number[] = [];
    try {
      const r = await scanAzureFoundry(input(s.url, ['finance'], sleeps), config);
      expect(r.findings).toHaveLength(4);
      expect(sleeps).toEqual([1000]);
      expect(r.progress.errors).toEqual([
        `azure-foundry ${new URL(s.url).host}/api/projects/finance: HTTP 429 TooManyRequests: Rate limit is exceeded. Try again in 1 seconds. (attempt 1 of 3; retrying)`,
      ]);
      expect(s.requests).toHaveLength(4);
    } finally {
      await s.close();
    }
  });

  it("Azure's retry-after-ms is honoured too; a wait longer than the limit stops that project", async () => {
    const ms = await serve((url, n) =>
      n === 1 ? { status: 503, headers: { 'retry-after-ms': '1500' }, body: '' } : financePages(url),
    );
    const sleeps: number[] = [];
    try {
      const r = await scanAzureFoundry(input(ms.url, ['finance'], sleeps), config);
      expect(r.findings).toHaveLength(4);
      expect(sleeps).toEqual([1500]);
    } finally {
      await ms.close();
    }
    const long = await serve(() => ({
      status: 429,
      headers: { 'retry-after': '3600' },
      body: { error: { code: 'TooManyRequests', message: 'quota' } },
    }));
    const none: number[] = [];
    try {
      const r = await scanAzureFoundry(input(long.url, ['finance'], none), config);
      expect(r.findings).toEqual([]);
      expect(long.requests).toHaveLength(1);
      expect(none).toEqual([]);
      expect(r.progress.errors).toEqual([
        expect.stringMatching(
          /asks to retry after 3600000 ms, longer than the 2000 ms limit .*giving up on this target/,
        ),
      ]);
    } finally {
      await long.close();
    }
  });

  it('a project that keeps answering 500 is reported on the source, with no finding; the next project is still listed', async () => {
    const s = await serve((url) =>
      url.pathname.startsWith('/api/projects/broken/')
        ? { status: 500, body: { error: { code: 'InternalServerError', message: 'boom' } } }
        : financePages(url),
    );
    const sleeps: number[] = [];
    try {
      const r = await scanAzureFoundry(input(s.url, ['broken', 'finance'], sleeps), config);
      const label = `azure-foundry ${new URL(s.url).host}/api/projects/broken`;
      expect(r.progress.errors).toEqual([
        `${label}: HTTP 500 InternalServerError: boom (attempt 1 of 3; retrying)`,
        `${label}: HTTP 500 InternalServerError: boom (attempt 2 of 3; retrying)`,
        `${label}: HTTP 500 InternalServerError: boom (attempt 3; giving up on this target)`,
      ]);
      expect(sleeps).toHaveLength(2);
      expect(r.findings.some((f) => f.evidence.project?.endsWith('/broken'))).toBe(false);
      expect(r.findings).toHaveLength(4);
      expect(r.progress.done).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('a 401 is not retried and says what is wrong with the token, without showing it', async () => {
    const s = await serve(() => ({
      status: 401,
      body: {
        error: {
          code: 'Unauthorized',
          message: 'Access token is missing, invalid, audience is incorrect, or have expired.',
        },
      },
    }));
    try {
      const r = await scanAzureFoundry(input(s.url), config);
      expect(s.requests).toHaveLength(1);
      expect(r.findings).toEqual([]);
      expect(r.progress.errors).toEqual([
        expect.stringContaining(
          'HTTP 401 (the access token was refused: it must be a current Microsoft Entra token for https://ai.azure.com/.default) Unauthorized: Access token is missing',
        ),
      ]);
      expect(r.progress.errors[0]).toMatch(/attempt 1; giving up on this target\)$/);
      expectNoSecrets(r);
    } finally {
      await s.close();
    }
    const noToken = await scanAzureFoundry(
      {
        ...input('http://127.0.0.1:9'),
        getToken: () => {
          throw new Error('the environment variable AZURE_ACCESS_TOKEN is not set');
        },
      },
      config,
    );
    expect(noToken.progress.errors).toEqual([
      'azure-foundry 127.0.0.1:9/api/projects/finance: could not get an access token: the environment variable AZURE_ACCESS_TOKEN is not set (attempt 1; giving up on this target)',
    ]);
  });

  it('malformed bodies are counted and reported, never a finding', async () => {
    const bodies: Array<[string, unknown, string]> = [
      ['not JSON', '<html>gateway error</html>', 'the response is not JSON'],
      ['an array', '[]', 'the response is not a JSON object'],
      ['data not a list', { object: 'list', data: { id: ID.invoice }, has_more: false }, '"data" is not an array'],
    ];
    for (const [, body, message] of bodies) {
      const s = await serve(() => ({ status: 200, body }));
      try {
        const r = await scanAzureFoundry(input(s.url), config);
        expect(r.findings).toEqual([]);
        expect(r.progress).toMatchObject({ malformed: 1, done: true });
        expect(r.progress.errors).toEqual([expect.stringContaining(`${message} (attempt 1; giving up`)]);
        expect(s.requests).toHaveLength(1);
      } finally {
        await s.close();
      }
    }
    // has_more without last_id: this page's agents count, and the listing stops instead of looping.
    const noCursor = await serve(() => ({
      status: 200,
      body: { ...(page(3) as object), last_id: undefined, has_more: true },
    }));
    try {
      const r = await scanAzureFoundry(input(noCursor.url), config);
      expect(fps(r)).toEqual([fp(noCursor.url, ID.wire)]);
      expect(noCursor.requests).toHaveLength(1);
      expect(r.progress.errors).toEqual([
        `azure-foundry ${new URL(noCursor.url).host}/api/projects/finance: the response says has_more but gives no last_id; stopped listing this project`,
      ]);
    } finally {
      await noCursor.close();
    }
  });
});

describe('azure-foundry source spec', () => {
  const plan = (source: Record<string, unknown>) =>
    parseSweepPlan({ sources: [{ name: 'foundry', type: 'azure-foundry', ...source }] }, '/tmp');

  it('takes https project endpoints, an api-version and the token variable', () => {
    const p = plan({
      targets: [{ endpoint: 'https://acme-ai.services.ai.azure.com/api/projects/finance' }],
      apiVersion: '2025-05-01',
      accessTokenEnv: 'AZURE_ACCESS_TOKEN',
    });
    expect(p.sources).toEqual([
      {
        name: 'foundry',
        type: 'azure-foundry',
        targets: [{ endpoint: 'https://acme-ai.services.ai.azure.com/api/projects/finance' }],
        apiVersion: '2025-05-01',
        accessTokenEnv: 'AZURE_ACCESS_TOKEN',
      },
    ]);
  });

  it('refuses endpoints a token must not go to, and bad settings', () => {
    for (const targets of [
      undefined,
      [],
      [{}],
      [{ endpoint: 'http://acme-ai.services.ai.azure.com/api/projects/finance' }],
      [{ endpoint: 'https://user:pw@acme-ai.services.ai.azure.com/api/projects/finance' }],
      [{ endpoint: 'https://acme-ai.services.ai.azure.com/api/projects/finance?api-version=1' }],
      [{ endpoint: 'not a url' }],
    ])
      expect(() => plan({ targets })).toThrow(/targets must list \{ endpoint/);
    const targets = [{ endpoint: 'https://acme-ai.services.ai.azure.com/api/projects/finance' }];
    expect(() => plan({ targets, apiVersion: 'x&y=1' })).toThrow(SweepPlanError);
    expect(() => plan({ targets, accessTokenEnv: 'NOT-A-NAME' })).toThrow(/accessTokenEnv must name/);
  });
});
