/**
 * Discovery test kit: the fixture sources file (test/fixtures/discovery, see its README), local Vertex AI and
 * Bedrock servers answering in the documented shapes from the fixture pages, and GraphQL helpers to run a
 * sweep and wait for it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { listen, type TestServer } from './http-servers.js';
import { type GraphQLResponse, eventually } from './stack.js';

export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'discovery');
export const VERTEX_TOKEN_ENV = 'WARDEN_TEST_VERTEX_TOKEN';
export const VERTEX_TOKEN = 'vertex-test-access-token-123456';
export const AWS_TEST_KEY = { id: 'AKIDTESTONLY', secret: 'TESTSECRETACCESSKEYDONOTUSE123' };

/** Every planted agent (fixtures README): 22 distinct fingerprints. */
export const PLANTED_FINGERPRINTS = [
  'net:10.20.0.41:cred:sha256:66d4c812d9bb',
  'net:10.20.0.42',
  'net:10.20.0.45',
  'net:build-runner-3',
  'net:10.20.0.12',
  'net:10.20.0.43',
  'net:10.20.0.44',
  'agent:build-runner-3:ci:crewai',
  'browser:alice-mbp:alice:chrome:fcoeoabgfenejglbffodgkkbkcdhcgfn',
  'browser:alice-mbp:alice:edge:pdnenlnelpdomajfejgapbdpmjkfpjkp',
  'browser:olivia-laptop:olivia:firefox:{d4a2bb4e-5e8c-4d0b-9b3e-0f1c2a3b4c5d}',
  'mcp:alice-mbp:alice:npm:@modelcontextprotocol/server-github',
  'mcp:sam-ws:sam:pypi:mcp-server-fetch',
  'mcp:alice-mbp:alice:npm:@modelcontextprotocol/server-filesystem',
  'mcp:alice-mbp:alice:url:mcp.linear.app/sse',
  'mcp:olivia-laptop:olivia:npm:@modelcontextprotocol/server-postgres',
  'mcp:olivia-laptop:olivia:oci:ghcr.io/acme/jira-mcp',
  'vertex:projects/acme-agents-prod/locations/us-central1/reasoningEngines/1234567890123456789',
  'vertex:projects/acme-agents-prod/locations/us-central1/reasoningEngines/2234567890123456789',
  'vertex:projects/acme-agents-prod/locations/us-central1/reasoningEngines/3234567890123456789',
  'bedrock:us-east-1:AB12CD34EF',
  'bedrock:us-east-1:ZX98YW76VU',
].sort();

/** Every secret planted in the fixtures; none may leave a sweep. */
export const PLANTED_SECRETS = [
  'sk-proj-PLANTEDsecretKEY1234567890abcdWXYZ',
  'PLANTEDquerytoken999',
  'sk-ant-PLANTEDcrewKEY0987654321zyxw',
  'ghp_PLANTEDgithubTOKEN1234567890abcdQRST',
  'PLANTEDdbPassw0rd',
  'PLANTEDwardenBEARER1234567890',
  VERTEX_TOKEN,
  AWS_TEST_KEY.secret,
];

const readJson = (p: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, p), 'utf8')) as Record<string, unknown>;

export interface CloudServer extends TestServer {
  requests: { path: string; pageToken: string | null; authorization: string }[];
  /** What the next answers are: normal pages, HTTP 500s, or held until `release()`. */
  mode: 'pages' | 'fail' | 'hold-page-2';
  /** Resolves when a page-2 request is being held. */
  held: Promise<void>;
  release(): void;
}

/** Vertex AI reasoningEngines.list, from the fixture pages (page 2 behind `pageToken=CgRwYWdlMg`). */
export async function startVertex(): Promise<CloudServer> {
  const page1 = readJson('vertex/reasoningEngines.page1.json');
  const page2 = readJson('vertex/reasoningEngines.page2.json');
  let onHeld: () => void = () => {};
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  const held = new Promise<void>((r) => (onHeld = r));
  const state = { mode: 'pages' as CloudServer['mode'], requests: [] as CloudServer['requests'] };
  const server = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const pageToken = url.searchParams.get('pageToken');
    state.requests.push({ path: url.pathname, pageToken, authorization: String(req.headers.authorization ?? '') });
    if (state.mode === 'fail')
      return void res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 500, status: 'INTERNAL', message: 'backend error' } }));
    if (req.headers.authorization !== `Bearer ${VERTEX_TOKEN}`) return void res.writeHead(401).end();
    if (!url.pathname.endsWith('/v1/projects/acme-agents-prod/locations/us-central1/reasoningEngines'))
      return void res.writeHead(404).end('{}');
    if (pageToken === 'CgRwYWdlMg' && state.mode === 'hold-page-2') {
      onHeld();
      await released;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(pageToken === 'CgRwYWdlMg' ? page2 : page1));
  });
  return {
    ...server,
    requests: state.requests,
    get mode() {
      return state.mode;
    },
    set mode(m: CloudServer['mode']) {
      state.mode = m;
    },
    held,
    release: () => release(),
  };
}

