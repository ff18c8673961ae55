/**
 * Liveness and readiness of a Warden process, for load balancers and orchestrators. `/healthz`: the process
 * is up and serving HTTP. `/readyz`: it can do its work now (each process names its checks: api/health.ts,
 * worker/http.ts), so a balancer sends it traffic only then. Each check has a deadline, and the answer is
 * kept a moment so health checks from several balancers cost Temporal little.
 */
import type http from 'node:http';
import type { Client } from '@temporalio/client';
import { missingSearchAttributes } from '../temporal/namespace.js';

export interface Check {
  name: string;
  /** What /readyz says when it fails: fixed words, never the error (addresses, internals) — that is logged. */
  failure: string;
  run(): Promise<void>;
}

/** A failure whose message is safe to show as it is (it names what is missing, nothing internal). */
export class ReadinessFailure extends Error {}

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed, in words safe for anyone who can reach /readyz. */
  message?: string;
}

const CHECK_DEADLINE_MS = 2_000;
const GRPC_PERMISSION_DENIED = 7;
const ANSWER_KEPT_MS = 1_000;

/** The last failure logged per check, so a check failing every second is logged once, not every second. */
const logged = new Map<string, string>();

function withDeadline(check: Check): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ReadinessFailure(`no answer within ${CHECK_DEADLINE_MS} ms`)),
      CHECK_DEADLINE_MS,
    );
  });
  return Promise.race([check.run(), late])
    .then((): CheckResult => {
      if (logged.delete(check.name)) console.warn(`readiness: ${check.name} passes again`);
      return { name: check.name, ok: true };
    })
    .catch((err: unknown): CheckResult => {
      const why = (err as Error).message;
      if (logged.get(check.name) !== why) console.warn(`readiness: ${check.name} fails: ${why}`);
      logged.set(check.name, why);
      const message = err instanceof ReadinessFailure ? why : `${check.failure}; the process's log says why`;
      return { name: check.name, ok: false, message };
    })
    .finally(() => clearTimeout(timer));
}

/** Runs the checks (all of them, in parallel) at most once a second; concurrent callers share one run. */
export function readiness(checks: Check[]): () => Promise<CheckResult[]> {
  let last: { at: number; results: Promise<CheckResult[]> } | null = null;
  return () => {
    if (!last || Date.now() - last.at >= ANSWER_KEPT_MS)
      last = { at: Date.now(), results: Promise.all(checks.map(withDeadline)) };
    return last.results;
  };
}

/** Temporal's frontend answers for the namespace (it exists, and this process's credentials are accepted). */
export function temporalCheck(client: Client, namespace: string): Check {
  return {
    name: 'temporal',
    failure: 'Temporal does not answer for the namespace',
    run: async () => {
      await client.workflowService.describeNamespace({ namespace });
    },
  };
}

/** The namespace has every search attribute Warden's workflows set (a missing one fails their tasks). */
export function searchAttributesCheck(client: Client, namespace: string): Check {
  return {
    name: 'searchAttributes',
    failure: "the namespace's search attributes could not be read",
    run: async () => {
      let missing: string[];
      try {
        missing = await missingSearchAttributes(client.connection, namespace);
      } catch (err) {
        // Credentials that may not list them (Temporal Cloud's non-admin keys): the worker's start checked.
        if ((err as { code?: number }).code === GRPC_PERMISSION_DENIED) return;
        throw err;
      }
      if (missing.length) throw new ReadinessFailure(`namespace ${namespace} lacks ${missing.join(', ')}`);
    },
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Serves GET /healthz and /readyz; answers false for any other path. */
export function createHealthEndpoints(ready: () => Promise<CheckResult[]>) {
  return async (res: http.ServerResponse, path: string): Promise<boolean> => {
    if (path === '/healthz') {
      send(res, 200, { status: 'ok' });
      return true;
    }
    if (path !== '/readyz') return false;
    const checks = await ready();
    const ok = checks.every((c) => c.ok);
    send(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not_ready', checks });
    return true;
  };
}
