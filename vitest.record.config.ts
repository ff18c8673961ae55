/**
 * `npm run record:histories`: records the workflow histories test/replay.test.ts replays
 * (test/histories/record.ts). The main suite's settings and global setup; only the recorder.
 */
import { defineConfig } from 'vitest/config';
import main from './vitest.config.js';

export default defineConfig({
  ...main,
  test: {
    ...main.test,
    include: ['test/histories/record.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 300_000,
  },
});
