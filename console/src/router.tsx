/**
 * Client-side routes over the history API: the server answers index.html for every path under /console,
 * so a deep link (a notification's action page) opens the app on that page.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';

export type Route =
  | { page: 'inbox' }
  | { page: 'action'; id: string }
  | { page: 'agent'; id: string }
  | { page: 'audit'; of: 'action' | 'agent'; id: string }
  | { page: 'callback' }
  | { page: 'not-found'; path: string };

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length).replace(/\/+$/, '') : pathname;
  if (rest === '') return { page: 'inbox' };
  if (rest === '/callback') return { page: 'callback' };
  const m = /^\/(actions|agents)\/([^/]{1,100})(\/audit)?$/.exec(rest);
  if (m) {
    const id = decodeURIComponent(m[2]!);
    const of = m[1] === 'actions' ? 'action' : 'agent';
    return m[3] ? { page: 'audit', of, id } : of === 'action' ? { page: 'action', id } : { page: 'agent', id };
  }
  return { page: 'not-found', path: rest };
}

export const actionPath = (id: string) => `${BASE}/actions/${encodeURIComponent(id)}`;
export const agentPath = (id: string) => `${BASE}/agents/${encodeURIComponent(id)}`;
export const auditPath = (of: 'action' | 'agent', id: string) =>
  `${of === 'action' ? actionPath(id) : agentPath(id)}/audit`;

const CHANGE = 'warden:navigate';

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

/** The current route, following links, the back and forward buttons. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return route;
}

/** An ordinary link (it opens in a new tab, copies, reads out as a link) that navigates in place. */
export function Link({
  href,
  children,
  ...rest
}: {
  href: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page' | 'true' | undefined;
}) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
