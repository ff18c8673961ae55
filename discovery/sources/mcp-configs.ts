/**
 * MCP client configurations collected from endpoints into a tree laid out as `<root>/<host>/<user>/<path>`
 * (the path as it is under the user's home directory). mcp-clients.ts lists the clients, their files and
 * formats (JSON with comments, YAML for Continue, TOML for the Codex CLI) and maps each to one server shape.
 *
 * Each file is read whole but capped at `limits.maxConfigBytes`. The walk is sorted, so the cursor (the last
 * finished file) resumes exactly.
 * Environment variable values and header values are never read into evidence: only their names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { canonicalHost, ownerEmailFor, type DiscoveryConfig } from '../config.js';
import { errorMessage, parseTime, ScanState } from '../progress.js';
import { redactArgs, redactText } from '../redact.js';
import type { ProgressCallback, ScanResult, SourceProgress } from '../types.js';
import type { Finding } from '../../domain/discovery.js';
import { mcpFingerprint, mcpServerId, mcpUrlId, redactUrlPath } from './endpoint.js';
import {
  mcpConfigKind,
  normaliseServer,
  parseConfigText,
  serverEntries,
  type McpClient,
  type McpConfigKind,
} from './mcp-clients.js';

export { mcpConfigKind, stripJsonComments, type McpClient } from './mcp-clients.js';

export interface McpConfigInput {
  root: string;
  /** Observation time of the collected files; defaults to each file's mtime. */
  observedAt?: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

function compareSegments(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return a.length - b.length;
}

/** Files under `root` in sorted depth-first order, after `after` (exclusive); no symlinks, bounded depth. */
async function* walk(
  root: string,
  dir: string[],
  after: readonly string[] | undefined,
  state: ScanState,
  maxDepth: number,
): AsyncGenerator<string[]> {
  if (dir.length > maxDepth) {
    state.progress.skipped++;
    return;
  }
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(path.join(root, ...dir), { withFileTypes: true });
  } catch (err) {
    state.error(`${path.join(root, ...dir)}: ${errorMessage(err)}`);
    return;
  }
  entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  for (const e of entries) {
    const rel = [...dir, e.name];
    if (after) {
      // Skip what sorts before the cursor; a directory on the cursor's path is entered.
      const prefix = after.slice(0, rel.length);
      const cmp = compareSegments(rel, prefix);
      if (cmp < 0 || (cmp === 0 && !(e.isDirectory() && rel.length < after.length))) continue;
    }
    if (e.isSymbolicLink()) {
      state.progress.skipped++;
      continue;
    }
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name)) continue;
      const onPath = after && compareSegments(rel, after.slice(0, rel.length)) === 0;
      yield* walk(root, rel, onPath ? after : undefined, state, maxDepth);
    } else if (e.isFile()) yield rel;
  }
}

function decodeCursor(cursor: string, state: ScanState): string[] | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(cursor) as unknown;
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  } catch {
    // fall through
  }
  state.error(`unreadable resume cursor ${JSON.stringify(cursor.slice(0, 80))}; starting from the beginning`);
  return undefined;
}

export async function scanMcpConfigs(
  input: McpConfigInput,
  config: DiscoveryConfig,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
): Promise<ScanResult> {
  const state = new ScanState(resumeFrom, config, onProgress);
  if (state.progress.done) return { findings: [], progress: state.snapshot() };
  const after = decodeCursor(state.progress.cursor, state);
  const decoder = new TextDecoder('utf-8', { fatal: true });

  for await (const rel of walk(input.root, [], after, state, config.limits.maxDepth)) {
    const cursor = JSON.stringify(rel);
    const kind = rel.length >= 3 ? mcpConfigKind(rel.slice(2)) : undefined;
    if (!kind) {
      state.progress.skipped++;
      await state.checkpoint(cursor);
      continue;
    }
    const file = path.join(input.root, ...rel);
    const relPath = rel.slice(2).join('/');
    const host = canonicalHost(config, rel[0]!);
    const user = rel[1]!;
    const owner = ownerEmailFor(config, user);
    state.progress.read++;
    const doc = await readConfig(file, kind, config, decoder, state);
    const entries = doc && serverEntries(kind, doc.json);
    if (!doc || !entries || typeof entries === 'string') {
      state.progress.malformed++;
      if (typeof entries === 'string') state.error(`${relPath} on ${host}/${user}: ${entries}`);
      await state.checkpoint(cursor, true);
      continue;
    }
    const time = parseTime(input.observedAt) ?? doc.mtime;
    // VS Code's `inputs` sit beside `servers` (mcp.json) or inside `mcp` (user settings.json).
    const inputs = doc.json.inputs ?? (doc.json.mcp as { inputs?: unknown } | undefined)?.inputs;
    const inputIds = new Set(
      Array.isArray(inputs)
        ? (inputs as unknown[]).flatMap((i) =>
            i && typeof i === 'object' && typeof (i as { id?: unknown }).id === 'string'
              ? [(i as { id: string }).id]
              : [],
          )
        : [],
    );
    for (const entry of entries) {
      state.progress.read++;
      const raw = normaliseServer(kind.client, kind.layout, entry.raw);
      const finding =
        raw === 'ignored'
          ? 'ignored'
          : serverFinding(config, {
              name: entry.name,
              raw,
              client: kind.client,
              relPath,
              project: entry.project,
              host,
              user,
              owner,
              time,
              inputIds,
            });
      if (finding === 'malformed') state.progress.malformed++;
      else if (finding === 'ignored') state.progress.skipped++;
      else state.add(finding);
    }
    await state.checkpoint(cursor, true);
  }
  return state.finish(JSON.stringify(['\uffff']));
}

