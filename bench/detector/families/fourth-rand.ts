/**
 * The fourth family's randomness (see fourth.ts): Bob Jenkins' small fast generator (JSF32), one stream per
 * (seed, agent, purpose) so that changing how one purpose draws never shifts another's numbers.
 */

/** FNV-1a over the characters of a key: the starting state of one stream. */
function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export class Stream {
  private a = 0xf1ea5eed;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(...key: (string | number)[]) {
    const s = fnv1a(key.join('\u241f'));
    this.b = this.c = this.d = s;
    for (let i = 0; i < 24; i++) this.u32();
  }

  u32(): number {
    const e = (this.a - rot(this.b, 27)) >>> 0;
    this.a = (this.b ^ rot(this.c, 17)) >>> 0;
    this.b = (this.c + this.d) >>> 0;
    this.c = (this.d + e) >>> 0;
    this.d = (e + this.a) >>> 0;
    return this.d;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** An integer in [lo, hi], both included. */
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

  /** An index drawn in proportion to the weights (all ≥ 0, some > 0). */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  gauss(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-scale sigma. */
  logNormal(median: number, sigma: number): number {
    return sigma === 0 ? median : median * Math.exp(sigma * this.gauss());
  }

  /** Log-uniform in [lo, hi]. */
  logBetween(lo: number, hi: number): number {
    return lo * Math.exp(Math.log(hi / lo) * this.next());
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