/** Bedrock Agents ListAgents (POST /agents/), from the fixture pages; `patch` edits what page 2 says. */
export async function startBedrock() {
  const page1 = readJson('bedrock/listAgents.page1.json');
  const page2 = readJson('bedrock/listAgents.page2.json') as { agentSummaries: Record<string, unknown>[] };
  const state = { fail: false, page2, requests: 0 };
  const server = await listen((req, res, body) => {
    state.requests++;
    const url = new URL(req.url ?? '/', 'http://x');
    if (state.fail)
      return void res
        .writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' })
        .end(JSON.stringify({ message: 'internal error' }));
    if (req.method !== 'POST' || url.pathname !== '/agents/')
      return void res.writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException' }).end('{}');
    const parsed = body ? (JSON.parse(body) as { nextToken?: string }) : {};
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(parsed.nextToken === 'eyJwYWdlIjoyfQ' ? state.page2 : page1));
  });
  return { ...server, state };
}

/** The sources file for the fixtures, with the rules of the fixtures README. */
export function writeSourcesFile(
  dir: string,
  o: { vertexUrl: string; bedrockUrl: string; extraZeekFiles?: string[] },
): string {
  const file = path.join(dir, 'discovery-sources.json');
  const observedAt = '2024-05-08T09:00:00.000Z';
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        rules: {
          ownerEmailDomain: 'example.com',
          userEmails: { ci: 'olivia@example.com' },
          hostAliases: { '10.20.0.40': 'build-runner-3' },
          ignore: { mcpServerIds: ['url:warden.example.com/gateway/mcp'] },
          limits: { maxLineBytes: 4096 },
          cloud: {
            pageSize: 2,
            maxPages: 5,
            requestTimeoutMs: 2000,
            maxRetries: 2,
            retryBaseDelayMs: 20,
            retryMaxDelayMs: 100,
          },
        },
        sources: [
          {
            name: 'zeek',
            type: 'zeek',
            files: [
              path.join(FIXTURES, 'zeek/ssl.log'),
              path.join(FIXTURES, 'zeek/http.log'),
              ...(o.extraZeekFiles ?? []),
            ],
          },
          { name: 'squid', type: 'squid', files: [path.join(FIXTURES, 'squid/access.log')] },
          {
            name: 'osquery',
            type: 'osquery',
            files: [
              { path: path.join(FIXTURES, 'osquery/alice-mbp.chrome_extensions.json'), host: 'alice-mbp', observedAt },
              path.join(FIXTURES, 'osquery/osqueryd.results.log'),
            ],
          },
          { name: 'mcp', type: 'mcp-configs', root: path.join(FIXTURES, 'mcp'), observedAt },
          {
            name: 'vertex',
            type: 'vertex',
            targets: [{ project: 'acme-agents-prod', location: 'us-central1' }],
            baseUrl: o.vertexUrl,
            accessTokenEnv: VERTEX_TOKEN_ENV,
          },
          {
            name: 'bedrock',
            type: 'bedrock',
            targets: [{ region: 'us-east-1', accountId: '123456789012' }],
            endpoint: o.bedrockUrl,
          },
        ],
      },
      null,
      2,
    ),
  );
  return file;
}

/** Environment a worker needs for the cloud sources (the Vertex token; AWS keys for the SDK's default chain). */
export const CLOUD_ENV = {
  [VERTEX_TOKEN_ENV]: VERTEX_TOKEN,
  AWS_ACCESS_KEY_ID: AWS_TEST_KEY.id,
  AWS_SECRET_ACCESS_KEY: AWS_TEST_KEY.secret,
};

type Gql = <T = Record<string, any>>(
  query: string,
  variables?: Record<string, unknown>,
  token?: string | null,
) => Promise<GraphQLResponse<T>>;

export const SWEEP_FIELDS = `id status startedAt finishedAt read malformed findings newAgentCount errors
  newAgents { agentId name }
  sources { name type covers state read malformed skipped errors findings newAgents knownAgents dismissed }`;

export async function runSweep(gql: Gql, token: string): Promise<{ id: string; started: boolean }> {
  const res = await gql<any>(`mutation { runDiscoverySweep { started sweep { id status } } }`, {}, token);
  expect(res.errors).toBeUndefined();
  return { id: res.data.runDiscoverySweep.sweep.id, started: res.data.runDiscoverySweep.started };
}

export async function sweepUntilDone(gql: Gql, token: string, id: string, timeoutMs = 90_000): Promise<any> {
  return eventually(async () => {
    const res = await gql<any>(`query($id: ID!) { discoverySweep(id: $id) { ${SWEEP_FIELDS} } }`, { id }, token);
    const sweep = res.data?.discoverySweep;
    return sweep && sweep.status !== 'RUNNING' ? sweep : undefined;
  }, timeoutMs);
}

export const FINDING_FIELDS = `id agentId fingerprint source sourceName kind agentName platform host user proposedOwnerEmail
  evidence { key value } firstSeen lastSeen count sweepId dismissal { by reason at }`;

/** Every finding matching the filter, page by page. */
export async function allFindings(gql: Gql, token: string, filter: Record<string, unknown> = {}): Promise<any[]> {
  const out: any[] = [];
  let after: string | null = null;
  for (;;) {
    const res: GraphQLResponse<any> = await gql<any>(
      `query($f: DiscoveryFindingFilter, $after: String) { discoveryFindings(filter: $f, first: 10, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${FINDING_FIELDS} } } } }`,
      { f: filter, after },
      token,
    );
    expect(res.errors).toBeUndefined();
    out.push(...res.data.discoveryFindings.edges.map((e: any) => e.node));
    if (!res.data.discoveryFindings.pageInfo.hasNextPage) return out;
    after = res.data.discoveryFindings.pageInfo.endCursor;
  }
}
