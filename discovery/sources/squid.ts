/**
 * Squid access.log, in the format the proxy writes it (`logformat`; squid-cache.org/Doc/config/logformat).
 * The default is the native format (`logformat squid`):
 *
 *   time elapsed remotehost code/status bytes method URL rfc931 peerstatus/peerhost type
 *   1715166002.114    812 10.0.0.21 TCP_TUNNEL/200 6120 CONNECT api.anthropic.com:443 - HIER_DIRECT/160.79.104.10 -
 *
 * Any other built-in format (`common`, `combined`, `referrer`, `useragent`) or a custom specification with
 * `%` codes is compiled by squid-logformat.ts. Flags clients reaching LLM / agent-platform hosts (CONNECT
 * host:port, the URL's host, `%>rd` or `%ssl::>sni`) or sending an agent-framework user agent. The proxy
 * user (`%un` and friends) names the user where the proxy knows it.
 */
import fs from 'node:fs';
import type { DiscoveryConfig } from '../config.js';
import { ScanState, scanLineFiles, type LineOutcome } from '../progress.js';
import type { ProgressCallback, ScanResult, SourceProgress } from '../types.js';
import { networkFinding, validClient } from './network.js';
import { compileSquidLogFormat, squidRecordTimeMs, type SquidLineParser, type SquidRecord } from './squid-logformat.js';

export interface SquidInput {
  files: string[];
  /** A built-in format name (`squid`, `common`, `combined`, `referrer`, `useragent`) or a `%` specification. */
  logformat?: string;
}

const TIME = /^\d{9,11}\.\d{1,6}$/;
const INT = /^-?\d+$/;
const CODE = /^[A-Z_]+\/\d{3}$/;
const METHOD = /^[A-Z_-]{3,20}$/;
const SQUID_STATUS = /^[A-Z][A-Z0-9_]*$/;

export async function scanSquid(
  input: SquidInput,
  config: DiscoveryConfig,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
): Promise<ScanResult> {
  const state = new ScanState(resumeFrom, config, onProgress);
  if (input.logformat !== undefined && input.logformat !== 'squid') {
    let parser: SquidLineParser;
    try {
      parser = compileSquidLogFormat(input.logformat);
    } catch (err) {
      // Configuration, not input: nothing can be read with it (the sources file check refuses it earlier).
      state.error((err as Error).message);
      return state.finish(state.progress.cursor);
    }
    return scanCustom(input.files, parser, state, config);
  }
  return scanLineFiles(input.files, state, config, (text): LineOutcome => {
    if (text.startsWith('#')) return 'skipped';
    const f = text.trim().split(/\s+/);
    if (f.length < 10) return 'malformed';
    const [ts, elapsed, clientRaw, code, bytes, method, url, rfc931, hier] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (
      !TIME.test(ts) ||
      !INT.test(elapsed) ||
      !CODE.test(code) ||
      !INT.test(bytes) ||
      !METHOD.test(method) ||
      !hier.includes('/')
    ) {
      return 'malformed';
    }
    const client = validClient(clientRaw);
    if (!client) return 'malformed';
    const target = destinationOf(method, url);
    if (target === 'malformed') return 'malformed';
    if (!target) return 'ok';
    const timeMs = Number(ts) * 1000;
    const user = rfc931 !== '-' ? decodeUser(rfc931) : undefined;
    const finding = networkFinding(config, { timeMs, client, ...target, method, user, log: 'squid' });
    if (finding) state.add(finding);
    return 'ok';
  });
}

/** Lines in a compiled logformat. A format without a time code dates its lines by the file's modification time. */
async function scanCustom(
  files: string[],
  parser: SquidLineParser,
  state: ScanState,
  config: DiscoveryConfig,
): Promise<ScanResult> {
  const fileTimes = parser.untimed
    ? await Promise.all(
        files.map((f) =>
          fs.promises.stat(f).then(
            (s) => s.mtimeMs,
            () => undefined,
          ),
        ),
      )
    : [];
  return scanLineFiles(files, state, config, (text, fileIndex): LineOutcome => {
    if (text.startsWith('#')) return 'skipped';
    const rec = parser.parse(text);
    if (!rec) return 'malformed';
    const timeMs = parser.untimed ? fileTimes[fileIndex] : squidRecordTimeMs(rec);
    const client = validClient(rec.client);
    if (timeMs === undefined || !client || !plausible(rec)) return 'malformed';
    let target: Target | undefined;
    if (rec.url !== undefined) {
      const t = destinationOf(rec.method, rec.url);
      if (t === 'malformed' && !rec.domain && !rec.sni) return 'malformed';
      if (t && t !== 'malformed') target = t;
    }
    // The TLS SNI (peeked or bumped CONNECT) names the host even when the request line has only an IP.
    const host = rec.sni ?? rec.domain;
    if (host) target = { ...target, destination: host };
    if (!target && !rec.userAgent) return 'ok';
    const finding = networkFinding(config, {
      timeMs,
      client,
      ...target,
      userAgent: rec.userAgent,
      method: rec.method,
      user: rec.user === undefined ? undefined : decodeUser(rec.user),
      log: 'squid',
    });
    if (finding) state.add(finding);
    return 'ok';
  });
}

/** Field shapes Squid always writes; anything else means the line is not in the configured format. */
function plausible(rec: SquidRecord): boolean {
  return (
    (rec.method === undefined || METHOD.test(rec.method)) &&
    (rec.squidStatus === undefined || SQUID_STATUS.test(rec.squidStatus)) &&
    (rec.httpStatus === undefined || /^\d{1,3}$/.test(rec.httpStatus))
  );
}

interface Target {
  destination?: string;
  path?: string;
}

/** Where a request went: CONNECT host:port or the URL's host; undefined when there is nothing to learn. */
function destinationOf(method: string | undefined, url: string): Target | 'malformed' | undefined {
  if (method === 'CONNECT' || (method === undefined && /^[^/\s]+:\d{1,5}$/.test(url))) {
    return /^[^/\s]+:\d{1,5}$/.test(url) ? { destination: url } : 'malformed';
  }
  try {
    const u = new URL(url);
    return { destination: u.hostname, path: u.pathname };
  } catch {
    // Squid logs `error:…` pseudo-URLs for failed requests: well-formed, nothing to learn.
    if (url.startsWith('error:') || url === '-') return undefined;
    return 'malformed';
  }
}

/** Squid %-encodes user names (the `[` encoding of the native format). */
function decodeUser(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
