/**
 * Temporal's remote codec protocol, so authorized people can read encrypted payloads in the Temporal Web
 * UI (or the CLI's --codec-endpoint): `POST …/encode` and `POST …/decode` take and answer
 * `{"payloads":[{"metadata":{"k":"<base64>"},"data":"<base64>"}]}` (Payloads in protobuf JSON, where bytes
 * are base64). Only the last path segment picks the operation, as the protocol asks.
 *
 * The browser calls this cross-origin from the UI, so CORS is answered for the configured origins only
 * (exact match, with credentials); requests from other browser origins are refused outright, and only
 * `application/json` is accepted, so a page elsewhere cannot make a "simple" request that skips the preflight.
 */
import type http from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { CodecError } from '../vault/payload-codec.js';

export const CODEC_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface CodecHandlerOptions {
  codec: PayloadCodec;
  /** Origins (e.g. `http://localhost:8233`) whose pages may call this: the Temporal Web UI. */
  allowedOrigins: string[];
  /**
   * Decides from the request (its `Authorization` header, or a session cookie) whether the caller may use
   * this operation: reading payloads (`decode`) is for few; encoding is harmless (what it encodes is marked
   * as a person's, which workflows take only with a signed statement).
   */
  authorize: (req: http.IncomingMessage, operation: 'encode' | 'decode') => Promise<'allow' | 'withhold' | 'refuse'>;
}

export type CodecHandler = (req: http.IncomingMessage, res: http.ServerResponse, path: string) => Promise<void>;

interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

class BadRequest extends Error {}

// Standard or URL-safe alphabet: protobuf JSON parsers accept both.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function bytes(value: unknown, where: string): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new BadRequest(`${where} must be a base64 string.`);
  return Buffer.from(value, 'base64');
}

function fromJson(body: unknown): Payload[] {
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (typeof body !== 'object' || body === null || !Array.isArray(payloads)) {
    throw new BadRequest('The body must be {"payloads":[{"metadata":{…},"data":"<base64>"}]}.');
  }
  return payloads.map((p: unknown, i) => {
    if (typeof p !== 'object' || p === null || Array.isArray(p))
      throw new BadRequest(`payloads[${i}] must be an object.`);
    const { metadata, data } = p as JsonPayload;
    if (metadata != null && (typeof metadata !== 'object' || Array.isArray(metadata))) {
      throw new BadRequest(`payloads[${i}].metadata must be an object of base64 strings.`);
    }
    return {
      metadata: Object.fromEntries(
        Object.entries(metadata ?? {}).map(([k, v]) => [k, bytes(v, `payloads[${i}].metadata.${k}`)]),
      ),
      data: data == null ? new Uint8Array() : bytes(data, `payloads[${i}].data`),
    };
  });
}

function toJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v ?? new Uint8Array())])),
      data: b64(p.data ?? new Uint8Array()),
    })),
  };
}

type BodyResult = { ok: true; body: Buffer } | { ok: false };

/**
 * Reads the body up to the limit. Past it, the rest is drained without being kept, so the client gets a
 * clean 413 instead of a reset connection; the hosting server's requestTimeout bounds how long that takes.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number(req.headers['content-length'] ?? 0) > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? { ok: false } : { ok: true, body: Buffer.concat(chunks) }));
    req.on('error', reject);
  });
}

export function createCodecHandler(o: CodecHandlerOptions): CodecHandler {
  const allowed = new Set(o.allowedOrigins.map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean));

  return async (req, res, path) => {
    const origin = req.headers.origin;
    const originAllowed = origin !== undefined && allowed.has(origin);

    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.statusCode = status;
      res.setHeader('Vary', 'Origin');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (originAllowed) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
      }
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      if (body === undefined) {
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, error: string, message: string, headers?: Record<string, string>) =>
      send(status, { error, message }, headers);

    const operation = path.replace(/\/+$/, '').split('/').pop();
    if (operation !== 'encode' && operation !== 'decode') {
      return fail(404, 'not_found', 'The codec endpoints are …/encode and …/decode.');
    }
    // A browser origin not on the list gets nothing, preflight or not (requests without Origin are not from a page).
    if (origin !== undefined && !originAllowed) {
      return fail(403, 'forbidden_origin', 'This origin may not call the codec endpoint.');
    }
    if (req.method === 'OPTIONS') {
      return send(204, undefined, {
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Namespace',
        'Access-Control-Max-Age': '600',
      });
    }
    if (req.method !== 'POST') return fail(405, 'method_not_allowed', 'Use POST.', { Allow: 'POST, OPTIONS' });

    let authorized: 'allow' | 'withhold' | 'refuse';
    try {
      authorized = await o.authorize(req, operation);
    } catch {
      authorized = 'refuse'; // an authorizer that breaks refuses
    }
    if (authorized === 'refuse') {
      return fail(
        401,
        'unauthorized',
        operation === 'decode'
          ? 'Reading payloads needs an admin or security person: a bearer token, or a codec session (open one at …/codec/session and turn on "include cross-origin credentials" in the Temporal UI).'
          : "Encoding needs a person's bearer token or codec session.",
        {
          'WWW-Authenticate': 'Bearer realm="warden-codec"',
        },
      );
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return fail(415, 'unsupported_media_type', 'Send Content-Type: application/json.');

    let read: BodyResult;
    try {
      read = await readBody(req, CODEC_MAX_BODY_BYTES);
    } catch {
      res.destroy(); // the client went away mid-body: nobody to answer
      return;
    }
    if (!read.ok)
      return fail(413, 'payload_too_large', `The body is larger than ${CODEC_MAX_BODY_BYTES / 1024 / 1024} MiB.`);

    let payloads: Payload[];
    try {
      payloads = fromJson(JSON.parse(read.body.toString('utf8')));
    } catch (err) {
      return fail(400, 'bad_request', err instanceof BadRequest ? err.message : 'The body is not valid JSON.');
    }
    // A person who may not read gets back what they sent: nothing decoded, and their tool carries on.
    if (authorized === 'withhold') return send(200, toJson(payloads), { 'x-warden-codec': 'not-decoded' });
    try {
      const result = operation === 'decode' ? await o.codec.decode(payloads) : await o.codec.encode(payloads);
      return send(200, toJson(result));
    } catch (err) {
      if (err instanceof CodecError) return fail(400, 'decode_failed', err.message);
      // Nothing from the error goes out: it could carry payload details.
      return fail(500, 'internal', 'The codec failed unexpectedly.');
    }
  };
}
