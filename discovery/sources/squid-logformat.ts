/**
 * Squid `logformat` specifications compiled into line parsers.
 *
 * Squid writes each access.log line from a format specification: literal text and `%` codes,
 *
 *   % [encoding] [-] [[0]width] [{arg}] formatcode [{arg}]
 *
 * (squid-cache.org/Doc/config/logformat). The codes below are the documented ones; a code Squid does not
 * document is refused when the source is configured, naming the code, rather than mis-reading every line.
 * The parser is an anchored regular expression with one group per code; each group's pattern is narrow
 * (numbers are digits, a field stops at the separator that follows it) so matching stays linear.
 */

import { CODES, NAMESPACED, SQUID_BUILT_IN_FORMATS, type ValueKind } from './squid-logformat-codes.js';

export { SQUID_BUILT_IN_FORMATS, type SquidBuiltInFormat } from './squid-logformat-codes.js';

export class SquidLogFormatError extends Error {
  override name = 'SquidLogFormatError';
}

/** What the discovery source reads from a line. */
export interface SquidRecord {
  client?: string;
  seconds?: string;
  millis?: string;
  /** `%tl` / `%tg` value, and whether the default strftime layout applies. */
  date?: { value: string; defaultLayout: boolean };
  startTime?: string;
  method?: string;
  url?: string;
  domain?: string;
  path?: string;
  sni?: string;
  user?: string;
  userAgent?: string;
  squidStatus?: string;
  httpStatus?: string;
}

type Role = keyof SquidRecord | 'ignore';

interface Field {
  code: string;
  kind: ValueKind;
  role: Role;
  arg?: string;
  /** Value written with quoted-string escapes (`\"`, `\\`). */
  escaped: boolean;
}

export interface SquidLineParser {
  /** The specification the parser was built from. */
  format: string;
  /** True when the format names no time code: the caller supplies one (e.g. the file's modification time). */
  untimed: boolean;
  parse(line: string): SquidRecord | undefined;
}

interface Token {
  literal?: string;
  code?: string;
  encoding?: string;
  width: boolean;
  left: boolean;
  arg?: string;
}

