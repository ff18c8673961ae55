/**
 * Failpoints for the fault-injection suite (`npm run test:faults`): named places in activities and API
 * handlers where a test can stop a real process dead and SIGKILL it at exactly that point.
 *
 *   WARDEN_FAILPOINTS=action.scoring,vault.rotation.upstream-called   points armed from the start
 *   WARDEN_FAILPOINTS_FILE=/tmp/…/armed                                 a file of point names (comma or
 *                                                                       newline separated), re-read at
 *                                                                       every point: arms a running process
 *
 * An armed point writes `warden-failpoint: <name> reached` to stdout (synchronously) and then blocks the
 * JavaScript thread for good: nothing after the point runs in this process, until the test kills it.
 * With neither variable set (production, `npm start`, the main test suite) `failpoint()` is one boolean
 * test and returns at once.
 *
 * Points are named in the domain's words. Workflow code never calls `failpoint()` (workflows stay
 * deterministic): it reports a point through the sink in workflows/failpoints.ts, which the worker runs here.
 */
import fs from 'node:fs';

export type FailpointName =
  /** A sensitive action was scored in its own workflow; the workflow task has not completed yet. */
  | 'action.scoring'
  /** A routine action was scored in the agent's own workflow; the workflow task has not completed yet. */
  | 'action.routine.scoring'
  /** A grant was minted for an approved action and has not been returned to the workflow yet. */
  | 'action.grant-offered'
  /** The agent was contained (suspended, tokens revoked) and the workflow has not heard yet. */
  | 'action.agent-contained'
  /** A notification is about to go out (e.g. "approval needed", while the approval waits). */
  | 'notification.sending'
  /** A successor key pair was generated for an agent's credential rotation, not yet handed back. */
  | 'credential.rotation.key-issued'
  /** The tool's rotation endpoint issued a new secret; the answer has not reached the workflow. */
  | 'vault.rotation.upstream-called'
  /** A batch of audit records was written and fsynced; the writer workflow has not heard yet. */
  | 'audit.batch-written'
  /** A batch of a sweep's findings is recorded in the directory; the sweep has not heard yet. */
  | 'discovery.sightings-recorded'
  /** The API accepted an action request (requestAction, or a token exchange) and has not asked Temporal yet. */
  | 'api.request-action'
  /** The action was decided in Temporal; the API has not answered the agent yet. */
  | 'api.action-decided'
  /** An access token was minted and its audit record spooled (not shipped); the agent has not received it. */
  | 'api.token-issued';

const fixed = new Set((process.env.WARDEN_FAILPOINTS ?? '').split(/[\s,]+/).filter(Boolean));
const file = process.env.WARDEN_FAILPOINTS_FILE;
const enabled = fixed.size > 0 || Boolean(file);

function armed(name: FailpointName): boolean {
  if (fixed.has(name)) return true;
  if (!file) return false;
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split(/[\s,]+/)
      .includes(name);
  } catch {
    return false; // no file (yet): nothing armed
  }
}

/** Stops this process here, for good, when `name` is armed; otherwise returns at once. */
export function failpoint(name: FailpointName): void {
  if (!enabled || !armed(name)) return;
  try {
    fs.writeSync(1, `warden-failpoint: ${name} reached (pid ${process.pid}); stopped here until killed\n`);
  } catch {
    /* the announcement is best effort; the stop is not */
  }
  // Blocks the JavaScript thread forever: no callback, timer or promise of this process runs again.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
