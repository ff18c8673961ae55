import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS (main) and ESM (module); Node — and so every library — loads the CJS one. Make
    // Vite resolve our own imports to that same copy, or two graphql realms meet in one process.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The fault-injection suite and the cluster's run on their own: `npm run test:faults` and `test:cluster`.
    exclude: ['**/node_modules/**', 'test/faults/**', 'test/cluster/**'],
    // One Temporal dev server per run (started here), workflows bundled once, test files in forked processes.
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
