/**
 * A person workflow that no longer does what its recorded history says (it waits before anything else):
 * replaying a recorded history on it must fail, or the replay test could not catch a change.
 */
import { sleep } from '@temporalio/workflow';

export async function personWorkflow(): Promise<void> {
  await sleep('1 hour');
}
