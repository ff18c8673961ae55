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
  run(): Promise<void>;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed (never a secret: a check's message names what is missing or unreachable). */
  message?: string;
}

const CHECK_DEADLINE_MS = 2_000;
const GRPC_PERMISSION_DENIED = 7;
const ANSWER_KEPT_MS = 1_000;

function withDeadline(check: Check): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_DEADLINE_MS} ms`)), CHECK_DEADLINE_MS);
  });
  return Promise.race([check.run(), late])
    .then((): CheckResult => ({ name: check.name, ok: true }))
    .catch((err: unknown): CheckResult => ({ name: check.name, ok: false, message: (err as Error).message }))
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
    run: async () => {
      await client.workflowService.describeNamespace({ namespace });
    },
  };
}

/** The namespace has every search attribute Warden's workflows set (a missing one fails their tasks). */
export function searchAttributesCheck(client: Client, namespace: string): Check {
  return {
    name: 'searchAttributes',
    run: async () => {
      let missing: string[];
      try {
        missing = await missingSearchAttributes(client.connection, namespace);
      } catch (err) {
        // Credentials that may not list them (Temporal Cloud's non-admin keys): the worker's start checked.
        if ((err as { code?: number }).code === GRPC_PERMISSION_DENIED) return;
        throw err;
      }
      if (missing.length) throw new Error(`namespace ${namespace} lacks ${missing.join(', ')}`);
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
