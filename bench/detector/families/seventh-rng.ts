/**
 * Randomness and clocks of the seventh trace family (bench/detector/families/seventh.ts). Own code: a small-fast-
 * counter generator (sfc32) seeded from an FNV-style string hash with a murmur finaliser, one stream per key
 * (seed, agent, day … ), so adding or removing one agent or day leaves every other stream as it was; and the local
 * clocks of the desks (fixed offsets and the 2025 daylight-saving switches: the US on 9 March, Europe on 30 March).
 */

export const SEC = 1_000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** Day 0: Monday 2025-03-03, 00:00 UTC. */
export const START = Date.UTC(2025, 2, 3);

function hash32(text: string, salt: number): number {
  let h = (0x811c9dc5 ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One seeded stream of numbers in [0, 1). */
export class Stream {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(...key: (string | number)[]) {
    const text = key.join('/');
    this.a = hash32(text, 1);
    this.b = hash32(text, 2);
    this.c = hash32(text, 3);
    for (let i = 0; i < 15; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  }

  /** Uniform in [lo, hi). */
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

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((s, [w]) => s + w, 0);
    let r = this.next() * total;
    for (const [w, item] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![1];
  }

  gauss(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal around `median` with log-spread `spread`. */
  around(median: number, spread: number): number {
    return median * Math.exp(spread * this.gauss());
  }

  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gauss()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

export type Zone = 'chicago' | 'new_york' | 'phoenix' | 'monterrey' | 'london' | 'berlin' | 'singapore';

/** The zone's UTC offset in hours on a day (daylight saving from 9 March in the US, 30 March in Europe). */
export function utcOffset(zone: Zone, day: number): number {
  const us = day >= 6 ? 1 : 0;
  const eu = day >= 27 ? 1 : 0;
  switch (zone) {
    case 'chicago':
      return -6 + us;
    case 'new_york':
      return -5 + us;
    case 'phoenix':
      return -7;
    case 'monterrey':
      return -6;
    case 'london':
      return eu;
    case 'berlin':
      return 1 + eu;
    case 'singapore':
      return 8;
  }
}

/** UTC milliseconds of a local time (hours, fractional) on a local day. */
export function localToUtc(zone: Zone, day: number, localHour: number): number {
  return START + day * DAY + (localHour - utcOffset(zone, day)) * HOUR;
}
