/**
 * One held (or decided) action: the exact request, why Warden held it, its value against the agent's
 * usual range, the agent's recent actions and containment, links to its workflow and audit events, and
 * the decision. The status, escalations and votes follow the `actionDecided` subscription.
 */
import { useEffect, useRef } from 'preact/hooks';
import { useConsole } from '../context';
import { Failure, Loading, useLoad } from '../components/load';
import { RangeChart } from '../components/range-chart';
import { Decision } from '../components/decision';
import { RiskBadge, StatusBadge } from '../components/badges';
import { formatInstant, formatNumber, magnitude, relative, SIGNALS } from '../format';
import {
  ACTION,
  ACTION_DECIDED,
  RECENT_ACTIONS,
  type ActionDetails,
  type ActionProgress,
  type RecentAction,
} from '../queries';
import { actionPath, agentPath, auditPath, Link } from '../router';

/** Changes whenever the action's status, escalation level or votes do. */
const progress = (a: ActionProgress) =>
  `${a.status} ${a.approval?.escalationLevel ?? 0} ${a.approval?.votes.length ?? 0}`;

export function ActionPage({ id }: { id: string }) {
  const { api, config, announce } = useConsole();
  const action = useLoad(
    async () => (await api.request<{ actionRequest: ActionDetails | null }>(ACTION, { id })).actionRequest,
    [api, id],
  );
  const agentId = action.data?.agent.id;
  const recent = useLoad(
    async () =>
      agentId
        ? (
            await api.request<{ actionRequests: { edges: { node: RecentAction }[] } }>(RECENT_ACTIONS, { agentId })
          ).actionRequests.edges.map((e) => e.node)
        : [],
    [api, agentId],
  );

  // The action as it changes (a vote, an escalation, another approver's decision, the deadline), without a
  // reload: an escalation changes who may decide, so the buttons follow it.
  const status = action.data?.status;
  const shown = useRef<ActionDetails | null>(null);
  shown.current = action.data;
  const { reload } = action;
  useEffect(() => {
    if (!status || status !== 'PENDING_APPROVAL') return;
    return api.subscribe<{ actionDecided: ActionProgress }>(
      ACTION_DECIDED,
      { id },
      {
        onData: ({ actionDecided }) => {
          const before = shown.current;
          if (!before || progress(actionDecided) === progress(before)) return;
          if (actionDecided.status !== before.status)
            announce(`This action is now ${actionDecided.status.toLowerCase().replace('_', ' ')}.`);
          else if ((actionDecided.approval?.escalationLevel ?? 0) > (before.approval?.escalationLevel ?? 0))
            announce('This action has escalated: more people may decide it now.');
          void reload();
        },
      },
    );
  }, [api, id, status, reload, announce]);

  const a = action.data;
  if (action.error && !a) return <PageFailure error={action.error} />;
  if (!a)
    return action.loading ? (
      <Loading what="the action" />
    ) : (
      <PageFailure error={new Error(`No action ${id} that you may see.`)} />
    );

  const metric = a.usualRange?.metric ?? (a.amount > 0 ? 'AMOUNT' : 'VOLUME');
  const sameOp = (recent.data ?? []).filter((r) => r.id !== a.id && r.tool === a.tool && r.operation === a.operation);
  const recentValues = sameOp.map((r) => (metric === 'AMOUNT' ? r.amount : r.volume));
  const temporalUi = config.temporal.uiUrl
    ? `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(a.workflowId)}`
    : null;

  return (
    <>
      <p class="crumbs">
        <Link href="/console">Pending approvals</Link> › Action
      </p>
      <h1 tabIndex={-1}>
        {a.agent.name} asks for {a.tool}.{a.operation}
      </h1>
      <p class="lede">
        <StatusBadge status={a.status} /> <RiskBadge score={a.risk?.score ?? null} />{' '}
        <span class={`sensitivity ${a.sensitivity.toLowerCase()}`}>{a.sensitivity}</span> · requested{' '}
        <time dateTime={a.requestedAt} title={formatInstant(a.requestedAt)}>
          {relative(a.requestedAt)}
        </time>
      </p>
      {action.error && <Failure error={action.error} />}

      <div class="columns">
        <div>
          <section aria-labelledby="request-heading" class="card">
            <h2 id="request-heading">The request</h2>
            <dl class="facts" data-testid="request">
              <dt>Agent</dt>
              <dd>
                <Link href={agentPath(a.agent.id)}>{a.agent.name}</Link> ({a.agent.platform}), owned by{' '}
                {a.agent.owner ? `${a.agent.owner.displayName} <${a.agent.owner.email}>` : 'nobody'}
              </dd>
              <dt>Tool and operation</dt>
              <dd>
                <code>{a.tool}</code> · <code>{a.operation}</code> ({a.sensitivity})
              </dd>
              <dt>Resource</dt>
              <dd>{a.resourceId ? <code>{a.resourceId}</code> : <span class="muted">none named</span>}</dd>
              <dt>Volume</dt>
              <dd>{formatNumber(a.volume)} records</dd>
              <dt>Amount</dt>
              <dd>{formatNumber(a.amount)}</dd>
              <dt>Justification</dt>
              <dd>{a.justification ? <q>{a.justification}</q> : <span class="muted">none given</span>}</dd>
              <dt>Context</dt>
              <dd>
                {Object.keys(a.context).length === 0 ? (
                  <span class="muted">none</span>
                ) : (
                  <dl class="kv">
                    {Object.entries(a.context).map(([k, v]) => (
                      <div key={k}>
                        <dt>{k}</dt>
                        <dd>{v}</dd>
                      </div>
                    ))}
                  </dl>
                )}
              </dd>
              <dt>Bound to</dt>
              <dd>
                {a.mcpCall ? (
                  <>
                    the MCP call <code>{a.mcpCall.mcpTool}</code> with arguments whose SHA-256 is{' '}
                    <code class="hash">{a.mcpCall.argumentsSha256}</code>: an approval covers exactly those arguments
                  </>
                ) : (
                  <span>exactly this request (the grant names its tool, operation, resource and volume)</span>
                )}
              </dd>
            </dl>
          </section>

          <section aria-labelledby="why-heading" class="card">
            <h2 id="why-heading">Why Warden held it</h2>
            {a.risk && a.risk.reasons.length > 0 ? (
              <ul class="reasons" data-testid="reasons">
                {[...a.risk.reasons]
                  .sort((x, y) => y.contribution - x.contribution)
                  .map((r, i) => (
                    <li key={i}>
                      <strong>{SIGNALS[r.signal] ?? r.signal}</strong>{' '}
                      <span class="muted">(+{Math.round(r.contribution)} points)</span>
                      <br />
                      {r.detail}
                    </li>
                  ))}
              </ul>
            ) : (
              <p>
                {a.risk ? 'No single signal stands out' : 'It was not scored'}; a person must look at every{' '}
                {a.sensitivity} operation outside the agent's allowed set.
              </p>
            )}
            <h3>{metric === 'AMOUNT' ? 'Amount' : 'Volume'} against the agent's usual range</h3>
            <RangeChart
              range={a.usualRange}
              value={metric === 'AMOUNT' ? a.amount : a.volume}
              metric={metric}
              recent={recentValues}
              opKey={`${a.tool}.${a.operation}`}
            />
          </section>
        </div>

        <div>
          <Decision action={a} onDecided={reload} />

          <section aria-labelledby="agent-heading" class="card">
            <h2 id="agent-heading">The agent now</h2>
            <p>
              <Link href={agentPath(a.agent.id)}>{a.agent.name}</Link> is <StatusBadge status={a.agent.status} />
              {a.agent.statusReason && <span class="muted"> — {a.agent.statusReason}</span>}
            </p>
            <p data-testid="containment">
              {a.contained
                ? 'Warden contained the agent when it decided this request: it was suspended and every token it held was revoked.'
                : 'This decision did not contain the agent.'}
            </p>
          </section>

          <section aria-labelledby="links-heading" class="card">
            <h2 id="links-heading">Records</h2>
            <ul class="links">
              <li>
                <Link href={auditPath('action', a.id)}>Audit events of this action</Link>
              </li>
              <li>
                {temporalUi ? (
                  <a href={temporalUi} target="_blank" rel="noopener noreferrer">
                    Workflow <code>{a.workflowId}</code> in the Temporal UI
                  </a>
                ) : (
                  <span>
                    Workflow <code>{a.workflowId}</code> (set WARDEN_TEMPORAL_UI_URL for a link to the Temporal UI)
                  </span>
                )}
              </li>
            </ul>
          </section>
        </div>
      </div>

      <section aria-labelledby="recent-heading" class="card">
        <h2 id="recent-heading">The agent's recent actions</h2>
        {recent.error && <Failure error={recent.error} />}
        {!recent.data ? <Loading what="recent actions" /> : <RecentActions actions={recent.data} current={a.id} />}
      </section>
    </>
  );
}

