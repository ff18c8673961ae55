/**
 * Seeded synthetic Zeek `ssl.log` (JSON lines, `LogAscii::use_json=T`, Zeek 6 field names and order) for
 * the discovery benchmark. One day of TLS connections from thousands of client hosts to a long tail of
 * ordinary domains (and a few look-alike decoys); ~1.5 % of lines go to LLM endpoints, and only from a
 * known set of planted hosts, so the findings a correct scan must produce are known exactly (`expected`).
 * One line in 10,000 is malformed, always with a planted host and an LLM server name, so a scanner that
 * accepted it would miscount.
 *
 * The file is streamed with backpressure: memory does not depend on the number of lines.
 *
 *   tsx bench/discovery/generate-traffic.ts --lines 100000 [--seed 1] --out /tmp/ssl.log
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../detector/generate-traces.js';

/** What a correct Zeek scan must report for one planted host (field names as on `Finding`). */
export interface ExpectedFinding {
  fingerprint: string;
  kind: 'llm-egress';
  platform: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Sorted, as the scanner's list-valued evidence. */
  endpoints: string[];
  providers: string[];
}

export interface GeneratedTraffic {
  file: string;
  seed: number;
  lines: number;
  bytes: number;
  llmLines: number;
  decoyLines: number;
  malformed: number;
  clientHosts: number;
  plantedHosts: number;
  /** Sorted by fingerprint, as the scanner returns findings. */
  expected: ExpectedFinding[];
}

/** Host → provider, written out here rather than read from the discovery config (an independent expectation). */
const LLM_ENDPOINTS: ReadonlyArray<readonly [string, string]> = [
  ['api.openai.com', 'openai'],
  ['api.anthropic.com', 'anthropic'],
  ['generativelanguage.googleapis.com', 'google-gemini'],
  ['us-central1-aiplatform.googleapis.com', 'google-vertex-ai'],
  ['bedrock-runtime.us-east-1.amazonaws.com', 'aws-bedrock'],
  ['contoso-eastus.openai.azure.com', 'azure-openai'],
  ['api.mistral.ai', 'mistral'],
  ['api.groq.com', 'groq'],
  ['openrouter.ai', 'openrouter'],
  ['api.cohere.com', 'cohere'],
  ['api.deepseek.com', 'deepseek'],
  ['api.together.xyz', 'together'],
];

/** Names a sloppy matcher would flag; none of them is an LLM API endpoint. */
const DECOYS = [
  'openai.com',
  'chatgpt.com',
  'platform.openai.com',
  'docs.anthropic.com',
  'claude.ai',
  'api.openai.com.evil.example',
  'notanthropic.com',
  'ai.google.dev',
];

const POPULAR = [
  'www.google.com',
  'www.gstatic.com',
  'fonts.googleapis.com',
  'www.googleapis.com',
  'accounts.google.com',
  'mail.google.com',
  'outlook.office365.com',
  'login.microsoftonline.com',
  'graph.microsoft.com',
  'teams.microsoft.com',
  'update.microsoft.com',
  'github.com',
  'api.github.com',
  'objects.githubusercontent.com',
  'registry.npmjs.org',
  'pypi.org',
  'files.pythonhosted.org',
  'slack.com',
  'wss-primary.slack.com',
  'zoom.us',
  'www.youtube.com',
  'i.ytimg.com',
  'www.linkedin.com',
  'www.wikipedia.org',
  'cdn.jsdelivr.net',
  'cdnjs.cloudflare.com',
  'sts.amazonaws.com',
  's3.amazonaws.com',
  'ec2.us-east-1.amazonaws.com',
  'time.apple.com',
  'gateway.icloud.com',
  'www.dropbox.com',
  'docs.docker.com',
  'production.cloudflare.docker.com',
];
const SAAS = [
  'atlassian.net',
  'zendesk.com',
  'my.salesforce.com',
  'sharepoint.com',
  'okta.com',
  'service-now.com',
  'hubspot.com',
  'box.com',
  'datadoghq.com',
  'sentry.io',
];
const CDN = ['cloudfront.net', 'akamaized.net', 'fastly.net', 'azureedge.net', 'b-cdn.net'];

const ORDINARY_CLIENTS = 5000;
const PLANTED_HOSTS = 40;
const LLM_SHARE = 0.015;
const DECOY_SHARE = 0.002;
const MALFORMED_EVERY = 10_000;
/** 2025-05-05T00:00:00Z; the file covers one day whatever its length. */
const START_SECONDS = 1_746_403_200;

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  hex(chars: number): string {
    let s = '';
    while (s.length < chars) s += ((this.next() * 0x1_0000_0000) >>> 0).toString(16).padStart(8, '0');
    return s.slice(0, chars);
  }
}

