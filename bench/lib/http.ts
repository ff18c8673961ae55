/**
 * The load generator's HTTP client: node:http with keep-alive (one socket per concurrent caller), so the
 * client's own cost stays small and equal for Warden and the oidc-provider baseline.
 */
import http from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
}

export class HttpClient {
  private readonly agent: http.Agent;

  constructor(maxSockets = 64) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  post(url: string, body: string, headers: Record<string, string>): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        { method: 'POST', agent: this.agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** POST a GraphQL operation; the parsed body with the HTTP status. */
export async function gql<T = any>(
  client: HttpClient,
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  bearer: string,
): Promise<GraphQLResult<T>> {
  const res = await client.post(url, JSON.stringify({ query, variables }), {
    'content-type': 'application/json',
    authorization: `Bearer ${bearer}`,
  });
  let parsed: Omit<GraphQLResult<T>, 'status'>;
  try {
    parsed = JSON.parse(res.body) as Omit<GraphQLResult<T>, 'status'>;
  } catch {
    parsed = { errors: [{ message: `HTTP ${res.status}: ${res.body.slice(0, 200)}` }] };
  }
  return { status: res.status, ...parsed };
}

/** Like gql, but throws on any error: for setup steps that must succeed. */
export async function gqlOk<T = any>(
  client: HttpClient,
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  bearer: string,
): Promise<T> {
  const r = await gql<T>(client, url, query, variables, bearer);
  if (r.errors?.length || !r.data)
    throw new Error(`GraphQL failed (HTTP ${r.status}): ${JSON.stringify(r.errors ?? r).slice(0, 400)}`);
  return r.data;
}