export function RecentActions({ actions, current }: { actions: RecentAction[]; current?: string }) {
  if (actions.length === 0) return <p class="muted">No actions yet.</p>;
  return (
    <table class="list compact">
      <thead>
        <tr>
          <th scope="col">Request</th>
          <th scope="col">Amount / volume</th>
          <th scope="col">Outcome</th>
          <th scope="col">Requested</th>
        </tr>
      </thead>
      <tbody>
        {actions.map((r) => (
          <tr key={r.id} aria-current={r.id === current ? 'true' : undefined}>
            <th scope="row">
              <Link href={actionPath(r.id)}>
                {r.tool}.{r.operation}
              </Link>
              {r.id === current && <span class="muted"> (this one)</span>}
            </th>
            <td class="num">{magnitude(r)}</td>
            <td>
              <StatusBadge status={r.status} />
            </td>
            <td>
              <time dateTime={r.requestedAt} title={formatInstant(r.requestedAt)}>
                {relative(r.requestedAt)}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PageFailure({ error }: { error: Error }) {
  return (
    <>
      <h1 tabIndex={-1}>This action cannot be shown</h1>
      <Failure error={error}>
        <p>
          <Link href="/console">Back to your pending approvals</Link>
        </p>
      </Failure>
    </>
  );
}
