/**
 * One agent: status, owner, allowed tools, credential ages, recent decisions, discovery findings, and
 * (admins) suspend or resume with a reason.
 */
import { useState } from 'preact/hooks';
import { GraphQLFailure } from '../api';
import { hasRole, useConsole } from '../context';
import { Failure, Loading, useLoad } from '../components/load';
import { StatusBadge } from '../components/badges';
import { formatDuration, formatInstant, relative } from '../format';
import { AGENT, RESUME, SUSPEND, type AgentDetails, type Credential, type RecentAction } from '../queries';
import { auditPath, Link } from '../router';
import { RecentActions } from './action';

interface AgentAnswer {
  agent: AgentDetails | null;
  actionRequests: { edges: { node: RecentAction }[] };
}

export function AgentPage({ id }: { id: string }) {
  const { api, viewer } = useConsole();
  const loaded = useLoad(() => api.request<AgentAnswer>(AGENT, { id }), [api, id]);
  const agent = loaded.data?.agent;
  if (!agent)
    return (
      <>
        <h1 tabIndex={-1}>Agent</h1>
        {loaded.error ? (
          <Failure error={loaded.error} />
        ) : loaded.loading ? (
          <Loading what="the agent" />
        ) : (
          <Failure error={new Error(`No agent ${id} that you may see.`)} />
        )}
      </>
    );
  const decisions = loaded.data!.actionRequests.edges.map((e) => e.node);
  return (
    <>
      <p class="crumbs">
        <Link href="/console">Pending approvals</Link> › Agent
      </p>
      <h1 tabIndex={-1}>{agent.name}</h1>
      <p class="lede">
        <StatusBadge status={agent.status} /> {agent.platform}
        {agent.statusReason && <span class="muted"> — {agent.statusReason}</span>}
      </p>
      {agent.description && <p>{agent.description}</p>}
      {loaded.error && <Failure error={loaded.error} />}

      <div class="columns">
        <section aria-labelledby="about-heading" class="card">
          <h2 id="about-heading">Ownership and access</h2>
          <dl class="facts">
            <dt>Owner</dt>
            <dd>{agent.owner ? `${agent.owner.displayName} <${agent.owner.email}>` : 'nobody (discovered)'}</dd>
            <dt>Registered</dt>
            <dd>{formatInstant(agent.createdAt)}</dd>
            {agent.lastSeenAt && (
              <>
                <dt>Last seen by discovery</dt>
                <dd>{relative(agent.lastSeenAt)}</dd>
              </>
            )}
            {agent.revokedBefore && (
              <>
                <dt>Tokens revoked</dt>
                <dd>every token issued before {formatInstant(agent.revokedBefore)}</dd>
              </>
            )}
            <dt>Allowed tools</dt>
            <dd>
              {agent.allowedTools.length === 0 ? (
                <span class="muted">none</span>
              ) : (
                <ul class="plain">
                  {agent.allowedTools.map((t) => (
                    <li key={t.tool}>
                      <code>{t.tool}</code>: {t.operations.join(', ')}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>Credential</dt>
            <dd>
              <CredentialAge credential={agent.credential} />
            </dd>
            {agent.successorCredential && (
              <>
                <dt>Successor credential</dt>
                <dd>
                  <CredentialAge credential={agent.successorCredential} />
                </dd>
              </>
            )}
          </dl>
          <p>
            <Link href={auditPath('agent', agent.id)}>Audit events of this agent</Link>
          </p>
        </section>
        {hasRole(viewer, 'ADMIN') ? (
          <Containment agent={agent} onChanged={loaded.reload} />
        ) : (
          <section aria-labelledby="containment-heading" class="card">
            <h2 id="containment-heading">Suspend or resume</h2>
            <p class="note">Only admins suspend and resume agents here.</p>
          </section>
        )}
      </div>

      <section aria-labelledby="decisions-heading" class="card">
        <h2 id="decisions-heading">Recent decisions</h2>
        <RecentActions actions={decisions} />
      </section>

      <section aria-labelledby="findings-heading" class="card">
        <h2 id="findings-heading">Discovery findings</h2>
        {agent.findings.length === 0 ? (
          <p class="muted">Discovery has not seen this agent.</p>
        ) : (
          <table class="list compact">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Source</th>
                <th scope="col">Where</th>
                <th scope="col">Last seen</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {agent.findings.map((f) => (
                <tr key={f.id}>
                  <th scope="row">{f.kind}</th>
                  <td>
                    {f.sourceName} ({f.source.toLowerCase()})
                  </td>
                  <td>{[f.user, f.host].filter(Boolean).join(' on ') || '—'}</td>
                  <td>{relative(f.lastSeen)}</td>
                  <td>{f.dismissal ? `dismissed by ${f.dismissal.by}: ${f.dismissal.reason}` : 'raised'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function CredentialAge({ credential }: { credential: Credential | null }) {
  if (!credential) return <span class="muted">none</span>;
  const age = Date.now() - Date.parse(credential.issuedAt);
  const expired = Date.parse(credential.expiresAt) <= Date.now();
  return (
    <span>
      {formatDuration(age)} old (issued {formatInstant(credential.issuedAt)}),{' '}
      {expired ? <strong>expired</strong> : <>expires {relative(credential.expiresAt)}</>}; rotation due{' '}
      {relative(credential.rotationDueAt)}. Key <code class="hash">{credential.kid}</code>
    </span>
  );
}

function Containment({ agent, onChanged }: { agent: AgentDetails; onChanged(): Promise<void> }) {
  const { api, announce } = useConsole();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const suspend = agent.status === 'ACTIVE';
  const possible = agent.status === 'ACTIVE' || agent.status === 'SUSPENDED';
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError('Say why, for the audit trail.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.request(suspend ? SUSPEND : RESUME, {
        input: { agentId: agent.id, reason: reason.trim(), ...(suspend ? { revokeTokens: true } : {}) },
      });
      announce(suspend ? `${agent.name} is suspended; its tokens are revoked.` : `${agent.name} is active again.`);
      setReason('');
      await onChanged();
    } catch (err) {
      setError(err instanceof GraphQLFailure ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="containment-heading" class="card">
      <h2 id="containment-heading">{suspend ? 'Suspend' : 'Resume'}</h2>
      {!possible ? (
        <p class="note">A {agent.status.toLowerCase()} agent can be neither suspended nor resumed.</p>
      ) : (
        <form onSubmit={submit}>
          <p class="muted">
            {suspend
              ? 'Suspending revokes every token the agent holds, at once, everywhere.'
              : 'Resuming lets the agent get tokens again.'}
          </p>
          <label for="containment-reason">Reason</label>
          <input
            id="containment-reason"
            type="text"
            maxLength={500}
            value={reason}
            onInput={(e) => setReason((e.target as HTMLInputElement).value)}
          />
          {error && (
            <p class="alert" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class={suspend ? 'deny' : 'approve'} disabled={busy}>
            {suspend ? 'Suspend agent' : 'Resume agent'}
          </button>
        </form>
      )}
    </section>
  );
}
