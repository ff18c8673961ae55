/**
 * Pending approvals for the signed-in person, newest first, live: `pendingApprovals` once, then each
 * action the `approvalRequested` subscription brings, announced to screen readers as it arrives.
 */
import { useEffect, useState } from 'preact/hooks';
import { useConsole } from '../context';
import { Failure, Loading } from '../components/load';
import { formatInstant, magnitude, relative } from '../format';
import { APPROVAL_REQUESTED, INBOX, type InboxItem } from '../queries';
import { actionPath, agentPath, Link } from '../router';
import { RiskBadge } from '../components/badges';

const newestFirst = (items: InboxItem[]) => [...items].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));

export function Inbox() {
  const { api, announce } = useConsole();
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [live, setLive] = useState<'connecting' | 'live' | 'lost'>('connecting');
  const [fresh, setFresh] = useState<Set<string>>(new Set());

  useEffect(() => {
    let stopped = false;
    const load = () =>
      api
        .request<{ pendingApprovals: { edges: { node: InboxItem }[] } }>(INBOX)
        .then((d) => !stopped && setItems(newestFirst(d.pendingApprovals.edges.map((e) => e.node))), setError);
    void load();
    const stop = api.subscribe<{ approvalRequested: InboxItem }>(
      APPROVAL_REQUESTED,
      {},
      {
        onData: ({ approvalRequested: item }) => {
          setLive('live');
          setItems((list) => newestFirst([item, ...(list ?? []).filter((i) => i.id !== item.id)]));
          setFresh((f) => new Set(f).add(item.id));
          announce(
            `New approval request: ${item.agent.name} asks for ${item.tool}.${item.operation} (${magnitude(item)}).`,
          );
        },
        onError: () => setLive('lost'),
      },
    );
    setLive('live');
    // The subscription reports what arrives after its first look: read the list again once it has looked,
    // for anything that arrived in between; and now and then, as decisions others make leave it.
    const settle = setTimeout(load, 2000);
    const t = setInterval(load, 30_000);
    return () => {
      stopped = true;
      stop();
      clearTimeout(settle);
      clearInterval(t);
    };
  }, [api, announce]);

  return (
    <>
      <h1 tabIndex={-1}>Pending approvals</h1>
      <p class="muted">
        Actions Warden holds for a decision you may make, newest first.{' '}
        {live === 'lost' ? (
          <span class="warn">Live updates stopped; reload the page to see new requests.</span>
        ) : (
          <span>New requests appear here as they arrive.</span>
        )}
      </p>
      {error && <Failure error={error} />}
      {!items ? (
        !error && <Loading what="pending approvals" />
      ) : items.length === 0 ? (
        <p class="empty">Nothing waits for you.</p>
      ) : (
        <table class="list" aria-label="Pending approvals">
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Agent</th>
              <th scope="col">Owner</th>
              <th scope="col">Amount / volume</th>
              <th scope="col">Risk</th>
              <th scope="col">Deadline</th>
              <th scope="col">Requested</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} class={fresh.has(a.id) ? 'fresh' : undefined} data-action-id={a.id}>
                <th scope="row">
                  <Link href={actionPath(a.id)}>
                    {a.tool}.{a.operation}
                  </Link>{' '}
                  <span class={`sensitivity ${a.sensitivity.toLowerCase()}`}>{a.sensitivity}</span>
                </th>
                <td>
                  <Link href={agentPath(a.agent.id)}>{a.agent.name}</Link>
                </td>
                <td>{a.agent.owner ? a.agent.owner.displayName : <span class="muted">no owner</span>}</td>
                <td class="num">{magnitude(a)}</td>
                <td>
                  <RiskBadge score={a.risk?.score ?? null} />
                </td>
                <td>
                  {a.approval ? (
                    <time dateTime={a.approval.deadline} title={formatInstant(a.approval.deadline)}>
                      {relative(a.approval.deadline)}
                    </time>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <time dateTime={a.requestedAt} title={formatInstant(a.requestedAt)}>
                    {relative(a.requestedAt)}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
