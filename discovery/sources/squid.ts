/**
 * Squid access.log in the native format (`logformat squid`):
 *
 *   time elapsed remotehost code/status bytes method URL rfc931 peerstatus/peerhost type
 *   1715166002.114    812 10.0.0.21 TCP_TUNNEL/200 6120 CONNECT api.anthropic.com:443 - HIER_DIRECT/160.79.104.10 -
 *
 * Flags clients reaching LLM / agent-platform hosts (CONNECT host:port or the URL's host). `rfc931` (the
 * ident / proxy-authenticated user) names the user where the proxy knows it.
 */
import type { DiscoveryConfig } from '../config.js';
import { ScanState, scanLineFiles, type LineOutcome } from '../progress.js';
import type { ProgressCallback, ScanResult, SourceProgress } from '../types.js';
import { networkFinding, validClient } from './network.js';

export interface SquidInput {
  files: string[];
}

const TIME = /^\d{9,11}\.\d{1,6}$/;
const INT = /^-?\d+$/;
const CODE = /^[A-Z_]+\/\d{3}$/;
const METHOD = /^[A-Z_-]{3,20}$/;

export async function scanSquid(
  input: SquidInput,
  config: DiscoveryConfig,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
): Promise<ScanResult> {
  const state = new ScanState(resumeFrom, config, onProgress);
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
    let destination: string | undefined;
    let urlPath: string | undefined;
    if (method === 'CONNECT') {
      if (!/^[^/\s]+:\d{1,5}$/.test(url)) return 'malformed';
      destination = url;
    } else {
      try {
        const u = new URL(url);
        destination = u.hostname;
        urlPath = u.pathname;
      } catch {
        // Squid logs `error:…` pseudo-URLs for failed requests: well-formed, nothing to learn.
        if (url.startsWith('error:') || url === '-') return 'ok';
        return 'malformed';
      }
    }
    const timeMs = Number(ts) * 1000;
    let user: string | undefined;
    if (rfc931 !== '-') {
      try {
        user = decodeURIComponent(rfc931);
      } catch {
        user = rfc931;
      }
    }
    const finding = networkFinding(config, { timeMs, client, destination, method, path: urlPath, user, log: 'squid' });
    if (finding) state.add(finding);
    return 'ok';
  });
}
