/**
 * Zeek `ssl.log`, `http.log`, `dns.log` and `conn.log`, in Zeek's default ASCII format (tab-separated with a
 * `#fields` header, see zeek-tsv.ts) or JSON (one record per line, `LogAscii::use_json=T`), plain or
 * gzip-rotated (zeek-read.ts). Flags source hosts (`id.orig_h`) that
 *
 * - reach LLM / agent-platform hosts (ssl `server_name`, http `host`) or send an agent-framework `user_agent`;
 * - look such a host up (dns `query`) — the querying host is the evidence, which is the client itself only
 *   where Zeek sees the clients' queries (not just the resolver's);
 * - hold a long-lived connection (conn `duration` ≥ `longLivedSeconds`) to an address that a dns.log of the
 *   same source resolved for such a host (dns `answers`). dns logs are read before the others for this; the
 *   addresses learned (at most 256) travel in the resume cursor, so a resumed scan matches as a full one.
 *   Connections to addresses nobody resolved in these logs are not attributed: an IP alone is shared by
 *   too many services behind the same CDN to name an endpoint.
 *
 * Zeek does not log Authorization headers; a site script may add a credential hint field (default
 * `auth_key_hint`), which then splits findings per credential.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { matchEndpoint, normalizeHostName, type DiscoveryConfig } from '../config.js';
import type { LineEvent } from '../lines.js';
import { errorMessage, parseObject, parseTimeMs, ScanState, str, type LineOutcome } from '../progress.js';
import type { ProgressCallback, ScanResult, SourceProgress } from '../types.js';
import { networkFinding, validClient } from './network.js';
import { isGzip, zeekLines } from './zeek-read.js';
import {
  applyHeaderLine,
  defaultHeader,
  fieldList,
  fieldValue,
  headerFromCursor,
  headerToCursor,
  splitRecord,
  type ZeekHeader,
} from './zeek-tsv.js';

export type ZeekLogType = 'ssl' | 'http' | 'dns' | 'conn';

export interface ZeekInput {
  /** Log files; the type comes from `log`, else the record's `_path` / `#path`, else the file name, else the fields. */
  files: Array<string | { path: string; log?: ZeekLogType }>;
  /** http.log fields that carry a credential or credential hint (custom; Zeek has none by default). */
  credentialFields?: string[];
  /** conn.log: how long a connection to a resolved endpoint address must last to count (default 300 s). */
  longLivedSeconds?: number;
}

const LOG_TYPES = new Set<string>(['ssl', 'http', 'dns', 'conn']);
const MAX_ADDRESSES = 256;

/** A record of either format, read by field name. */
interface ZeekRecord {
  /** `ts` as epoch milliseconds, undefined when invalid. */
  time(): number | undefined;
  get(name: string): string | undefined;
  list(name: string): string[];
  has(name: string): boolean;
  path: string | undefined;
}

/** Valid until the next record is split (the header's column positions are reused). */
class TsvRecord implements ZeekRecord {
  constructor(
    private readonly h: ZeekHeader,
    private readonly text: string,
  ) {}
  get path() {
    return this.h.path;
  }
  time() {
    const ts = this.get('ts');
    // Zeek writes epoch seconds (`1764547203.228811`): a number in the plausible range needs no pattern match.
    const seconds = Number(ts);
    return seconds >= 946_684_800 && seconds <= 4_102_444_800 && ts !== '' ? seconds * 1000 : parseTimeMs(ts);
  }
  get(name: string) {
    return fieldValue(this.h, this.text, name);
  }
  list(name: string) {
    return fieldList(this.h, this.text, name);
  }
  has(name: string) {
    return this.h.index?.has(name) ?? false;
  }
}

