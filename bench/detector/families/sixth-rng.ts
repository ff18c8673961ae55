/**
 * Randomness and clocks of the sixth trace family (bench/detector/families/sixth.ts). Own code: xoshiro128**
 * streams, each keyed by (seed, names…) through a multiply-xorshift string hash and splitmix32, so every agent,
 * day and incident plan draws from a stream of its own; and the desks' local clocks (UTC offsets with their 2025
 * daylight-saving switches: the US on 9 March, Europe on 30 March, Sydney back to standard time on 6 April).
 */

export const SEC = 1_000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** Day 0: Monday 2025-03-03, 00:00 UTC. */
export const START = Date.UTC(2025, 2, 3);

function hashText(text: string): number {
  let h = 0x2545f491 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** One seeded stream (xoshiro128**). */
export class Rng {
  private readonly s: [number, number, number, number];

  constructor(seed: number, ...names: (string | number)[]) {
    let x = hashText(`sixth:${seed}:${names.join(':')}`);
    const splitmix = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.s = [splitmix(), splitmix(), splitmix(), splitmix()];
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const s = this.s;
    const out = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return out / 4_294_967_296;
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

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of options) {
      r -= w;
      if (r < 0) return value;
    }
    return options[options.length - 1]![0];
  }

  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Standard normal (Box–Muller). */
  gauss(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with this median and sigma of the logarithm. */
  logNormal(median: number, sigma: number): number {
    return sigma === 0 ? median : median * Math.exp(sigma * this.gauss());
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
}

export type Zone =
  | 'America/Chicago'
  | 'America/New_York'
  | 'America/Denver'
  | 'America/Phoenix'
  | 'Europe/Amsterdam'
  | 'Europe/London'
  | 'Australia/Sydney';

/** Offsets from UTC in minutes, each from a UTC instant on. */
const OFFSETS: Record<Zone, [number, number][]> = {
  'America/Chicago': [
    [-Infinity, -360],
    [Date.UTC(2025, 2, 9, 8), -300],
  ],
  'America/New_York': [
    [-Infinity, -300],
    [Date.UTC(2025, 2, 9, 7), -240],
  ],
  'America/Denver': [
    [-Infinity, -420],
    [Date.UTC(2025, 2, 9, 9), -360],
  ],
  'America/Phoenix': [[-Infinity, -420]],
  'Europe/Amsterdam': [
    [-Infinity, 60],
    [Date.UTC(2025, 2, 30, 1), 120],
  ],
  'Europe/London': [
    [-Infinity, 0],
    [Date.UTC(2025, 2, 30, 1), 60],
  ],
  'Australia/Sydney': [
    [-Infinity, 660],
    [Date.UTC(2025, 3, 5, 16), 600],
  ],
};

export function offsetAt(zone: Zone, utcMs: number): number {
  let offset = 0;
  for (const [from, minutes] of OFFSETS[zone]) if (utcMs >= from) offset = minutes;
  return offset;
}

/** The UTC instant of a local wall-clock time: `minutes` after local midnight of local day `day`. */
export function localToUtc(zone: Zone, day: number, minutes: number): number {
  const wall = START + day * DAY + minutes * MIN;
  const guess = wall - offsetAt(zone, wall) * MIN;
  return wall - offsetAt(zone, guess) * MIN;
}

/** The local hour (fractional) of a UTC instant. */
export function localHour(zone: Zone, utcMs: number): number {
  const wall = utcMs + offsetAt(zone, utcMs) * MIN;
  return ((((wall - START) % DAY) + DAY) % DAY) / HOUR;
}

export const utcDay = (ms: number) => Math.floor((ms - START) / DAY);
/** 0 Monday … 6 Sunday (day 0 is a Monday). */
export const weekday = (day: number) => ((day % 7) + 7) % 7;
export const iso = (ms: number) => new Date(ms).toISOString();
