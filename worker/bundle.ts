/**
 * The workflow bundle: built once (`npm run build:workflows`, or a test run's global setup) so workers
 * start in a second instead of re-bundling; without a prebuilt bundle the worker bundles on start.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export async function buildWorkflowBundle(outFile: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  await fs.mkdir(path.dirname(outFile), { recursive: true });
  await fs.writeFile(outFile, code);
  return outFile;
}

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
