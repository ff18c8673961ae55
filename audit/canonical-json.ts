/**
 * Deterministic JSON in the manner of RFC 8785 (JSON Canonicalization Scheme): object keys sorted by
 * UTF-16 code units, no whitespace, strings and numbers as ECMAScript's JSON.stringify writes them (which
 * is what JCS specifies for both). Like JSON.stringify, `undefined` properties are left out and `toJSON`
 * is honoured, so the canonical form of a value equals that of its JSON round trip. Non-finite numbers,
 * bigints, functions and symbols are refused rather than silently changed.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

// Object keys repeat from record to record (the envelope's, the data's): quote each once.
const quotedKeys = new Map<string, string>();
function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 10_000) quotedKeys.set(k, q);
  }
  return q;
}

function write(value: unknown, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not representable in JSON`);
      return JSON.stringify(value); // -0 → "0", shortest round-trip form, exponent as ES writes it
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
        return write((value as { toJSON(): unknown }).toJSON(), seen);
      if (seen.has(value)) throw new TypeError('canonicalJson: circular structure');
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = '[';
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i];
          if (i > 0) out += ',';
          out += v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : write(v, seen);
        }
        out += ']';
      } else {
        // Array.prototype.sort's default order compares UTF-16 code units, as RFC 8785 §3.2.3 requires
        // (not locale, not code points).
        const keys = Object.keys(value).sort();
        out = '{';
        for (const k of keys) {
          const v = (value as Record<string, unknown>)[k];
          if (v === undefined) continue;
          if (out.length > 1) out += ',';
          out += `${quoteKey(k)}:${write(v, seen)}`;
        }
        out += '}';
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
  }
}
