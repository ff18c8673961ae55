/**
 * Real HTTP servers standing in for what a user's environment has outside Warden: tools (an MCP-style
 * server that verifies grants itself, a SaaS API that only knows a static key and can rotate it), and
 * receivers (a notification webhook, a Shared Signals receiver).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function listen(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>,
): Promise<TestServer> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      await handler(req, res, Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/**
 * A tool that trusts Warden grants the way an MCP server does: it verifies each grant against Warden's
 * JWKS (issuer, its own audience, `typ: at+jwt`, the operation in scope) and, because a signature cannot
 * tell it about a universal logout, asks Warden's introspection endpoint whether the grant is still active.
 */
export async function startJwtTool(o: { wardenUrl: string; issuer: string; operations: Record<string, string> }) {
  const jwks = createRemoteJWKSet(new URL(`${o.wardenUrl}/.well-known/jwks.json`));
  const state = { resource: '', clientId: '', clientSecret: '', calls: [] as { operation: string; agent: string }[] };
  const server = await listen(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const operation = o.operations[`${req.method} ${path}`];
    if (!operation) return json(res, 404, { error: 'no such operation' });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return json(res, 401, { error: 'grant required' });
    let payload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: o.issuer,
        audience: state.resource,
        algorithms: ['ES256'],
        typ: 'at+jwt',
        requiredClaims: ['exp', 'jti', 'sub'],
      }));
    } catch (err) {
      return json(res, 401, { error: 'invalid grant', detail: (err as Error).message });
    }
    if (
      !String(payload.scope ?? '')
        .split(' ')
        .includes(operation)
    )
      return json(res, 403, { error: 'insufficient scope' });
    const introspection = await fetch(`${o.wardenUrl}/oauth/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${state.clientId}:${state.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token }),
    });
    const active = ((await introspection.json()) as { active?: boolean }).active === true;
    if (!active) return json(res, 401, { error: 'grant revoked' });
    state.calls.push({ operation, agent: String(payload.client_id) });
    json(res, 200, { ok: true, operation, invoices: [{ id: 'inv-1', amount: 1200 }] });
  });
  state.resource = `${server.url}/`;
  return { ...server, state };
}

/**
 * A SaaS API that only knows static API keys, with the rotation endpoint of Warden's vault contract:
 * POST /keys (Bearer <current key>, Idempotency-Key) → {id, secret}; DELETE /keys/{id}.
 */
export async function startStaticKeyApi(initialKey: string) {
  const keys = new Map<string, string>([['initial', initialKey]]);
  const byIdempotencyKey = new Map<string, { id: string; secret: string }>();
  const seen: { path: string; url: string; key: string | undefined; agent: string | undefined }[] = [];
  let issued = 0;
  let failRotations = 0;
  const valid = (auth: string | undefined) => [...keys.values()].some((k) => auth === `Bearer ${k}`);
  const server = await listen((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/keys' && req.method === 'POST') {
      if (failRotations > 0) {
        failRotations--;
        return json(res, 503, { error: 'try later' });
      }
      if (!valid(req.headers.authorization)) return json(res, 401, { error: 'bad key' });
      const idem = String(req.headers['idempotency-key'] ?? '');
      const existing = byIdempotencyKey.get(idem);
      if (existing) return json(res, 200, existing);
      const fresh = { id: `k${++issued}`, secret: `sk-live-${crypto.randomUUID()}` };
      keys.set(fresh.id, fresh.secret);
      byIdempotencyKey.set(idem, fresh);
      return json(res, 201, fresh);
    }
    const del = /^\/keys\/(.+)$/.exec(path);
    if (del && req.method === 'DELETE') {
      if (!valid(req.headers.authorization)) return json(res, 401, { error: 'bad key' });
      keys.delete(decodeURIComponent(del[1]!));
      return json(res, 204, {});
    }
    seen.push({
      path,
      url: req.url ?? '/',
      key: req.headers.authorization,
      agent: req.headers['x-warden-agent'] as string | undefined,
    });
    if (!valid(req.headers.authorization)) return json(res, 401, { error: 'bad key' });
    if (path.startsWith('/accounts/') && req.method === 'GET')
      return json(res, 200, { account: path.split('/')[2], balance: 1_000_000 });
    if (path === '/transfers' && req.method === 'POST') return json(res, 201, { transfer: 'done' });
    json(res, 404, { error: 'not found' });
  });
  return {
    ...server,
    keys,
    seen,
    failNextRotations(n: number) {
      failRotations = n;
    },
  };
}

/** Collects whatever is POSTed to it (webhooks, Shared Signals pushes). */
export async function startReceiver(status = 200) {
  const received: { contentType: string; body: string }[] = [];
  const server = await listen((req, res, body) => {
    received.push({ contentType: String(req.headers['content-type'] ?? ''), body });
    res.writeHead(status).end();
  });
  return { ...server, received };
}
