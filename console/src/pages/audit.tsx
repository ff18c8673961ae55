/** The audit trail of one action or one agent (the API's auditEvents, for admins and the security team). */
import { useState } from 'preact/hooks';
import { hasRole, useConsole } from '../context';
import { Failure, Loading, useLoad } from '../components/load';
import { formatInstant } from '../format';
import { AUDIT, type AuditRow } from '../queries';
import { actionPath, agentPath, Link } from '../router';

interface AuditAnswer {
  auditEvents: { edges: { node: AuditRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export function AuditPage({ of, id }: { of: 'action' | 'agent'; id: string }) {
  const { api, viewer } = useConsole();
  const allowed = hasRole(viewer, 'ADMIN') || hasRole(viewer, 'SECURITY');
  const filter = of === 'action' ? { actionId: id } : { agentId: id };
  const [more, setMore] = useState<AuditRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useLoad(
    async () => (allowed ? (await api.request<AuditAnswer>(AUDIT, { filter })).auditEvents : null),
    [api, of, id, allowed],
  );
  const page = first.data;
  const next = cursor ?? (page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
  const loadMore = async () => {
    const d = (await api.request<AuditAnswer>(AUDIT, { filter, after: next })).auditEvents;
    setMore((m) => [...m, ...d.edges.map((e) => e.node)]);
    setCursor(d.pageInfo.hasNextPage ? d.pageInfo.endCursor : '');
  };
  const rows = [...(page?.edges.map((e) => e.node) ?? []), ...more];
  const back = of === 'action' ? actionPath(id) : agentPath(id);
  return (
    <>
      <p class="crumbs">
        <Link href={back}>Back to the {of}</Link>
      </p>
      <h1 tabIndex={-1}>Audit events of this {of}</h1>
      <p class="muted">
        From Warden's hash-chained audit trail, oldest first. {of === 'action' ? 'Action' : 'Agent'} <code>{id}</code>.
      </p>
      {!allowed ? (
        <p class="note">The audit trail is open to admins and the security team.</p>
      ) : first.error ? (
        <Failure error={first.error} />
      ) : !page ? (
        <Loading what="audit events" />
      ) : rows.length === 0 ? (
        <p class="empty">No audit events yet (they reach the trail within seconds).</p>
      ) : (
        <>
          <table class="list compact" data-testid="audit">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">What happened</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td class="num">{e.seq}</td>
                  <td>
                    <time dateTime={e.time}>{formatInstant(e.time)}</time>
                  </td>
                  <td>
                    <code>{e.type.replace(/^io\.warden\./, '')}</code>
                  </td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {next && (
            <button type="button" class="secondary" onClick={() => void loadMore()}>
              Show more
            </button>
          )}
        </>
      )}
    </>
  );
}
