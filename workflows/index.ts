/** The workflow bundle's entry point: every workflow type the worker runs. */
export { agentLifecycleWorkflow } from './agent/workflow.js';
export { personWorkflow } from './person.js';
export { signingKeysWorkflow } from './signing-keys.js';
export { toolWorkflow } from './tool/workflow.js';
export { sensitiveActionWorkflow } from './action/workflow.js';
export { auditTrailWorkflow } from './audit-trail.js';
export { discoverySweepWorkflow } from './discovery-sweep.js';
export { revocationBroadcastWorkflow } from './revocation-broadcast.js';
