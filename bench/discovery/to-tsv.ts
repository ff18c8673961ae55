/**
 * Rewrites a generated Zeek ssl.log (JSON lines, generate-traffic.ts) in Zeek's default ASCII format, so the
 * TSV scan is measured on the same connections and must report the same planted hosts: a `#separator` …
 * `#types` header (Zeek 6 `SSL::Info` fields, https://docs.zeek.org/en/v7.0.11/_sources/log-formats.rst.txt),
 * one tab-separated record per JSON record (unset `-`, empty sets `(empty)`, tabs, backslashes and
 * non-printable bytes escaped `\xHH`), `#close` at the end. Lines that are not a readable JSON record — and
 * over-long lines — are copied byte for byte, so each malformed JSON line stays one malformed TSV line.
 * Streams with backpressure; memory does not depend on the size.
 *
 *   tsx bench/discovery/to-tsv.ts /tmp/ssl.log /tmp/ssl.tsv.log
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';

const FIELDS = [
  ['ts', 'time'],
  ['uid', 'string'],
  ['id.orig_h', 'addr'],
  ['id.orig_p', 'port'],
  ['id.resp_h', 'addr'],
  ['id.resp_p', 'port'],
  ['version', 'string'],
  ['cipher', 'string'],
  ['curve', 'string'],
  ['server_name', 'string'],
  ['resumed', 'bool'],
  ['last_alert', 'string'],
  ['next_protocol', 'string'],
  ['established', 'bool'],
  ['ssl_history', 'string'],
  ['cert_chain_fps', 'vector[string]'],
  ['client_cert_chain_fps', 'vector[string]'],
  ['sni_matches_cert', 'bool'],
] as const;

/** Lines of the header block, and of the `#close` footer: lines a scan reads and skips. */
export const TSV_META_LINES = 9;
const MAX_LINE = 64 * 1024;

export interface TsvConversion {
  file: string;
  bytes: number;
  lines: number;
}

function escape(s: string, inSet = false): string {
  return s.replace(
    inSet ? /[\x00-\x1f\x7f\\,]/g : /[\x00-\x1f\x7f\\]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function value(v: unknown, type: string): string {
  if (v === undefined || v === null) return '-';
  if (Array.isArray(v)) return v.length ? v.map((x) => escape(String(x), true)).join(',') : '(empty)';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number' && type === 'time') return v.toFixed(6);
  const s = escape(String(v));
  return s === '' ? '(empty)' : s === '-' ? '\\x2d' : s;
}

function convert(line: Buffer, decoder: TextDecoder): Buffer | string {
  if (line.length > MAX_LINE) return line;
  let rec: unknown;
  try {
    rec = JSON.parse(decoder.decode(line));
  } catch {
    return line;
  }
  if (!rec || typeof rec !== 'object' || Array.isArray(rec)) return line;
  const r = rec as Record<string, unknown>;
  return FIELDS.map(([name, type]) => value(r[name], type)).join('\t');
}

export async function toTsv(jsonFile: string, tsvFile: string): Promise<TsvConversion> {
  const out = createWriteStream(tsvFile);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let lines = 0;
  const write = async (chunk: Buffer | string) => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(
    [
      '#separator \\x09',
      '#set_separator\t,',
      '#empty_field\t(empty)',
      '#unset_field\t-',
      '#path\tssl',
      '#open\t2025-05-05-00-00-00',
      `#fields\t${FIELDS.map((f) => f[0]).join('\t')}`,
      `#types\t${FIELDS.map((f) => f[1]).join('\t')}`,
    ].join('\n') + '\n',
  );
  let rest = Buffer.alloc(0);
  for await (const chunk of createReadStream(jsonFile, { highWaterMark: 256 * 1024 })) {
    let buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) !== -1) {
      const converted = convert(buf.subarray(0, nl), decoder);
      await write(typeof converted === 'string' ? converted + '\n' : Buffer.concat([converted, Buffer.from('\n')]));
      lines++;
      buf = buf.subarray(nl + 1);
    }
    rest = Buffer.from(buf);
  }
  if (rest.length) {
    await write(convert(rest, decoder));
    lines++;
  }
  await write('#close\t2025-05-06-00-00-00\n');
  out.end();
  await finished(out);
  return { file: tsvFile, bytes, lines: lines + TSV_META_LINES };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [from, to] = process.argv.slice(2);
  if (!from || !to) {
    process.stderr.write('usage: tsx bench/discovery/to-tsv.ts FROM.json.log TO.tsv.log\n');
    process.exit(2);
  }
  const c = await toTsv(from, to);
  process.stdout.write(`wrote ${c.lines} lines (${c.bytes} bytes) to ${c.file}\n`);
}
