/** Building visibility queries (Temporal's SQL-like List Filter) from values that may come from users. */

/** A string value, quoted and escaped (inputs are validated first; quotes are escaped besides). */
export function visibilityString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The clauses every list of one Warden deployment starts with: its workflows of one type, on its task
 * queue (a namespace may hold several deployments, one task queue each), running unless `anyStatus`.
 */
export function deploymentClauses(workflowType: string, taskQueue: string, anyStatus = false): string[] {
  return [
    `WorkflowType = ${visibilityString(workflowType)}`,
    ...(anyStatus ? [] : [`ExecutionStatus = 'Running'`]),
    `TaskQueue = ${visibilityString(taskQueue)}`,
  ];
}
