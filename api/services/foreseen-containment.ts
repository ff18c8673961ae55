/**
 * A sensitive request decided with its containment foreseen. The action's workflow scores with pure functions
 * of what the API process hands it (risk/assess-action.ts), so the process that asks can score the same
 * request first: when the rules contain, it holds the agent — and tells every other API process — from the
 * request on, instead of from the answer. The workflow's decision then settles the hold: a containment is
 * held as decided; anything else clears what was foreseen. A decision that cannot be had now (Temporal away)
 * leaves the hold to lapse (held-containments.ts), and the agent's retry decides it.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ActionRecord } from '../../domain/actions.js';
import { ErrorCode, WardenError } from '../../domain/errors.js';
import { assessAction, type RiskProfile } from '../../risk/assess-action.js';
import type { PeerStats } from '../../risk/types.js';
import type { AgentAccess } from './agent-access.js';

const REFUSALS = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.FORBIDDEN,
  ErrorCode.NOT_FOUND,
  ErrorCode.CONFLICT,
  ErrorCode.UNAUTHENTICATED,
]);

export async function decideForeseeingContainment<A extends ActionRecord>(
  access: AgentAccess,
  action: ActionRecord,
  scoredOn: { profile: RiskProfile; peers: PeerStats | null },
  decide: () => Promise<A>,
  /** The outcome already recorded for this request, when its workflow has finished. */
  recorded: () => Promise<A>,
): Promise<A> {
  const { agentId } = action;
  const foreseen = assessAction(scoredOn.profile, action, scoredOn.peers ?? undefined).contain ? Date.now() : null;
  // Never rejects (announcing only speeds other processes up); the hold here is taken before it returns.
  const announcing = foreseen === null ? null : access.containing(agentId, foreseen).catch(() => undefined);
  let decided: A;
  try {
    decided = await decide();
  } catch (err) {
    // The action's workflow has already finished: a retry gets the recorded outcome, never a new decision.
    if (err instanceof WorkflowExecutionAlreadyStartedError) decided = await recorded();
    else {
      // Refused for good (a stable refusal: nothing will decide it), the foreseen hold goes. Anything else —
      // Temporal away, an answer lost — may have been decided all the same: the hold stands until the agent's
      // view shows the containment, the retry's decision settles it, or it lapses.
      if (foreseen !== null && err instanceof WardenError && REFUSALS.has(err.code)) {
        await announcing;
        await access.notContained(agentId, foreseen);
      }
      throw err;
    }
  }
  await announcing; // announced in order: what was foreseen, then how it was settled
  // A containment is answered before the agent's workflow records it (right after, durably): from here on
  // this process and every process on the revocation broadcast refuse the agent's tokens up to the decision.
  if (decided.contained) await access.contained(agentId, Date.parse(decided.decidedAt ?? '') || Date.now());
  else if (foreseen !== null) await access.notContained(agentId, foreseen);
  return decided;
}
