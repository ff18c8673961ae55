/**
 * Randomness and clocks of the eighth trace family (bench/detector/families/eighth.ts): a xoshiro128** generator
 * whose state comes from an FNV-1a hash of the seed and a stream name run through a splitmix32 mixer, so each seat
 * and each planting step draws from its own stream and the output does not depend on generation order; and the
 * four zones the desks sit in, with their 2025 daylight-saving switches at day granularity.
 */

const DAY_MS = 86_400_000;
export const START_MS = Date.parse('2025-03-03T00:00:00Z');

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [next, (z ^ (z >>> 16)) >>> 0];
}

export class Rng {
  private s: [number, number, number, number];
  private spare: number | null = null;

  constructor(
    private readonly seed: number,
    private readonly stream: string,
  ) {
    let state = fnv1a(`eighth/${seed}/${stream}`);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(state);
      state = next;
      words.push(out || 0x6d2b79f5);
    }
    this.s = [words[0]!, words[1]!, words[2]!, words[3]!];
  }

  /** A generator for a sub-stream, independent of how much this one has drawn. */
  fork(stream: string): Rng {
    return new Rng(this.seed, `${this.stream}/${stream}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    const s = this.s;
    const result = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ((s[3] << 11) | (s[3] >>> 21)) >>> 0;
    s[0] >>>= 0;
    s[1] >>>= 0;
    s[2] >>>= 0;
    return result / 4_294_967_296;
  }

  range(lo: number, hi: number): number {
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
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  weighted<T>(xs: ReadonlyArray<readonly [number, T]>): T {
    const total = xs.reduce((sum, [w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [w, x] of xs) {
      r -= w;
      if (r < 0) return x;
    }
    return xs[xs.length - 1]![1];
  }

  gauss(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.gauss());
  }

  poisson(mean: number): number {
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

  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

export type Zone = 'Australia/Melbourne' | 'America/Chicago' | 'America/New_York' | 'Europe/London';

/** UTC offset in hours of a zone on a day (day 0 = Monday 2025-03-03). */
export function utcOffset(zone: Zone, day: number): number {
  switch (zone) {
    case 'Australia/Melbourne':
      return day < 34 ? 11 : 10; // daylight saving ends Sunday 6 April
    case 'America/Chicago':
      return day < 6 ? -6 : -5; // starts Sunday 9 March
    case 'America/New_York':
      return day < 6 ? -5 : -4;
    case 'Europe/London':
      return day < 27 ? 0 : 1; // starts Sunday 30 March
  }
}

/** Epoch ms of a local time: `minutes` after local midnight of `day` (may run past 24 h). */
export function localToMs(zone: Zone, day: number, minutes: number): number {
  return START_MS + day * DAY_MS + minutes * 60_000 - utcOffset(zone, day) * 3_600_000;
}

export function utcDay(ms: number): number {
  return Math.floor((ms - START_MS) / DAY_MS);
}
