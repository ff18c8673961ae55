/** The workflow bundle's entry point: every workflow type the worker runs. */
export { agentLifecycleWorkflow } from './agent-lifecycle.js';
export { personWorkflow } from './person.js';
