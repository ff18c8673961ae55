/**
 * Randomness for the fourteenth trace family: PCG32 (XSH-RR output on a 64-bit LCG state, O'Neill 2014), seeded
 * per purpose from FNV-1a-64 hashes of the seed and a label, so every seat, day and incident kind draws from its own
 * stream and changing one never shifts another.
 */

const MASK64 = (1n << 64n) - 1n;
const PCG_MULT = 6364136223846793005n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

function fnv1a64(text: string, offset = FNV_OFFSET): bigint {
  let h = offset;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * FNV_PRIME) & MASK64;
  }
  return h;
}

export class Pcg32 {
  private state = 0n;
  private readonly inc: bigint;

  constructor(initState: bigint, sequence: bigint) {
    this.inc = ((sequence << 1n) | 1n) & MASK64;
    this.next();
    this.state = (this.state + initState) & MASK64;
    this.next();
  }

  /** The next 32 random bits, as an unsigned integer. */
  next(): number {
    const old = this.state;
    this.state = (old * PCG_MULT + this.inc) & MASK64;
    const xorshifted = Number((((old >> 18n) ^ old) >> 27n) & 0xffffffffn);
    const rot = Number(old >> 59n);
    return ((xorshifted >>> rot) | (xorshifted << (-rot & 31))) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4_294_967_296;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[Math.floor(this.float() * xs.length)]!;
  }

  /** An index drawn in proportion to the weights (all ≥ 0, some > 0). */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal (Box–Muller). */
  gauss(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-scale spread. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.gauss());
  }

  /** Pareto (type I) from `min` with tail index `alpha`, capped. */
  pareto(min: number, alpha: number, cap: number): number {
    return Math.min(cap, min / Math.pow(1 - this.float(), 1 / alpha));
  }

  /** Poisson count (Knuth for small means, a rounded normal for large ones). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gauss()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

/** A stream for one purpose: the same seed and labels always give the same numbers. */
export function pcgFor(seed: number, ...labels: Array<string | number>): Pcg32 {
  const key = `fourteenth|${seed}|${labels.join('|')}`;
  return new Pcg32(fnv1a64(key), fnv1a64(key, 0x84222325cbf29ce4n) >> 1n);
}