function tokenize(format: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let literal = '';
  const flush = () => {
    if (literal) tokens.push({ literal, width: false, left: false });
    literal = '';
  };
  while (i < format.length) {
    const c = format[i]!;
    if (c !== '%') {
      literal += c;
      i++;
      continue;
    }
    const m = /^%(["[#/'])?(-)?(0)?(\d+)?(?:\.(\d+))?(?:\{([^}]*)\})?/.exec(format.slice(i))!;
    let j = i + m[0].length;
    const rest = format.slice(j);
    if (rest.startsWith('%') && !m[1] && !m[2] && !m[3] && !m[4] && !m[6]) {
      literal += '%'; // "%%": a literal percent sign
      i = j + 1;
      continue;
    }
    const found = matchCode(rest);
    if (!found) {
      const shown = /^[^\s"[\]%]*/.exec(rest)![0] || rest.slice(0, 1);
      throw new SquidLogFormatError(
        `Unknown Squid logformat code "%${shown}" at position ${i + 1} of "${format}" (see squid.conf's logformat documentation for the codes).`,
      );
    }
    j += found.length;
    let arg = m[6];
    if (arg === undefined && format[j] === '{') {
      const close = format.indexOf('}', j);
      if (close === -1) throw new SquidLogFormatError(`Unclosed "{" after %${found.code} in "${format}".`);
      arg = format.slice(j + 1, close);
      j = close + 1;
    }
    if (found.code === 'byte') {
      const n = Number(arg);
      if (!Number.isInteger(n) || n < 1 || n > 255)
        throw new SquidLogFormatError(`%byte needs a value 1–255, e.g. %byte{10}, in "${format}".`);
      literal += String.fromCharCode(n);
      i = j;
      continue;
    }
    flush();
    tokens.push({
      code: found.code,
      ...(m[1] ? { encoding: m[1] } : {}),
      width: Boolean(m[4]) && !m[3],
      left: Boolean(m[2]),
      ...(arg !== undefined ? { arg } : {}),
    });
    i = j;
  }
  flush();
  return tokens;
}

/** The longest documented code at the start of `rest` (with its optional `http::` or other namespace). */
function matchCode(rest: string): { code: string; length: number } | undefined {
  const ns = /^([a-z_]+)::/.exec(rest);
  if (ns) {
    const table = ns[1] === 'http' ? { ...CODES } : NAMESPACED[ns[1]!];
    if (!table) return undefined;
    const hit = longest(table, rest.slice(ns[0].length));
    const code = ns[1] === 'http' ? hit : hit && `${ns[1] === 'tls' ? 'ssl' : ns[1]}::${hit}`;
    return hit && code ? { code, length: ns[0].length + hit.length } : undefined;
  }
  const hit = longest({ ...CODES, byte: 'text' }, rest);
  return hit ? { code: hit, length: hit.length } : undefined;
}

function longest(table: Record<string, unknown>, rest: string): string | undefined {
  let best: string | undefined;
  for (const code of Object.keys(table)) if (rest.startsWith(code) && (!best || code.length > best.length)) best = code;
  return best;
}

function kindOf(code: string): ValueKind {
  const i = code.indexOf('::');
  return i === -1 ? CODES[code]! : NAMESPACED[code.slice(0, i)]![code.slice(i + 2)]!;
}

function roleOf(code: string, arg: string | undefined): Role {
  switch (code) {
    case '>a':
    case '>A':
      return 'client';
    case 'ts':
      return 'seconds';
    case 'tu':
      return 'millis';
    case 'tl':
    case 'tg':
      return 'date';
    case 'tS':
      return 'startTime';
    case 'rm':
    case '>rm':
      return 'method';
    case 'ru':
    case '>ru':
      return 'url';
    case '>rd':
      return 'domain';
    case 'rp':
    case '>rp':
      return 'path';
    case 'ssl::>sni':
      return 'sni';
    case 'un':
    case 'ul':
    case 'ue':
    case 'ui':
      return 'user';
    case '>h':
    case '>ha':
      return arg?.toLowerCase() === 'user-agent' ? 'userAgent' : 'ignore';
    case 'Ss':
      return 'squidStatus';
    case '>Hs':
      return 'httpStatus';
    default:
      return 'ignore';
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const DEFAULT_DATE = '\\d{2}/[A-Za-z]{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}';

/** A built-in format name or a specification with `%` codes → a line parser; throws SquidLogFormatError. */
export function compileSquidLogFormat(spec: string): SquidLineParser {
  const format = (SQUID_BUILT_IN_FORMATS as Record<string, string>)[spec] ?? spec;
  if (!format.includes('%')) {
    throw new SquidLogFormatError(
      `Unknown Squid logformat "${spec}": use one of ${Object.keys(SQUID_BUILT_IN_FORMATS).join(', ')} or a format specification with % codes.`,
    );
  }
  const tokens = tokenize(format);
  const fields: Field[] = [];
  let re = '^\\s*';
  let quoted = false; // inside a literal "…" of the format: Squid escapes values there
  let bracket = false; // inside a literal […]
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t]!;
    if (tok.literal !== undefined) {
      for (const ch of tok.literal) {
        if (ch === '"') quoted = !quoted;
        else if (ch === '[' && !quoted) bracket = true;
        else if (ch === ']' && !quoted) bracket = false;
      }
      re += tok.literal
        .split(/(\s+)/)
        .map((part) => (/^\s+$/.test(part) ? '\\s+' : escapeRe(part)))
        .join('');
      continue;
    }
    const code = tok.code!;
    const kind = kindOf(code);
    const next = tokens[t + 1];
    const nextChar = next?.literal?.[0];
    const escaped = quoted || tok.encoding === '"';
    let value: string;
    if (kind === 'int') value = '-|-?\\d+';
    else if (kind === 'num') value = '-|\\d+(?:\\.\\d+)?';
    else if (kind === 'time' && tok.arg === undefined) value = `-|${DEFAULT_DATE}`;
    else if (quoted && nextChar === '"') value = '(?:[^"\\\\]|\\\\.)*';
    else if (bracket && nextChar === ']') value = '[^\\]]*';
    else if (tok.encoding === '/') value = '"(?:[^"\\\\]|\\\\.)*"|[^\\s"]+';
    else if (!next && (kind === 'time' || code === '>h' || code === '<h')) value = '.+';
    else if (nextChar && !/\s/.test(nextChar)) value = `[^\\s${escapeRe(nextChar)}]+`;
    else if (next?.code) value = '\\S+?';
    else value = '\\S+';
    // Padding spaces of a width: absorbed by a neighbouring whitespace literal when there is one (two
    // adjacent space patterns would make a long run of spaces quadratic to match).
    const spaceBefore = re.endsWith('\\s+') || re.endsWith('^\\s*');
    const spaceAfter = nextChar !== undefined && /\s/.test(nextChar);
    const pad = [
      tok.width && !tok.left && !spaceBefore ? '\\s*' : '',
      tok.width && tok.left && !spaceAfter ? '\\s*' : '',
    ];
    re += `${pad[0]}(${value})${pad[1]}`;
    fields.push({
      code,
      kind,
      role: roleOf(code, tok.arg),
      escaped,
      ...(tok.arg !== undefined ? { arg: tok.arg } : {}),
    });
  }
  // With log_mime_hdrs on, the squid, common and combined formats append the request and reply headers,
  // each `[…]` with Squid's `[` encoding (squid.conf, logformat).
  const mimeHeaders = spec === 'squid' || spec === 'common' || spec === 'combined';
  if (mimeHeaders) re += '(?:\\s+\\[([^\\]]*)\\]\\s+\\[[^\\]]*\\])?';
  re += '\\s*$';
  const matcher = new RegExp(re);
  const timed = fields.some((f) => f.role === 'seconds' || f.role === 'date' || f.role === 'startTime');
  if (!fields.some((f) => f.role === 'client'))
    throw new SquidLogFormatError(`The Squid logformat "${spec}" names no client address (%>a or %>A).`);
  if (!fields.some((f) => f.role === 'url' || f.role === 'domain' || f.role === 'sni' || f.role === 'userAgent'))
    throw new SquidLogFormatError(
      `The Squid logformat "${spec}" names no destination (%ru, %>ru, %>rd, %ssl::>sni) or user agent (%{User-Agent}>h).`,
    );

  return {
    format,
    untimed: !timed,
    parse(line: string): SquidRecord | undefined {
      const m = matcher.exec(line);
      if (!m) return undefined;
      const rec: SquidRecord = {};
      for (let k = 0; k < fields.length; k++) {
        const f = fields[k]!;
        if (f.role === 'ignore') continue;
        let v = m[k + 1]!;
        if (f.escaped) v = unescapeQuoted(v);
        else if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = unescapeQuoted(v.slice(1, -1));
        if (v === '-' || v === '') continue;
        if (f.role === 'date') rec.date = { value: v, defaultLayout: f.arg === undefined };
        else if (rec[f.role] === undefined) rec[f.role] = v;
      }
      const requestHeaders = mimeHeaders ? m[fields.length + 1] : undefined;
      if (requestHeaders && rec.userAgent === undefined) {
        const ua = headerValue(requestHeaders, 'user-agent');
        if (ua) rec.userAgent = ua;
      }
      return rec;
    },
  };
}

/** A header's value from a `[`-encoded header block (`Name: value%0D%0A…`); undefined when absent or undecodable. */
function headerValue(block: string, name: string): string | undefined {
  let text: string;
  try {
    text = decodeURIComponent(block);
  } catch {
    return undefined;
  }
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name)
      return line.slice(colon + 1).trim() || undefined;
  }
  return undefined;
}

function unescapeQuoted(v: string): string {
  return v.includes('\\')
    ? v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c))
    : v;
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** Epoch ms of a record's time, or undefined when it has none that parses. */
export function squidRecordTimeMs(rec: SquidRecord): number | undefined {
  if (rec.seconds !== undefined) {
    if (!/^\d{9,11}$/.test(rec.seconds)) return undefined;
    const ms = rec.millis !== undefined && /^\d{1,3}$/.test(rec.millis) ? Number(rec.millis) : 0;
    return Number(rec.seconds) * 1000 + ms;
  }
  if (rec.startTime !== undefined) {
    return /^\d{9,11}(\.\d+)?$/.test(rec.startTime) ? Math.round(Number(rec.startTime) * 1000) : undefined;
  }
  if (rec.date) {
    // Squid's default strftime layout: %d/%b/%Y:%H:%M:%S %z
    const m = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(rec.date.value);
    if (m) {
      const month = MONTHS[m[2]!];
      if (month === undefined) return undefined;
      const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
      const offset = (Number(m[8]) * 60 + Number(m[9])) * 60_000 * (m[7] === '-' ? -1 : 1);
      return utc - offset;
    }
    if (rec.date.defaultLayout) return undefined;
    const ms = Date.parse(rec.date.value); // a custom strftime layout: whatever Date understands
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}
