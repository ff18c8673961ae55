/**
 * Zeek `ssl.log` and `http.log` in JSON (one record per line, `LogAscii::use_json=T`). Flags source hosts
 * (`id.orig_h`) that reach LLM / agent-platform hosts (ssl `server_name`, http `host`) or send an
 * agent-framework `user_agent`. Zeek does not log Authorization headers; a site script may add a
 * credential hint field (default `auth_key_hint`), which then splits findings per credential.
 */
import path from 'node:path';
import type { DiscoveryConfig } from '../config.js';
import { parseObject, parseTimeMs, ScanState, scanLineFiles, str, type LineOutcome } from '../progress.js';
import type { ProgressCallback, ScanResult, SourceProgress } from '../types.js';
import { networkFinding, validClient } from './network.js';

export type ZeekLogType = 'ssl' | 'http';

export interface ZeekInput {
  /** Log files in order; the type comes from `log`, else the record's `_path`, else the file name, else the fields. */
  files: Array<string | { path: string; log?: ZeekLogType }>;
  /** http.log fields that carry a credential or credential hint (custom; Zeek has none by default). */
  credentialFields?: string[];
}

export async function scanZeek(
  input: ZeekInput,
  config: DiscoveryConfig,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
): Promise<ScanResult> {
  const state = new ScanState(resumeFrom, config, onProgress);
  const files = input.files.map((f) => (typeof f === 'string' ? { path: f } : f));
  const credentialFields = input.credentialFields ?? ['auth_key_hint'];
  const fileType = files.map((f): ZeekLogType | undefined => {
    if (f.log) return f.log;
    const base = path.basename(f.path).toLowerCase();
    return base.startsWith('ssl') ? 'ssl' : base.startsWith('http') ? 'http' : undefined;
  });

  return scanLineFiles(
    files.map((f) => f.path),
    state,
    config,
    (text, fileIndex): LineOutcome => {
      if (text.startsWith('#')) return 'skipped'; // TSV headers, or comments
      const rec = parseObject(text);
      if (!rec) return 'malformed';
      const timeMs = parseTimeMs(rec.ts);
      const id = rec.id && typeof rec.id === 'object' ? (rec.id as Record<string, unknown>) : undefined;
      const client = validClient(rec['id.orig_h'] ?? id?.orig_h);
      if (timeMs === undefined || !client) return 'malformed';
      const declared = rec._path === 'ssl' || rec._path === 'http' ? rec._path : undefined;
      const type =
        declared ??
        fileType[fileIndex] ??
        ('server_name' in rec || 'cipher' in rec ? 'ssl' : 'host' in rec || 'uri' in rec ? 'http' : undefined);
      if (!type) return 'malformed';
      let finding;
      if (type === 'ssl') {
        const sni = str(rec.server_name);
        if (!sni || sni === '-') return 'ok';
        finding = networkFinding(config, { timeMs, client, destination: sni, log: 'zeek-ssl' });
      } else {
        const credential = credentialFields.map((f) => str(rec[f])).find((v) => v && v !== '-');
        const uri = str(rec.uri);
        finding = networkFinding(config, {
          timeMs,
          client,
          destination: str(rec.host),
          userAgent: str(rec.user_agent),
          method: str(rec.method),
          path: uri?.split('?')[0],
          credential,
          log: 'zeek-http',
        });
      }
      if (finding) state.add(finding);
      return 'ok';
    },
  );
}
