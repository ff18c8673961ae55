/**
 * Seeded randomness and the calendar of the fifth trace family (bench/detector/families/fifth.ts). Own code: an
 * sfc32 generator keyed by (seed, label), so every agent and every incident plan draws from its own stream and
 * adding one incident never shifts another agent's normal traffic.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Day 0: Monday 2025-03-03, UTC midnight. */
export const START_MS = Date.UTC(2025, 2, 3);

/** 128 bits of state from a text: four FNV-1a passes with different offsets, each avalanched. */
function stateOf(text: string): [number, number, number, number] {
  const words: number[] = [];
  for (let k = 0; k < 4; k++) {
    let h = (0x811c9dc5 ^ Math.imul(k + 1, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    words.push((h ^ (h >>> 16)) >>> 0);
  }
  return [words[0]!, words[1]!, words[2]!, words[3]!];
}

export class Dice {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(
    readonly seed: number,
    readonly label: string,
  ) {
    [this.a, this.b, this.c, this.d] = stateOf(`fifth:${seed}:${label}`);
    for (let i = 0; i < 16; i++) this.next();
  }

  /** An independent stream for a sub-task, whatever this stream has consumed so far. */
  fork(label: string): Dice {
    return new Dice(this.seed, `${this.label}/${label}`);
  }

  /** Uniform in [0, 1) (sfc32). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  }

  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  weighted<T>(options: readonly (readonly [number, T])[]): T {
    const total = options.reduce((s, [w]) => s + w, 0);
    let x = this.next() * total;
    for (const [w, v] of options) {
      x -= w;
      if (x < 0) return v;
    }
    return options[options.length - 1]![1];
  }

  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Standard normal (polar Box–Muller, the second value kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    for (;;) {
      const u = 2 * this.next() - 1;
      const v = 2 * this.next() - 1;
      const r = u * u + v * v;
      if (r > 0 && r < 1) {
        const f = Math.sqrt((-2 * Math.log(r)) / r);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /** Log-normal around a median; `spread` is the sigma of the logarithm. */
  around(median: number, spread: number): number {
    return median * Math.exp(spread * this.normal());
  }
}

/** Where an agent works; the offset from UTC follows 2025's daylight-saving switches. */
export type Zone = 'us_central' | 'us_eastern' | 'us_pacific' | 'uk' | 'cet' | 'sgt' | 'ist' | 'aest' | 'utc';

const US_DST_DAY = 6; // Sunday 2025-03-09
const EU_DST_DAY = 27; // Sunday 2025-03-30
const AU_DST_END_DAY = 34; // Sunday 2025-04-06

/** Local time minus UTC, in hours, on day `day` (day granularity: the switches happen at night). */
export function utcOffset(zone: Zone, day: number): number {
  const us = day >= US_DST_DAY ? 1 : 0;
  const eu = day >= EU_DST_DAY ? 1 : 0;
  switch (zone) {
    case 'us_central':
      return -6 + us;
    case 'us_eastern':
      return -5 + us;
    case 'us_pacific':
      return -8 + us;
    case 'uk':
      return eu;
    case 'cet':
      return 1 + eu;
    case 'sgt':
      return 8;
    case 'ist':
      return 5.5;
    case 'aest':
      return day >= AU_DST_END_DAY ? 10 : 11;
    case 'utc':
      return 0;
  }
}

/** UTC epoch ms of a local clock time (hours, fractional) on day `day`. */
export function localToUtc(zone: Zone, day: number, localHour: number): number {
  return START_MS + day * DAY_MS + (localHour - utcOffset(zone, day)) * HOUR_MS;
}

export function iso(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}
