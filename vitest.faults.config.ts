/**
 * `npm run test:faults`: the fault-injection suite (test/faults). Real worker, API and Temporal server
 * processes are stopped at named failpoints (temporal/failpoints.ts) and SIGKILLed there; after recovery
 * every decision, approval and timer must be intact and applied once. The main suite's settings and global
 * setup (one Temporal dev server for the run, workflows bundled once), its own test files.
 */
import { defineConfig } from 'vitest/config';
import main from './vitest.config.js';

export default defineConfig({
  ...main,
  test: {
    ...main.test,
    include: ['test/faults/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // Each test kills a process and waits out the dead worker's task timeouts: generous, never asserted on.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
