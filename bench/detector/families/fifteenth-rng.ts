/**
 * The fifteenth family's randomness: PCG32 (O'Neill's XSH-RR output on a 64-bit LCG state), kept in two 32-bit halves
 * so that it needs no BigInt, plus the few distributions the family draws from. Deterministic for a seed and stream.
 */

const MUL_HI = 0x5851f42d;
const MUL_LO = 0x4c957f2d;

/** High 32 bits of the 64-bit product of two unsigned 32-bit numbers. */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536)) >>> 0;
}

export class Pcg32 {
  private hi = 0;
  private lo = 0;
  private readonly incHi: number;
  private readonly incLo: number;

  /** `seed` picks the starting state, `stream` one of 2^63 independent sequences. */
  constructor(seed: number, stream = 0x14057b7e) {
    const s = Math.floor(Math.abs(seed));
    const st = Math.floor(Math.abs(stream));
    // inc = (stream << 1) | 1, on 64 bits.
    this.incHi = ((Math.floor(st / 2 ** 31) & 0xffffffff) ^ 0x1f3a) >>> 0;
    this.incLo = (((st & 0x7fffffff) << 1) | 1) >>> 0;
    this.step();
    this.add(Math.floor(s / 2 ** 32) >>> 0, s >>> 0);
    this.step();
  }

  private add(h: number, l: number): void {
    const lo = this.lo + l;
    this.lo = lo >>> 0;
    this.hi = (this.hi + h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
  }

  private step(): void {
    const hi = (mulHi32(this.lo, MUL_LO) + Math.imul(this.hi, MUL_LO) + Math.imul(this.lo, MUL_HI)) >>> 0;
    this.lo = Math.imul(this.lo, MUL_LO) >>> 0;
    this.hi = hi;
    this.add(this.incHi, this.incLo);
  }

  /** The next unsigned 32-bit output. */
  u32(): number {
    const h = this.hi;
    const l = this.lo;
    this.step();
    const xh = h ^ (h >>> 18);
    const xl = l ^ ((l >>> 18) | (h << 14));
    const x = ((xl >>> 27) | (xh << 5)) >>> 0;
    const rot = h >>> 27;
    return ((x >>> rot) | (x << (-rot & 31))) >>> 0;
  }

  /** Uniform in [0, 1), 53 bits. */
  next(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992;
  }

  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Integer in [a, b], both included. */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** An item drawn with probability proportional to its weight. */
  weighted<T>(xs: readonly T[], weight: (x: T) => number): T {
    const ws = xs.map((x) => Math.max(0, weight(x)));
    let u = this.next() * ws.reduce((a, b) => a + b, 0);
    for (let i = 0; i < xs.length; i++) {
      u -= ws[i]!;
      if (u < 0) return xs[i]!;
    }
    return xs[xs.length - 1]!;
  }

  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Standard normal (Marsaglia's polar method). */
  gauss(): number {
    for (;;) {
      const u = 2 * this.next() - 1;
      const v = 2 * this.next() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }

  /** Log-normal with the given median and log-space spread. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.gauss());
  }

  /** Pareto (heavy tail) from `min`, shape `alpha`, capped. */
  pareto(min: number, alpha: number, cap = Infinity): number {
    return Math.min(cap, min / Math.pow(1 - this.next(), 1 / alpha));
  }

  /** Poisson count (Knuth for small means, a rounded normal for large ones). */
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

  /** An independent generator for a named purpose, derived from this one's seed and the name. */
  fork(name: string): Pcg32 {
    let h = 2166136261;
    for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    return new Pcg32(this.u32() * 4096 + (h & 0xfff), h);
  }
}
