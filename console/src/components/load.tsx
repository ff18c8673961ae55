/** Loading data for a page: one hook, and the same words for waiting and failing everywhere. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload(): Promise<void>;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  // The caller names what the load depends on (the closure changes every render).
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await run();
      setState({ data, error: null, loading: false });
    } catch (err) {
      setState((s) => ({ ...s, error: err as Error, loading: false }));
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { ...state, reload };
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Failure({ error, children }: { error: Error; children?: ComponentChildren }) {
  return (
    <div class="alert" role="alert">
      <p>{error.message}</p>
      {children}
    </div>
  );
}