/** Picks an index with probability proportional to its weight (cumulative table + binary search: O(log n) per pick). */
class Weighted {
  readonly #cumulative: Float64Array;
  constructor(weights: number[]) {
    this.#cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => (this.#cumulative[i] = sum += w));
  }
  pick(rng: Rng): number {
    const c = this.#cumulative;
    const r = rng.next() * c[c.length - 1]!;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

interface Domain {
  name: string;
  ip: string;
  /** Leaf and intermediate certificate fingerprints (one certificate per domain, as on the real web). */
  certs: [string, string];
}

const UID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CIPHERS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const CIPHERS12 = ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'];

export async function generateTraffic(options: {
  file: string;
  lines: number;
  seed?: number;
}): Promise<GeneratedTraffic> {
  const seed = options.seed ?? 1;
  const rng = new Rng(seed);
  const intermediates = Array.from({ length: 6 }, () => rng.hex(64));
  const domain = (name: string): Domain => ({
    name,
    ip: `${1 + rng.int(222)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`,
    certs: [rng.hex(64), rng.pick(intermediates)],
  });

  // Ordinary destinations: popular sites, then a long tail of tenants and CDN hosts; Zipf-like popularity.
  const ordinary: Domain[] = POPULAR.map(domain);
  for (let i = 0; i < 1500; i++)
    ordinary.push(domain(i % 3 === 0 ? `d${rng.hex(10)}.${rng.pick(CDN)}` : `tenant${i}.${rng.pick(SAAS)}`));
  const ordinaryPick = new Weighted(ordinary.map((_, i) => 1 / (i + 3)));
  const decoys = DECOYS.map(domain);
  const llm = LLM_ENDPOINTS.map(([name, provider]) => ({ ...domain(name), provider }));

  // Clients: ordinary desktops and servers, then the planted hosts (which also browse like everyone else).
  const clients = Array.from({ length: ORDINARY_CLIENTS }, (_, i) => `10.20.${Math.floor(i / 250)}.${(i % 250) + 2}`);
  const planted = Array.from({ length: PLANTED_HOSTS }, (_, k) => ({
    ip: `10.99.0.${k + 10}`,
    // Each planted host talks to one or two LLM endpoints.
    endpoints: [...new Set([rng.int(llm.length), rng.next() < 0.3 ? rng.int(llm.length) : -1])].filter((e) => e >= 0),
  }));
  clients.push(...planted.map((p) => p.ip));
  const clientPick = new Weighted(clients.map(() => 0.2 + rng.next() * rng.next() * 5)); // a few chatty hosts
  const plantedPick = new Weighted(planted.map(() => 0.5 + rng.next() * 4));

  const tally = new Map<
    string,
    { count: number; first: string; last: string; platform: string; endpoints: Set<string>; providers: Set<string> }
  >();
  const uid = () => {
    let s = 'C';
    for (let i = 0; i < 17; i++) s += UID_ALPHABET[rng.int(62)];
    return s;
  };
  const record = (ts: number, client: string, d: Domain | undefined): Record<string, unknown> => {
    const tls13 = rng.next() < 0.8;
    const resumed = rng.next() < 0.25;
    const established = rng.next() < 0.99;
    const r: Record<string, unknown> = {
      ts,
      uid: uid(),
      'id.orig_h': client,
      'id.orig_p': 49152 + rng.int(16384),
      'id.resp_h': d?.ip ?? `${1 + rng.int(222)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`,
      'id.resp_p': 443,
      version: tls13 ? 'TLSv13' : 'TLSv12',
      cipher: tls13 ? rng.pick(CIPHERS13) : rng.pick(CIPHERS12),
      curve: rng.next() < 0.85 ? 'x25519' : 'secp256r1',
    };
    // Zeek leaves out unset fields; ~4 % of connections carry no SNI at all.
    if (d) r.server_name = d.name;
    r.resumed = resumed;
    r.established = established;
    r.ssl_history = resumed ? 'CsiI' : tls13 ? 'CsiI' : 'CsxiIhjj';
    if (!resumed && established && !tls13) {
      r.cert_chain_fps = d?.certs ?? [];
      r.client_cert_chain_fps = [];
      r.sni_matches_cert = Boolean(d);
    }
    return r;
  };

  const out = createWriteStream(options.file);
  let batch: string[] = [];
  let bytes = 0;
  const flush = async (extra?: Buffer) => {
    const chunks: Array<string | Buffer> = batch.length ? [batch.join('')] : [];
    if (extra) chunks.push(extra);
    batch = [];
    for (const chunk of chunks) {
      bytes += Buffer.byteLength(chunk);
      // Backpressure: wait for the file to catch up instead of queueing the whole log in memory.
      if (!out.write(chunk)) await once(out, 'drain');
    }
  };

  let t = START_SECONDS;
  const meanGap = 86_400 / Math.max(1, options.lines);
  let llmLines = 0;
  let decoyLines = 0;
  let malformed = 0;
  for (let i = 0; i < options.lines; i++) {
    // Exponential gaps, rounded to microseconds as Zeek writes them, strictly increasing.
    t = Math.max(t + 1e-6, Math.round((t - meanGap * Math.log(1 - rng.next())) * 1e6) / 1e6);
    if (i % MALFORMED_EVERY === MALFORMED_EVERY / 2) {
      malformed++;
      const bad = malformedLine(malformed, record(t, rng.pick(planted).ip, llm[0]));
      if (typeof bad === 'string') batch.push(bad);
      else await flush(bad);
    } else {
      const u = rng.next();
      let client: string;
      let d: Domain | undefined;
      if (u < LLM_SHARE) {
        const p = planted[plantedPick.pick(rng)]!;
        const e = llm[rng.pick(p.endpoints)]!;
        client = p.ip;
        d = e;
        llmLines++;
        const iso = new Date(t * 1000).toISOString();
        const fp = `net:${client}`;
        const seen = tally.get(fp) ?? {
          count: 0,
          first: iso,
          last: iso,
          platform: e.provider,
          endpoints: new Set(),
          providers: new Set(),
        };
        seen.count++;
        seen.last = iso;
        seen.platform = e.provider; // the latest observation names the platform
        seen.endpoints.add(e.name);
        seen.providers.add(e.provider);
        tally.set(fp, seen);
      } else {
        client = clients[clientPick.pick(rng)]!;
        if (u < LLM_SHARE + DECOY_SHARE) {
          d = rng.pick(decoys);
          decoyLines++;
        } else d = rng.next() < 0.04 ? undefined : ordinary[ordinaryPick.pick(rng)]!;
      }
      batch.push(JSON.stringify(record(t, client, d)) + '\n');
    }
    if (batch.length >= 256) await flush();
  }
  await flush();
  out.end();
  await finished(out);

  const expected: ExpectedFinding[] = [...tally.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([fingerprint, s]) => ({
      fingerprint,
      kind: 'llm-egress',
      platform: s.platform,
      count: s.count,
      firstSeen: s.first,
      lastSeen: s.last,
      endpoints: [...s.endpoints].sort(),
      providers: [...s.providers].sort(),
    }));
  return {
    file: options.file,
    seed,
    lines: options.lines,
    bytes,
    llmLines,
    decoyLines,
    malformed,
    clientHosts: clients.length,
    plantedHosts: PLANTED_HOSTS,
    expected,
  };
}

/** The n-th malformed line: a record that would be a finding if the scanner accepted it. */
function malformedLine(n: number, r: Record<string, unknown>): string | Buffer {
  switch (n % 7) {
    case 0:
      return JSON.stringify(r).slice(0, -12) + '\n'; // truncated (a log rotated mid-write)
    case 1:
      return JSON.stringify({ ...r, ts: 'yesterday' }) + '\n';
    case 2:
      return JSON.stringify({ ...r, 'id.orig_h': undefined }) + '\n'; // no client
    case 3:
      return JSON.stringify({ ...r, 'id.orig_h': 'not a host!' }) + '\n';
    case 4:
      return JSON.stringify([r]) + '\n'; // valid JSON, not a record
    case 5:
      return Buffer.concat([
        Buffer.from(JSON.stringify(r).slice(0, -1) + ',"x":"caf'),
        Buffer.from([0xe9, 0xff]),
        Buffer.from('"}\n'),
      ]); // invalid UTF-8
    default:
      return JSON.stringify({ ...r, pad: 'A'.repeat(70 * 1024) }) + '\n'; // over the default 64 KiB line limit
  }
}

// ------------------------------------------------------------------------------------------------ CLI

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const file = arg('--out');
  if (!file) {
    process.stderr.write('usage: tsx bench/discovery/generate-traffic.ts --lines N [--seed S] --out FILE\n');
    process.exit(2);
  }
  const g = await generateTraffic({ file, lines: Number(arg('--lines') ?? 100_000), seed: Number(arg('--seed') ?? 1) });
  process.stderr.write(
    `wrote ${g.lines} lines (${g.bytes} bytes, ${g.llmLines} to LLM endpoints from ${g.expected.length} planted hosts, ${g.malformed} malformed) to ${file}\n`,
  );
}
