/**
 * Talking to Warden's GraphQL API with the session's token: queries and mutations over fetch, subscriptions
 * over GraphQL-over-SSE (graphql-sse, distinct connections mode, as graphql-yoga serves them) — EventSource
 * cannot send an Authorization header, fetch can.
 */
import { createClient, type Client } from 'graphql-sse';

export class GraphQLFailure extends Error {
  override readonly name = 'GraphQLFailure';
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export interface Api {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Calls `onData` with each result; answers a function that stops the subscription. */
  subscribe<T>(
    query: string,
    variables: Record<string, unknown>,
    handlers: { onData(data: T): void; onError?(err: Error): void },
  ): () => void;
}

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function failureOf(errors: NonNullable<Answer<unknown>['errors']>): GraphQLFailure {
  const first = errors[0]!;
  return new GraphQLFailure(first.message, first.extensions?.code ?? null);
}

export function createApi(endpoint: string, token: string, onSignedOut: (why: string) => void): Api {
  const headers = { authorization: `Bearer ${token}` };
  const signedOut = (failure: GraphQLFailure) => {
    if (failure.code === 'UNAUTHENTICATED') onSignedOut(failure.message);
    return failure;
  };
  let sse: Client | null = null;
  return {
    async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
        credentials: 'omit',
      });
      const answer = (await res.json().catch(() => ({}))) as Answer<T>;
      if (answer.errors?.length) throw signedOut(failureOf(answer.errors));
      if (!res.ok || !answer.data) throw new GraphQLFailure(`Warden answered HTTP ${res.status}.`, null);
      return answer.data;
    },
    subscribe<T>(
      query: string,
      variables: Record<string, unknown>,
      handlers: { onData(data: T): void; onError?(err: Error): void },
    ) {
      sse ??= createClient({ url: endpoint, headers, credentials: 'omit', retryAttempts: 5 });
      return sse.subscribe<T>(
        { query, variables },
        {
          next: (result) => {
            const r = result as Answer<T>;
            if (r.errors?.length) handlers.onError?.(signedOut(failureOf(r.errors)));
            else if (r.data) handlers.onData(r.data);
          },
          error: (err) => handlers.onError?.(err instanceof Error ? err : new Error(String(err))),
          complete: () => {},
        },
      );
    },
  };
}