class JsonRecord implements ZeekRecord {
  constructor(private readonly rec: Record<string, unknown>) {}
  get path() {
    return str(this.rec._path);
  }
  time() {
    return parseTimeMs(this.rec.ts);
  }
  #raw(name: string): unknown {
    const v = this.rec[name];
    if (v !== undefined || !name.startsWith('id.')) return v;
    const id = this.rec.id;
    return id && typeof id === 'object' ? (id as Record<string, unknown>)[name.slice(3)] : undefined;
  }
  get(name: string) {
    return str(this.#raw(name));
  }
  list(name: string) {
    const v = this.#raw(name);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
  has(name: string) {
    return name in this.rec;
  }
}

export async function scanZeek(
  input: ZeekInput,
  config: DiscoveryConfig,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
): Promise<ScanResult> {
  const state = new ScanState(resumeFrom, config, onProgress);
  if (state.progress.done) return { findings: [], progress: state.snapshot() };
  const files = input.files
    .map((f) => (typeof f === 'string' ? { path: f } : f))
    .map((f) => ({ path: f.path, type: f.log ?? typeFromName(f.path) }));
  // dns logs first (a stable order, so cursors stay valid): conn records need the addresses they resolved.
  files.sort((a, b) => Number(b.type === 'dns') - Number(a.type === 'dns'));
  const scan = new ZeekScan(input, config, state);
  const start = scan.resume(state.progress.cursor);
  for (let i = start.file; i < files.length; i++) {
    await scan.file(files[i]!.path, i, files[i]!.type, i === start.file ? start.offset : 0);
    if (i + 1 < files.length) await state.checkpoint(scan.cursor(i + 1, 0), true);
  }
  return state.finish(scan.cursor(files.length, 0));
}

function typeFromName(file: string): ZeekLogType | undefined {
  const name = path.basename(file).toLowerCase().split('.')[0] ?? '';
  return LOG_TYPES.has(name) ? (name as ZeekLogType) : undefined;
}

class ZeekScan {
  readonly #credentialFields: string[];
  readonly #longLived: number;
  /** Endpoint address → host name, from dns answers. */
  readonly #addresses = new Map<string, string>();
  readonly #nonEndpoints = new Map<string, boolean>();
  #header: ZeekHeader | undefined;
  // Cursor parts, rebuilt only when they change (the cursor is written after every line).
  #headerPart = '';
  #addressPart = '';

  constructor(
    input: ZeekInput,
    private readonly config: DiscoveryConfig,
    private readonly state: ScanState,
  ) {
    this.#credentialFields = input.credentialFields ?? ['auth_key_hint'];
    this.#longLived = input.longLivedSeconds ?? 300;
  }

  cursor(file: number, offset: number): string {
    return `{"f":${file},"o":${offset}${this.#headerPart}${this.#addressPart}}`;
  }

  resume(cursor: string): { file: number; offset: number } {
    if (!cursor) return { file: 0, offset: 0 };
    try {
      const v = JSON.parse(cursor) as { f?: unknown; o?: unknown; z?: unknown; a?: unknown };
      const f = v.f as number;
      const o = v.o as number;
      const header = v.z === undefined ? undefined : headerFromCursor(v.z);
      const addresses = v.a === undefined ? {} : v.a;
      if (
        Number.isSafeInteger(f) &&
        Number.isSafeInteger(o) &&
        f >= 0 &&
        o >= 0 &&
        (v.z === undefined || header) &&
        addresses &&
        typeof addresses === 'object' &&
        Object.entries(addresses).every(([ip, host]) => net.isIP(ip) && typeof host === 'string')
      ) {
        for (const [ip, host] of Object.entries(addresses as Record<string, string>).slice(0, MAX_ADDRESSES))
          this.#addresses.set(ip, host);
        this.#setHeader(header);
        this.#addressPart = this.#addresses.size ? `,"a":${JSON.stringify(Object.fromEntries(this.#addresses))}` : '';
        return { file: f, offset: o };
      }
    } catch {
      // fall through
    }
    this.state.error(`unreadable resume cursor ${JSON.stringify(cursor.slice(0, 80))}; starting from the beginning`);
    return { file: 0, offset: 0 };
  }

  #setHeader(header: ZeekHeader | undefined): void {
    this.#header = header;
    this.#headerPart = header ? `,"z":${JSON.stringify(headerToCursor(header))}` : '';
  }

  /** One file from `offset`; errors are recorded, never thrown. A truncated gzip counts one malformed record. */
  async file(file: string, index: number, type: ZeekLogType | undefined, offset: number): Promise<void> {
    const { state, config } = this;
    if (offset === 0) this.#setHeader(undefined);
    let gzip = false;
    try {
      gzip = await isGzip(file);
      if (!gzip) {
        const size = (await fs.promises.stat(file)).size;
        if (offset > size) {
          state.error(`${file}: shorter than the resume offset (${offset} > ${size}); rescanning it from the start`);
          offset = 0;
          this.#setHeader(undefined);
        }
      }
      // A checkpoint (and its cursor string) every `progressEvery` lines, as ScanState.checkpoint would
      // report them; built per line it costs a fifth of the scan.
      const every = config.limits.progressEvery;
      let since = 0;
      for await (const batch of zeekLines(file, gzip, offset, config.limits.maxLineBytes)) {
        for (const event of batch) {
          this.#count(event, type);
          if (++since >= every) {
            since = 0;
            await state.checkpoint(this.cursor(index, event.end), true);
          }
        }
      }
    } catch (err) {
      if (gzip) {
        state.progress.read++;
        state.progress.malformed++;
        state.error(`${file}: gzip data truncated or corrupt (${errorMessage(err)}); the rest counts as malformed`);
      } else state.error(`${file}: ${errorMessage(err)}`);
    }
  }

  #count(event: LineEvent, type: ZeekLogType | undefined): void {
    const p = this.state.progress;
    if (event.kind === 'partial') p.skipped++;
    else if (event.kind === 'malformed') {
      p.read++;
      p.malformed++;
    } else if (blank(event.text)) p.skipped++;
    else {
      p.read++;
      const outcome = this.#line(event.text, type);
      if (outcome === 'malformed') p.malformed++;
      else if (outcome === 'skipped') p.skipped++;
    }
  }

  #line(text: string, fileType: ZeekLogType | undefined): LineOutcome {
    if (text.startsWith('#')) {
      const header = this.#header ?? defaultHeader();
      const outcome = applyHeaderLine(header, text);
      if (outcome === 'other') return 'skipped';
      this.#setHeader(header);
      return outcome === 'bad' ? 'malformed' : 'skipped';
    }
    let rec: ZeekRecord;
    if (text.startsWith('{')) {
      const obj = parseObject(text);
      if (!obj) return 'malformed';
      rec = new JsonRecord(obj);
    } else {
      if (!this.#header || !splitRecord(this.#header, text)) return 'malformed';
      rec = new TsvRecord(this.#header, text);
    }
    return this.#record(rec, fileType);
  }

  #record(rec: ZeekRecord, fileType: ZeekLogType | undefined): LineOutcome {
    const { config, state } = this;
    const timeMs = rec.time();
    const client = validClient(rec.get('id.orig_h'));
    if (timeMs === undefined || !client) return 'malformed';
    const declared = rec.path !== undefined && LOG_TYPES.has(rec.path) ? (rec.path as ZeekLogType) : undefined;
    const type = declared ?? fileType ?? sniff(rec);
    if (!type) return 'malformed';
    let finding;
    if (type === 'ssl') {
      const sni = rec.get('server_name');
      if (!sni || sni === '-' || this.#notEndpoint(sni)) return 'ok';
      finding = networkFinding(config, { timeMs, client, destination: sni, log: 'zeek-ssl' });
    } else if (type === 'http') {
      const credential = this.#credentialFields.map((f) => rec.get(f)).find((v) => v && v !== '-');
      finding = networkFinding(config, {
        timeMs,
        client,
        destination: rec.get('host'),
        userAgent: rec.get('user_agent'),
        method: rec.get('method'),
        path: rec.get('uri')?.split('?')[0],
        credential,
        log: 'zeek-http',
      });
    } else if (type === 'dns') {
      const query = rec.get('query');
      if (!query) return 'ok';
      finding = networkFinding(config, { timeMs, client, destination: query, log: 'zeek-dns' });
      const host = normalizeHostName(query);
      if (finding && host && matchEndpoint(config, host)) this.#learn(host, rec.list('answers'));
    } else {
      const host = this.#addresses.get(rec.get('id.resp_h') ?? '');
      const duration = Number(rec.get('duration'));
      if (!host || !(duration >= this.#longLived)) return 'ok';
      finding = networkFinding(config, { timeMs, client, destination: host, log: 'zeek-conn' });
    }
    if (finding) state.add(finding);
    return 'ok';
  }

  /**
   * True when an SNI is surely no LLM / agent endpoint (ssl records carry no user agent, so nothing else
   * could make them a finding). Most names repeat, so the answer is cached per scan, boundedly.
   */
  #notEndpoint(sni: string): boolean {
    let no = this.#nonEndpoints.get(sni);
    if (no === undefined) {
      const host = normalizeHostName(sni);
      no = !host || !matchEndpoint(this.config, host);
      if (this.#nonEndpoints.size >= 10_000) this.#nonEndpoints.clear();
      this.#nonEndpoints.set(sni, no);
    }
    return no;
  }

  /** Remembers the addresses a dns answer gave for an endpoint host (CNAME answers are names: ignored). */
  #learn(host: string, answers: string[]): void {
    let changed = false;
    for (const answer of answers) {
      const ip = answer.trim().toLowerCase();
      if (!net.isIP(ip) || this.#addresses.get(ip) === host) continue;
      if (!this.#addresses.has(ip) && this.#addresses.size >= MAX_ADDRESSES) continue;
      this.#addresses.set(ip, host);
      changed = true;
    }
    if (changed) this.#addressPart = `,"a":${JSON.stringify(Object.fromEntries(this.#addresses))}`;
  }
}

/** Like `text.trim() === ''`, without copying the (usual) line that starts with a visible ASCII character. */
function blank(text: string): boolean {
  const c = text.charCodeAt(0);
  return text === '' || ((c <= 32 || c > 126) && text.trim() === '');
}

function sniff(rec: ZeekRecord): ZeekLogType | undefined {
  if (rec.has('server_name') || rec.has('cipher')) return 'ssl';
  if (rec.has('host') || rec.has('uri')) return 'http';
  if (rec.has('query')) return 'dns';
  if (rec.has('duration') || rec.has('conn_state')) return 'conn';
  return undefined;
}
