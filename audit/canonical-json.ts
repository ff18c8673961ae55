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

function write(value: unknown, seen: Set<object>): string {
  if (value === null) return 'null';
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON(): unknown }).toJSON(), seen);
  }
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not representable in JSON`);
      return JSON.stringify(value); // -0 → "0", shortest round-trip form, exponent as ES writes it
    case 'object': {
      if (seen.has(value)) throw new TypeError('canonicalJson: circular structure');
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value.map((v) => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : write(v, seen))).join(',')}]`;
      } else {
        const entries = Object.keys(value)
          .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
          .sort(compareUtf16)
          .map((k) => `${JSON.stringify(k)}:${write((value as Record<string, unknown>)[k], seen)}`);
        out = `{${entries.join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
  }
}

/** Orders by UTF-16 code units, as RFC 8785 §3.2.3 requires (not by locale, not by code point). */
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