async function readConfig(
  file: string,
  kind: McpConfigKind,
  config: DiscoveryConfig,
  decoder: { decode(bytes: Uint8Array): string },
  state: ScanState,
): Promise<{ json: Record<string, unknown>; mtime: string } | undefined> {
  try {
    const stat = await fs.promises.stat(file);
    if (stat.size > config.limits.maxConfigBytes) {
      state.error(`${file}: larger than ${config.limits.maxConfigBytes} bytes`);
      return undefined;
    }
    const bytes = await fs.promises.readFile(file);
    let text = decoder.decode(bytes);
    if (text.startsWith('\uFEFF')) text = text.slice(1);
    return { json: parseConfigText(text, kind.format), mtime: new Date(stat.mtimeMs).toISOString() };
  } catch (err) {
    const msg = err instanceof TypeError && /decode|encoded/i.test(err.message) ? 'not valid UTF-8' : errorMessage(err);
    // Parsers quote the offending line, which may hold a secret: keep the first line, redacted.
    state.error(`${file}: ${redactText(msg.split('\n')[0] ?? '').slice(0, 200)}`);
    return undefined;
  }
}

interface ServerContext {
  name: string;
  raw: unknown;
  client: McpClient;
  relPath: string;
  project?: string;
  host: string;
  user: string;
  owner: string | undefined;
  time: string;
  inputIds: Set<string>;
}

function serverFinding(config: DiscoveryConfig, c: ServerContext): Finding | 'malformed' | 'ignored' {
  if (!c.raw || typeof c.raw !== 'object' || Array.isArray(c.raw) || c.name.length === 0 || c.name.length > 200)
    return 'malformed';
  const s = c.raw as Record<string, unknown>;
  if (s.disabled === true) return 'ignored';
  const args = s.args === undefined ? [] : s.args;
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) return 'malformed';
  let id: string | undefined;
  let transport: string;
  let commandLine: string | undefined;
  if (typeof s.command === 'string' && s.command.trim()) {
    id = mcpServerId(s.command, args as string[]);
    transport = 'stdio';
    commandLine = redactArgs([s.command, ...(args as string[])])
      .join(' ')
      .slice(0, 300);
  } else if (typeof s.url === 'string') {
    id = mcpUrlId(s.url);
    transport = typeof s.type === 'string' ? s.type : 'http';
  } else return 'malformed';
  if (!id) return 'malformed';
  if (config.ignore.mcpServerIds.includes(id)) return 'ignored';

  const evidence: Record<string, string> = {
    serverId: id,
    serverName: c.name.slice(0, 120),
    clients: c.client,
    configFiles: c.relPath.replaceAll(', ', ' '),
    transport,
    logs: 'mcp-config',
  };
  if (c.project) evidence.project = redactText(c.project).slice(0, 200);
  if (commandLine) evidence.commandLine = commandLine;
  if (typeof s.url === 'string') evidence.url = redactedUrl(s.url);
  if (s.env && typeof s.env === 'object' && !Array.isArray(s.env)) {
    const keys = Object.keys(s.env);
    if (keys.length) evidence.envKeys = keys.join(', ');
  }
  if (s.headers && typeof s.headers === 'object' && !Array.isArray(s.headers)) {
    const keys = Object.keys(s.headers);
    if (keys.length) evidence.headerKeys = keys.join(', ');
  }
  const referenced = [...JSON.stringify(s).matchAll(/\$\{input:([^}]+)\}/g)]
    .map((m) => m[1]!)
    .filter((i) => c.inputIds.has(i));
  if (referenced.length) evidence.inputs = [...new Set(referenced)].join(', ');

  const finding: Finding = {
    source: 'ENDPOINT',
    kind: 'mcp-server',
    fingerprint: mcpFingerprint(c.host, c.user, id),
    agentName: c.name.slice(0, 120),
    platform: 'mcp',
    host: c.host,
    user: c.user,
    evidence,
    firstSeen: c.time,
    lastSeen: c.time,
    count: 1,
  };
  if (c.owner) finding.proposedOwnerEmail = c.owner;
  return finding;
}

/** The URL without its query, with credentials and key-like path segments redacted. */
function redactedUrl(url: string): string {
  const bare = url.split('?')[0] ?? '';
  try {
    const u = new URL(bare);
    return redactText(`${u.protocol}//${u.host}`) + redactUrlPath(u.pathname);
  } catch {
    return redactText(bare).slice(0, 200);
  }
}
