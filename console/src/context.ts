/** What every page of a signed-in console shares. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api';
import type { Viewer } from './queries';
import type { ConsoleConfig, Session } from './session';

export interface Console {
  api: Api;
  config: ConsoleConfig;
  session: Session;
  viewer: Viewer;
  /** Says something to screen readers (and shows it) without moving focus. */
  announce(message: string): void;
}

export const ConsoleContext = createContext<Console | null>(null);

export function useConsole(): Console {
  const c = useContext(ConsoleContext);
  if (!c) throw new Error('useConsole outside a signed-in console');
  return c;
}

export const hasRole = (viewer: Viewer, role: 'ADMIN' | 'SECURITY' | 'APPROVER') => viewer.roles.includes(role);
