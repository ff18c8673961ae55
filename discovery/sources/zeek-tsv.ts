/**
 * Zeek's default ASCII log format (the "TSV" writer, `LogAscii`): a header block of `#` lines, then one
 * record per line with the fields in `#fields` order.
 *
 *   #separator \x09                  (space-separated; the value is escaped: any `\xHH` byte)
 *   #set_separator	,                 (the rest use the separator itself)
 *   #empty_field	(empty)
 *   #unset_field	-
 *   #path	ssl
 *   #open	2026-12-01-00-00-00
 *   #fields	ts	uid	id.orig_h	…
 *   #types	time	string	addr	…
 *   1764547200.123456	C1…	10.0.0.5	…
 *   #close	2026-12-01-01-00-00
 *
 * A file may hold several blocks (logs concatenated across rotations, or a writer restarted): a new
 * `#separator` line starts a new header. Values escape the separator and non-printable bytes as `\xHH`.
 */

export interface ZeekHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path?: string;
  fields?: string[];
  /** Field name → column, built from `fields`. */
  index?: Map<string, number>;
  /** Where each column of the current record starts (reused record to record: no per-field strings). */
  starts?: Int32Array;
}

export function defaultHeader(): ZeekHeader {
  return { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-' };
}

/** The header as a compact JSON-able value for the resume cursor (a resumed scan is past the `#` lines). */
export function headerToCursor(h: ZeekHeader): unknown[] {
  return [h.separator, h.setSeparator, h.emptyField, h.unsetField, h.path ?? null, h.fields ?? null];
}

export function headerFromCursor(v: unknown): ZeekHeader | undefined {
  if (!Array.isArray(v) || v.length !== 6) return undefined;
  const [sep, set, empty, unset, p, fields] = v as unknown[];
  if (typeof sep !== 'string' || !sep || typeof set !== 'string' || typeof empty !== 'string') return undefined;
  if (typeof unset !== 'string' || (p !== null && typeof p !== 'string')) return undefined;
  if (fields !== null && !(Array.isArray(fields) && fields.every((f) => typeof f === 'string'))) return undefined;
  const h: ZeekHeader = { separator: sep, setSeparator: set, emptyField: empty, unsetField: unset };
  if (typeof p === 'string') h.path = p;
  if (fields) setFields(h, fields as string[]);
  return h;
}

function setFields(h: ZeekHeader, fields: string[]): void {
  h.fields = fields;
  h.index = new Map(fields.map((f, i) => [f, i]));
  h.starts = new Int32Array(fields.length + 1);
}

/**
 * Applies one `#` line to the header. 'header': understood; 'bad': a known directive with an unusable value
 * (the block's records cannot be read reliably: `fields` is cleared); 'other': a comment or unknown directive.
 */
export function applyHeaderLine(h: ZeekHeader, text: string): 'header' | 'bad' | 'other' {
  if (text.startsWith('#separator')) {
    const value = decodeEscapes(text.slice('#separator'.length).trim());
    Object.assign(h, defaultHeader(), { path: undefined, fields: undefined, index: undefined, starts: undefined });
    if (!value) return 'bad';
    h.separator = value;
    return 'header';
  }
  const cut = text.indexOf(h.separator);
  const name = cut === -1 ? text.slice(1) : text.slice(1, cut);
  const value = cut === -1 ? '' : text.slice(cut + h.separator.length);
  switch (name) {
    case 'set_separator':
    case 'empty_field':
    case 'unset_field': {
      const decoded = decodeEscapes(value);
      if (!decoded) return 'bad';
      if (name === 'set_separator') h.setSeparator = decoded;
      else if (name === 'empty_field') h.emptyField = decoded;
      else h.unsetField = decoded;
      return 'header';
    }
    case 'path':
      h.path = value;
      return 'header';
    case 'fields': {
      const fields = value.split(h.separator);
      if (!value || new Set(fields).size !== fields.length) {
        h.fields = undefined;
        h.index = undefined;
        h.starts = undefined;
        return 'bad';
      }
      setFields(h, fields);
      return 'header';
    }
    case 'types':
    case 'open':
    case 'close':
      return 'header';
    default:
      return 'other';
  }
}

/**
 * Locates a record line's columns (in `h.starts`, until the next record); false when it does not have exactly
 * the `#fields` columns. Fields are cut out only when asked for: most records never become a finding.
 */
export function splitRecord(h: ZeekHeader, text: string): boolean {
  const starts = h.starts;
  if (!starts) return false;
  const sep = h.separator;
  const last = starts.length - 2;
  let pos = 0;
  for (let i = 0; i < last; i++) {
    starts[i] = pos;
    const next = text.indexOf(sep, pos);
    if (next === -1) return false;
    pos = next + sep.length;
  }
  starts[last] = pos;
  if (text.indexOf(sep, pos) !== -1) return false;
  starts[last + 1] = text.length + sep.length;
  return true;
}

function raw(h: ZeekHeader, text: string, name: string): string | undefined {
  const i = h.index?.get(name);
  if (i === undefined) return undefined;
  return text.slice(h.starts![i]!, h.starts![i + 1]! - h.separator.length);
}

/** One field of the record last located by `splitRecord`: undefined when unset or absent, '' when empty. */
export function fieldValue(h: ZeekHeader, text: string, name: string): string | undefined {
  const v = raw(h, text, name);
  if (v === undefined || v === h.unsetField) return undefined;
  if (v === h.emptyField) return '';
  return decodeEscapes(v);
}

/** A set or vector field's elements (each unescaped); [] when unset or empty. */
export function fieldList(h: ZeekHeader, text: string, name: string): string[] {
  const v = raw(h, text, name);
  if (v === undefined || v === h.unsetField || v === h.emptyField || v === '') return [];
  return v.split(h.setSeparator).map(decodeEscapes);
}

const utf8 = new TextDecoder('utf-8');

/** `\xHH` escapes (bytes; a run of them may spell a UTF-8 character) and `\\`; other text as is. */
export function decodeEscapes(text: string): string {
  if (!text.includes('\\')) return text;
  const bytes: number[] = [];
  const literal = new TextEncoder();
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (c === '\\' && text[i + 1] === '\\') {
      bytes.push(0x5c);
      i += 2;
    } else {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      for (const b of literal.encode(ch)) bytes.push(b);
      i += ch.length;
    }
  }
  return utf8.decode(new Uint8Array(bytes));
}
