/**
 * HAProxy (Debian's package) in front of the API processes: one public URL, round robin over the
 * processes whose /readyz answers 200, checked every second. A process that stops answering leaves the
 * rotation after two failed checks; a request whose connection is refused is sent to another process
 * (HAProxy retries only what never reached a server, so a mutation is never sent twice). /metrics is not
 * served on the public front end: Prometheus scrapes each process directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureProgram } from './debian-packages.js';
import { runCommand, startServiceProcess, waitUntil, type ServiceProcess } from './process.js';

export interface Backend {
  name: string;
  port: number;
}

export interface LoadBalancerOptions {
  dir: string;
  port: number;
  backends: Backend[];
  log?: (line: string) => void;
}

export function haproxyConfig(o: Pick<LoadBalancerOptions, 'port' | 'backends'>): string {
  return `# Written by cluster/load-balancer.ts at every start; edit that file instead.
global
  maxconn 4096

defaults
  mode http
  option forwardfor
  timeout connect 2s
  timeout http-request 10s
  # An MCP call held for approval waits up to WARDEN_MCP_APPROVAL_WAIT (30 s) for its answer.
  timeout client 90s
  timeout server 90s
  # Subscriptions (server-sent events) stay open.
  timeout tunnel 1h
  retries 2
  option redispatch

frontend warden
  bind 127.0.0.1:${o.port}
  http-request deny deny_status 404 if { path /metrics } || { path_beg /metrics/ }
  default_backend warden_api

backend warden_api
  balance roundrobin
  option httpchk
  http-check send meth GET uri /readyz
  http-check expect status 200
  default-server inter 1s fall 2 rise 1
${o.backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`).join('\n')}
`;
}

export interface LoadBalancer {
  url: string;
  process: ServiceProcess;
  stop(): Promise<void>;
}

export async function startLoadBalancer(o: LoadBalancerOptions): Promise<LoadBalancer> {
  const log = o.log ?? (() => {});
  const haproxy = await ensureProgram('/usr/sbin/haproxy', 'haproxy', log);
  fs.mkdirSync(o.dir, { recursive: true });
  const file = path.join(o.dir, 'haproxy.cfg');
  fs.writeFileSync(file, haproxyConfig(o));
  await runCommand(haproxy, ['-c', '-q', '-f', file]);
  // -db: in the foreground, so it is our child and ends with us; -W: master-worker, reloads cleanly.
  const proc = startServiceProcess({
    name: 'haproxy',
    command: haproxy,
    args: ['-W', '-db', '-f', file],
    logFile: path.join(o.dir, 'haproxy.log'),
    stopSignal: 'SIGUSR1', // soft stop: finishes the requests in flight
    graceMs: 5_000,
  });
  const url = `http://127.0.0.1:${o.port}`;
  try {
    await waitUntil(
      'HAProxy',
      async () => (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) })).status !== 0,
      15_000,
      () => proc.death(),
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { url, process: proc, stop: () => proc.stop() };
}
