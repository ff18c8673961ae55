/** Locale-free, deterministic formatting for the sentences the scorer writes. */

/** A value as a map key or in a sentence: printable, single-line, at most 64 characters, never a prototype key. */
export function cleanValue(v: unknown): string {
  let s = typeof v === 'string' ? v : v == null ? '' : String(v);
  s = s
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (s.length > 64) s = `${s.slice(0, 61)}...`;
  if (s === '') return '(none)';
  if (s === '__proto__') return '(__proto__)';
  return s;
}

/** 1234567 → "1,234,567"; 12.4 → "12"; 2.5 → "2.5"; 0.25 → "0.25". */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100) {
    const s = String(Math.round(a)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return x < 0 ? `-${s}` : s;
  }
  const d = a >= 10 ? 0 : a >= 1 ? 1 : 2;
  return String(Number(x.toFixed(d)));
}

/** A ratio: "180", "2.5". */
export function formatRatio(r: number): string {
  return r >= 10 ? formatNumber(r) : String(Number(r.toFixed(1)));
}

/** A value in quotes, for a sentence. */
export function quote(v: string): string {
  return `"${v}"`;
}

/** 1 → "once", 3 → "3 times". */
export function times(n: number): string {
  return n === 1 ? 'once' : `${formatNumber(n)} times`;
}
