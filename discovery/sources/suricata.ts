/**
 * Suricata EVE JSON (`eve.json`: one event per line, its kind in `event_type`, the protocol's fields under an
 * object of the same name; docs.suricata.io, "Eve JSON Format"). `src_ip` is the client. Read:
 *
 * - `tls`: `tls.sni`, the host the client asked for;
 * - `http`: `http.hostname`, `http.url`, `http.http_user_agent`, `http.http_method`;
 * - `dns` (when `dns` is on): the names a client queried — `dns.rrname` of a version 1/2 `query` event,
 *   `dns.queries[].rrname` of a version 3 `request`. Responses are passed over: from version 3 on their
 *   `src_ip` is the resolver, not the client.
 *
 * Other event types (alert, flow, fileinfo, stats…) are well-formed records with nothing to learn here.
 */
import type { DiscoveryConfig } from '../config.js';
import { parseObject, parseTimeMs, ScanState, scanLineFiles, str, type LineOutcome } from '../progress.js';
import type { ProgressCallback, ScanResult, SourceProgress } from '../types.js';
import { networkFinding, validClient, type NetworkObservation } from './network.js';

export interface SuricataInput {
  /** EVE JSON files in order (e.g. rotated `eve.json.1`, then `eve.json`). */
  files: string[];
  /** Also read DNS queries (off by default: behind a forwarding resolver every query comes from the resolver). */
  dns?: boolean;
}

const MAX_DNS_QUERIES = 16;

export async function scanSuricata(
  input: SuricataInput,
  config: DiscoveryConfig,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
): Promise<ScanResult> {
  const state = new ScanState(resumeFrom, config, onProgress);
  return scanLineFiles(input.files, state, config, (text): LineOutcome => {
    const rec = parseObject(text);
    if (!rec) return 'malformed';
    const type = rec.event_type;
    if (typeof type !== 'string' || !type) return 'malformed';
    if (type !== 'tls' && type !== 'http' && type !== 'dns') return 'skipped';
    if (type === 'dns' && !input.dns) return 'skipped';
    const timeMs = parseTimeMs(rec.timestamp);
    const client = validClient(rec.src_ip);
    const body = rec[type];
    if (timeMs === undefined || !client || !body || typeof body !== 'object' || Array.isArray(body)) return 'malformed';
    const b = body as Record<string, unknown>;
    const seen = (o: Omit<NetworkObservation, 'timeMs' | 'client'>) => {
      const finding = networkFinding(config, { timeMs, client, ...o });
      if (finding) state.add(finding);
    };
    if (type === 'tls') {
      const sni = str(b.sni);
      if (sni) seen({ destination: sni, log: 'suricata-tls' });
    } else if (type === 'http') {
      const url = str(b.url);
      seen({
        destination: str(b.hostname),
        userAgent: str(b.http_user_agent),
        method: str(b.http_method),
        path: url?.split('?')[0],
        log: 'suricata-http',
      });
    } else {
      const names = dnsQueryNames(b);
      if (names === 'malformed') return 'malformed';
      for (const name of names) seen({ destination: name.replace(/\.$/, ''), log: 'suricata-dns' });
    }
    return 'ok';
  });
}

/** The queried names of a DNS request event (v1/v2 `query`, v3 `request`); none for responses. */
function dnsQueryNames(dns: Record<string, unknown>): string[] | 'malformed' {
  if (dns.type === 'query') {
    const name = str(dns.rrname);
    return name ? [name] : 'malformed';
  }
  if (dns.type === 'request') {
    if (!Array.isArray(dns.queries)) return 'malformed';
    return dns.queries
      .slice(0, MAX_DNS_QUERIES)
      .map((q) => (q && typeof q === 'object' ? str((q as Record<string, unknown>).rrname) : undefined))
      .filter((n): n is string => Boolean(n));
  }
  return [];
}
