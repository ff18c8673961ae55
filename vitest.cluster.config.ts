/**
 * `npm run test:cluster`: Warden on a real Temporal cluster on this machine (cluster/warden-cluster.ts:
 * PostgreSQL, Temporal's services as separate processes, two workers and two API processes behind HAProxy,
 * Prometheus), brought up by the test file itself. The first run builds the Temporal server from its Go
 * module (a few minutes); later runs reuse it from .warden/tools.
 */
import { defineConfig } from 'vitest/config';
import main from './vitest.config.js';

export default defineConfig({
  ...main,
  test: {
    include: ['test/cluster/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    fileParallelism: false,
    // Processes are killed and Temporal waits out their task timeouts: generous, never asserted on.
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
