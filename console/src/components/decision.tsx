/**
 * The approval: what the routing policy asks (rule, who it waits for, tiers and when each opens, votes so
 * far) and the Approve / Deny form. The buttons follow what the API says the viewer may do; they stay
 * visible but disabled, with the reason, for a person who may not decide.
 */
import { useState } from 'preact/hooks';
import { GraphQLFailure } from '../api';
import { useConsole } from '../context';
import { deciderName, formatInstant, relative } from '../format';
import { APPROVE, DENY, type ActionDetails } from '../queries';

/** Whether the viewer may decide now, and in which capacity or why not (the API's answer). */
function standing(action: ActionDetails): { can: boolean; note: string } {
  if (action.status !== 'PENDING_APPROVAL')
    return {
      can: false,
      note: `This action is ${action.status.toLowerCase().replace('_', ' ')}: nothing is left to decide.`,
    };
  return {
    can: action.viewerCanDecide,
    note: action.viewerDecisionNote ?? (action.viewerCanDecide ? '' : 'You may not decide this action.'),
  };
}

export function Decision({ action, onDecided }: { action: ActionDetails; onDecided(): Promise<void> }) {
  const { api, announce } = useConsole();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'approve' | 'deny' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { can, note } = standing(action);
  const approval = action.approval;

  const decide = async (approve: boolean) => {
    setError(null);
    if (!approve && !comment.trim()) {
      setError('Write the reason for denying it in the comment.');
      document.getElementById('decision-comment')?.focus();
      return;
    }
    setBusy(approve ? 'approve' : 'deny');
    try {
      const input = approve
        ? { actionId: action.id, ...(comment.trim() ? { comment: comment.trim() } : {}) }
        : { actionId: action.id, reason: comment.trim() };
      const d = await api.request<Record<string, { action: { status: string } }>>(approve ? APPROVE : DENY, { input });
      const status = Object.values(d)[0]!.action.status;
      announce(
        status === 'PENDING_APPROVAL'
          ? 'Your approval is recorded; the action still waits for other approvers.'
          : `The action is now ${status.toLowerCase()}.`,
      );
      setComment('');
      await onDecided();
    } catch (err) {
      setError(err instanceof GraphQLFailure ? `${err.message}${err.code ? ` (${err.code})` : ''}` : String(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="decision-heading" class="card decision">
      <h2 id="decision-heading">Decision</h2>
      {approval && <Route approval={approval} />}
      {approval?.decision && (
        <p data-testid="decided">
          <strong>
            {approval.decision === 'APPROVE' ? 'Approved' : approval.decision === 'DENY' ? 'Denied' : 'Expired'}
          </strong>
          {approval.decidedBy && ` by ${approval.decidedBy}`}
          {approval.decidedAt && ` on ${formatInstant(approval.decidedAt)}`}
          {approval.comment && <>: “{approval.comment}”</>}
        </p>
      )}
      {action.status === 'PENDING_APPROVAL' && (
        <form onSubmit={(e) => e.preventDefault()}>
          <label for="decision-comment">Comment (required to deny)</label>
          <textarea
            id="decision-comment"
            rows={3}
            maxLength={1000}
            value={comment}
            disabled={!can || busy !== null}
            aria-describedby={!can ? 'decision-note' : undefined}
            onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
          />
          {!can && (
            <p id="decision-note" class="note">
              {note}
            </p>
          )}
          {can && note && <p class="notice">{note}</p>}
          {error && (
            <p class="alert" role="alert">
              {error}
            </p>
          )}
          <div class="buttons">
            <button
              type="button"
              class="approve"
              disabled={!can || busy !== null}
              aria-describedby={!can ? 'decision-note' : undefined}
              onClick={() => void decide(true)}
            >
              {busy === 'approve' ? 'Approving…' : 'Approve'}
            </button>
            <button
              type="button"
              class="deny"
              disabled={!can || busy !== null}
              aria-describedby={!can ? 'decision-note' : undefined}
              onClick={() => void decide(false)}
            >
              {busy === 'deny' ? 'Denying…' : 'Deny'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** The approval as the routing policy shapes it: rule, quorum, who it waits for, tiers, votes so far. */
function Route({ approval }: { approval: NonNullable<ActionDetails['approval']> }) {
  return (
    <dl class="facts">
      <dt>Rule</dt>
      <dd data-testid="rule">
        {approval.rule} — {approval.approvalsRequired} approval{approval.approvalsRequired === 1 ? '' : 's'} needed
        {approval.mustInclude.length > 0 && `, including ${approval.mustInclude.map(deciderName).join(' and ')}`}
        {!approval.ownerMayApproveAlone && "; the agent's owner may not approve alone"}
      </dd>
      {approval.waitingFor && !approval.decision && (
        <>
          <dt>Waiting for</dt>
          <dd data-testid="waiting-for">{approval.waitingFor}</dd>
        </>
      )}
      <dt>Deadline</dt>
      <dd>
        <time dateTime={approval.deadline}>{formatInstant(approval.deadline)}</time> ({relative(approval.deadline)});
        undecided by then, it expires and is denied
      </dd>
      {approval.tiers.length > 0 && (
        <>
          <dt>Who may decide</dt>
          <dd>
            <ol class="tiers">
              {approval.tiers.map((t) => (
                <li key={t.level}>
                  {t.deciders.map(deciderName).join(', ')} —{' '}
                  {t.open ? (
                    <strong>open now</strong>
                  ) : (
                    <>
                      opens <time dateTime={t.opensAt}>{formatInstant(t.opensAt)}</time> ({relative(t.opensAt)})
                    </>
                  )}
                </li>
              ))}
            </ol>
          </dd>
        </>
      )}
      <dt>Votes so far</dt>
      <dd data-testid="votes">
        {approval.votes.length === 0 ? (
          'none yet'
        ) : (
          <ul class="votes">
            {approval.votes.map((v) => (
              <li key={`${v.by}:${v.at}`}>
                <strong>{v.decision === 'APPROVE' ? 'Approved' : v.decision === 'DENY' ? 'Denied' : v.decision}</strong>{' '}
                by {v.by}
                {v.capacities.length > 0 && ` as ${v.capacities.join(', ')}`}
                {v.onBehalfOf.length > 0 && ` on behalf of ${v.onBehalfOf.join(', ')}`},{' '}
                <time dateTime={v.at}>{formatInstant(v.at)}</time>
                {v.comment && <>: “{v.comment}”</>}
              </li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}
