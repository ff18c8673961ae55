/** The remote codec endpoint (Temporal Web UI protocol) over real HTTP. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODEC_MAX_BODY_BYTES, createCodecHandler } from '../api/codec-server.js';
import { createPayloadCodec, ENCRYPTED_ENCODING } from '../vault/payload-codec.js';
import { generateKeySpec, parseKeyRing } from '../vault/envelope.js';

const UI = 'http://localhost:8233';
const TOKEN = `t-${randomBytes(8).toString('hex')}`;
// As the API serves it: people's payloads are encoded as theirs (operator), and revealed, not marked, for reading.
const codec = createPayloadCodec(parseKeyRing(generateKeySpec('k1')), { encryptAs: 'operator', decode: 'reveal' });
const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

let server: http.Server;
let base: string;

beforeAll(async () => {
  const handler = createCodecHandler({
    codec,
    allowedOrigins: [`${UI}/`],
    authorize: async (req) =>
      req.headers.authorization === `Bearer ${TOKEN}`
        ? 'allow'
        : req.headers.authorization === `Bearer reader-not-${TOKEN}`
          ? 'withhold'
          : 'refuse',
  });
  server = http.createServer((req, res) => {
    handler(req, res, (req.url ?? '/').split('?')[0]!).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/codec`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server?.close(() => resolve());
      server?.closeAllConnections();
    }),
);

interface JsonPayloads {
  payloads: { metadata?: Record<string, string>; data?: string }[];
}

function post(op: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/${op}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}`,
      'x-namespace': 'default',
      origin: UI,
      ...headers,
    },
    body,
  });
}

describe('codec endpoint', () => {
  it('encodes and decodes payloads in protobuf JSON over HTTP', async () => {
    const secret = `sk-live-${randomBytes(8).toString('hex')}`;
    const plain: JsonPayloads = {
      payloads: [
        { metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify({ apiKey: secret })) },
        { metadata: { encoding: b64('binary/null') } },
      ],
    };
    const enc = await post('encode', JSON.stringify(plain));
    expect(enc.status).toBe(200);
    expect(enc.headers.get('content-type')).toBe('application/json');
    expect(enc.headers.get('access-control-allow-origin')).toBe(UI);
    expect(enc.headers.get('cache-control')).toBe('no-store');
    const encoded = (await enc.json()) as JsonPayloads;
    expect(encoded.payloads).toHaveLength(2);
    expect(unb64(encoded.payloads[0]!.metadata!.encoding!)).toBe(ENCRYPTED_ENCODING);
    expect(JSON.stringify(encoded)).not.toContain(b64(JSON.stringify({ apiKey: secret })));
    expect(unb64(encoded.payloads[0]!.data!)).not.toContain(secret);

    const dec = await post('decode', JSON.stringify(encoded));
    expect(dec.status).toBe(200);
    const decoded = (await dec.json()) as JsonPayloads;
    expect(unb64(decoded.payloads[0]!.metadata!.encoding!)).toBe('json/plain');
    expect(JSON.parse(unb64(decoded.payloads[0]!.data!))).toEqual({ apiKey: secret });
    expect(decoded.payloads[1]).toEqual({ metadata: { encoding: b64('binary/null') }, data: '' });
  });

  it('decodes what the SDK encoded, and passes unencrypted payloads through', async () => {
    const [sdk] = await codec.encode([defaultPayloadConverter.toPayload({ n: 42 })]);
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(sdk!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
          ),
          data: Buffer.from(sdk!.data!).toString('base64'),
        },
        { metadata: { encoding: b64('json/plain') }, data: b64('"old history"') },
      ],
    };
    const res = await post('decode', JSON.stringify(body));
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as JsonPayloads;
    expect(JSON.parse(unb64(payloads[0]!.data!))).toEqual({ n: 42 });
    expect(payloads[1]).toEqual(body.payloads[1]);
  });

  it('answers the mount path at any depth (only the last segment counts)', async () => {
    const res = await fetch(`${base}/ns/default/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ payloads: [] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ payloads: [] });
    expect((await post('other', '{}')).status).toBe(404);
  });

  it('gives a person who may not read their payloads back as sent, decoding nothing', async () => {
    const [sdk] = await codec.encode([defaultPayloadConverter.toPayload({ secret: 'not for you' })]);
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(sdk!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
          ),
          data: Buffer.from(sdk!.data!).toString('base64'),
        },
      ],
    };
    const res = await post('decode', JSON.stringify(body), { authorization: `Bearer reader-not-${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-warden-codec')).toBe('not-decoded');
    expect(await res.json()).toEqual(body);
  });

  it('refuses callers that are not authorized with 401', async () => {
    for (const authorization of ['Bearer wrong', '']) {
      const res = await post('decode', JSON.stringify({ payloads: [] }), { authorization });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      // The UI can still read the error.
      expect(res.headers.get('access-control-allow-origin')).toBe(UI);
      expect(await res.json()).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
    }
  });

  it('answers a preflight from the UI origin with CORS headers, and not from another origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization,x-namespace',
        },
      });
    const ok = await preflight(UI);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(ok.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization, X-Namespace');
    expect(ok.headers.get('vary')).toBe('Origin');

    const evil = await preflight('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
    expect(evil.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('refuses requests from other browser origins, even with a valid token', async () => {
    const res = await post('decode', JSON.stringify({ payloads: [] }), { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('only accepts application/json (no CORS-simple requests)', async () => {
    const res = await post('decode', JSON.stringify({ payloads: [] }), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
  });

  it('answers malformed bodies with 400 bad_request', async () => {
    const bad = [
      'not json',
      'null',
      '[]',
      '{}',
      '{"payloads":{}}',
      '{"payloads":[1]}',
      '{"payloads":[{"data":"not base64!"}]}',
      '{"payloads":[{"metadata":{"encoding":42}}]}',
      '{"payloads":[{"metadata":["x"]}]}',
    ];
    for (const body of bad) {
      const res = await post('decode', body);
      expect(res.status, body).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'bad_request', message: expect.any(String) });
    }
  });

  it('answers payloads that fail to decode with 400 decode_failed, without echoing them', async () => {
    const [sdk] = await codec.encode([defaultPayloadConverter.toPayload('secret value')]);
    const data = Buffer.from(sdk!.data!);
    data[data.length - 1]! ^= 0x01;
    const tampered = data.toString('base64');
    const res = await post(
      'decode',
      JSON.stringify({
        payloads: [{ metadata: { encoding: b64(ENCRYPTED_ENCODING), 'encryption-key-id': b64('k1') }, data: tampered }],
      }),
    );
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ error: 'decode_failed' });
    expect(body).not.toContain(tampered);

    const unknown = await post(
      'decode',
      JSON.stringify({
        payloads: [
          { metadata: { encoding: b64(ENCRYPTED_ENCODING), 'encryption-key-id': b64('gone') }, data: tampered },
        ],
      }),
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: 'decode_failed', message: expect.stringContaining('"gone"') });
  });

  it('answers bodies over 4 MiB with 413', async () => {
    const big = JSON.stringify({ payloads: [{ data: 'A'.repeat(CODEC_MAX_BODY_BYTES) }] });
    const res = await post('decode', big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
    // Just under the limit is fine.
    const fits = JSON.stringify({ payloads: [{ data: 'A'.repeat(CODEC_MAX_BODY_BYTES - 100) }] });
    expect((await post('encode', fits)).status).toBe(200);
  });

  it('refuses other methods with 405', async () => {
    const res = await fetch(`${base}/decode`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
  });
});
