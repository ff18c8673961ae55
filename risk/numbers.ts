/** Small numeric helpers the scorer and learning share. */

/** `x` kept within [lo, hi]. */
export const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Rounded to 4 decimals: state stays short and deterministic in JSON. */
export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
