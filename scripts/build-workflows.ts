/** `npm run build:workflows`: writes the prebuilt workflow bundle that `WARDEN_WORKFLOW_BUNDLE` points workers at. */
import path from 'node:path';
import { loadConfig } from '../config/config.js';
import { buildWorkflowBundle } from '../worker/bundle.js';

const out = process.argv[2] ?? path.join(loadConfig().dataDir, 'workflow-bundle.js');
console.log(`workflow bundle written to ${await buildWorkflowBundle(out)}`);
