/** Small HTTP helpers for the OAuth endpoints: bounded body reading and RFC 6749 §5.2 error answers. */
import type http from 'node:http';

export const MAX_FORM_BYTES = 64 * 1024;

export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    /** RFC 6749 / 7009 / 8693 error code, e.g. invalid_request, invalid_client, invalid_target. */
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export async function readBody(req: http.IncomingMessage, limit = MAX_FORM_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new OAuthError('invalid_request', `The request body is larger than ${limit} bytes.`, 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses application/x-www-form-urlencoded; a repeated parameter is an error (RFC 6749 §3.2). */
export async function readForm(req: http.IncomingMessage): Promise<Map<string, string>> {
  if (req.method !== 'POST') throw new OAuthError('invalid_request', 'Use POST.', 405);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  const params = new URLSearchParams(await readBody(req));
  const form = new Map<string, string>();
  for (const [key, value] of params) {
    if (form.has(key)) throw new OAuthError('invalid_request', `The parameter ${key.slice(0, 40)} is repeated.`);
    form.set(key, value);
  }
  return form;
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function sendOAuthError(res: http.ServerResponse, err: OAuthError, headers: Record<string, string> = {}): void {
  sendJson(res, err.status, { error: err.error, error_description: err.description }, headers);
}

/** HTTP Basic credentials (RFC 6749 §2.3.1: both parts form-urlencoded), or null. */
export function basicCredentials(req: http.IncomingMessage): { id: string; secret: string } | null {
  const header = req.headers.authorization;
  if (!header?.toLowerCase().startsWith('basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return null;
  }
}

export function bearerToken(req: http.IncomingMessage): string | null {
  const match = /^Bearer ([^\s]+)$/i.exec((req.headers.authorization ?? '').trim());
  return match ? match[1]! : null;
}
