/**
 * Loaded once per worker, before any workflow, and shared by every workflow on it (the bundle's
 * preloadModules; see worker/bundle.ts). Workflows verify ECDSA P-256 signatures, and the curve's
 * base-point table is hundreds of KB: built once here, not once in every cached or replayed workflow.
 * Nothing here holds per-workflow state.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';

// Naming the work keeps the bundler from dropping these imports (both packages say they have no side effects).
p256.Point.BASE.precompute(6, false);
sha256(new Uint8Array(0));
