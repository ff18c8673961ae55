/**
 * osquery results for `chrome_extensions`, `firefox_addons` and `processes`, in either form:
 *
 * - an array of rows, as `osqueryi --json "SELECT …"` prints it (streamed element by element), with the
 *   host given per file (`files[].host`) or as a `hostIdentifier` / `hostname` column;
 * - osqueryd's results log, one JSON object per line: differential (`{name, hostIdentifier, unixTime,
 *   columns, action: "added"|"removed"}`), snapshot (`{…, snapshot: [rows], action: "snapshot"}`) or
 *   batched (`{…, diffResults: {added: [], removed: []}}`).
 *
 * The table comes from `files[].table`, else the query name (`pack_ai_chrome_extensions` → chrome_extensions),
 * else the row's columns. User names come from a `username` column (join `users` on uid), else the
 * home directory in a path column, else `uid:<n>`.
 */
import fs from 'node:fs';
import { canonicalHost, matchPatternRules, ownerEmailFor, patternRegExp, type DiscoveryConfig } from '../config.js';
import { readJsonArrayElements } from '../lines.js';
import {
  decodeFileCursor,
  encodeFileCursor,
  errorMessage,
  parseObject,
  parseTime,
  ScanState,
  scanLineFile,
  str,
  type LineOutcome,
} from '../progress.js';
import { redactArgs, splitCommandLine } from '../redact.js';
import type { ProgressCallback, ScanResult, SourceProgress } from '../types.js';
import type { Finding } from '../../domain/discovery.js';
import { mcpFingerprint, mcpServerId, serverDisplayName, userFromPath } from './endpoint.js';

export type OsqueryTable = 'chrome_extensions' | 'firefox_addons' | 'processes';

export interface OsqueryFile {
  path: string;
  /** Host of every row in this file (array form without a host column). */
  host?: string;
  table?: OsqueryTable;
  /** Observation time for rows that carry none (array form); defaults to the file's mtime. */
  observedAt?: string;
}

export interface OsqueryInput {
  files: Array<string | OsqueryFile>;
}

type Row = Record<string, unknown>;

interface RowContext {
  host: string;
  time: string;
  table: OsqueryTable;
  file: string;
}

const TABLES: OsqueryTable[] = ['chrome_extensions', 'firefox_addons', 'processes'];

function tableFromName(name: string | undefined): OsqueryTable | undefined {
  return name ? TABLES.find((t) => name.toLowerCase().includes(t)) : undefined;
}

function tableFromColumns(row: Row): OsqueryTable | undefined {
  if ('cmdline' in row && 'pid' in row) return 'processes';
  if ('identifier' in row && ('browser_type' in row || 'permissions' in row || 'profile_path' in row))
    return 'chrome_extensions';
  if ('identifier' in row && ('creator' in row || 'source_url' in row || 'visible' in row)) return 'firefox_addons';
  return undefined;
}

function rowUser(row: Row, ...pathColumns: string[]): string | undefined {
  const named = str(row.username) ?? str(row.user);
  if (named && named.trim()) return named.trim();
  for (const c of pathColumns) {
    const u = userFromPath(str(row[c]));
    if (u) return u;
  }
  const uid = str(row.uid);
  return uid && /^\d+$/.test(uid) ? `uid:${uid}` : undefined;
}

function splitList(value: string | undefined): string[] {
  return value
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];
}

/** One row → at most one finding. Returns 'malformed' for rows of the right table that make no sense. */
export function osqueryRowFinding(
  config: DiscoveryConfig,
  ctx: RowContext,
  row: Row,
): Finding | 'malformed' | undefined {
  const host = canonicalHost(config, ctx.host);
  if (ctx.table === 'processes') {
    const cmdline = str(row.cmdline) ?? '';
    const exe = str(row.path) ?? '';
    const pid = str(row.pid);
    if (!pid || !/^\d+$/.test(pid)) return 'malformed';
    const argv = cmdline.trim() ? splitCommandLine(cmdline) : exe ? [exe] : [];
    if (argv.length === 0) return undefined;
    const text = argv.join(' ');
    const user = rowUser(row, 'cwd', 'path') ?? 'unknown';
    const owner = ownerEmailFor(config, user);
    const commandLine = redactArgs(argv).join(' ').slice(0, 300);
    const base = { source: 'ENDPOINT' as const, host, user, firstSeen: ctx.time, lastSeen: ctx.time, count: 1 };
    if (config.mcpServerPatterns.some((p) => patternRegExp(p).test(text))) {
      const id = mcpServerId(argv[0]!, argv.slice(1));
      if (id && !config.ignore.mcpServerIds.includes(id)) {
        const f: Finding = {
          ...base,
          kind: 'mcp-server',
          fingerprint: mcpFingerprint(host, user, id),
          agentName: serverDisplayName(id),
          platform: 'mcp',
          evidence: { serverId: id, commandLine, pids: pid, logs: `osquery-${ctx.table}` },
        };
        if (owner) f.proposedOwnerEmail = owner;
        return f;
      }
      if (id) return undefined;
    }
    const runtime = matchPatternRules(config.agentRuntimes, text)[0];
    if (!runtime) return undefined;
    const f: Finding = {
      ...base,
      kind: 'agent-process',
      fingerprint: `agent:${host}:${user}:${runtime.id}`,
      agentName: `${runtime.id} on ${host}`,
      platform: runtime.id,
      evidence: { runtime: runtime.id, commandLine, pids: pid, logs: `osquery-${ctx.table}` },
    };
    if (owner) f.proposedOwnerEmail = owner;
    return f;
  }

  // Browser extensions.
  const identifier = str(row.identifier)?.trim();
  const name = str(row.name)?.trim() ?? '';
  if (!identifier || identifier.length > 256) return 'malformed';
  if (ctx.table === 'firefox_addons') {
    const type = str(row.type);
    if (type && type !== 'extension') return undefined; // themes, dictionaries, locales
  }
  if (config.ignore.extensionIds.some((id) => id.toLowerCase() === identifier.toLowerCase())) return undefined;
  const known = config.aiExtensions.ids.find((k) => k.id.toLowerCase() === identifier.toLowerCase());
  const nameMatches =
    !name.startsWith('__MSG_') && config.aiExtensions.namePatterns.some((p) => patternRegExp(p).test(name));
  if (!known && !nameMatches) return undefined;
  const browser = ctx.table === 'firefox_addons' ? 'firefox' : str(row.browser_type)?.toLowerCase() || 'chrome';
  const user = rowUser(row, 'path', 'profile_path') ?? 'unknown';
  const perms = [...splitList(str(row.permissions)), ...splitList(str(row.optional_permissions))];
  const agentic = perms.filter((p) => config.aiExtensions.agenticPermissions.includes(p));
  const displayName = name && !name.startsWith('__MSG_') ? name : (known?.name ?? identifier);
  const evidence: Record<string, string> = {
    extensionId: identifier,
    extensionName: displayName.slice(0, 120),
    browser,
    match: known ? 'known-id' : 'name',
    logs: `osquery-${ctx.table}`,
  };
  const version = str(row.version);
  if (version) evidence.version = version.slice(0, 40);
  if (agentic.length) {
    evidence.permissions = agentic.join(', ');
    evidence.agentic = 'true';
  }
  const profile = str(row.profile) ?? str(row.profile_path)?.split(/[\\/]/).pop();
  if (profile) evidence.profiles = profile.replaceAll(', ', ' ').slice(0, 80);
  const f: Finding = {
    source: 'BROWSER',
    kind: 'ai-extension',
    fingerprint: `browser:${host}:${user}:${browser}:${identifier.toLowerCase()}`,
    agentName: displayName.slice(0, 120),
    platform: `${browser}-extension`,
    host,
    user,
    evidence,
    firstSeen: ctx.time,
    lastSeen: ctx.time,
    count: 1,
  };
  const owner = ownerEmailFor(config, user);
  if (owner) f.proposedOwnerEmail = owner;
  return f;
}

async function firstByte(path: string): Promise<number | undefined> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    let i = 0;
    if (bytesRead >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
    for (; i < bytesRead; i++) if (![0x20, 0x0a, 0x0d, 0x09].includes(buf[i]!)) return buf[i];
    return undefined;
  } finally {
    await handle.close();
  }
}

export async function scanOsquery(
  input: OsqueryInput,
  config: DiscoveryConfig,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
): Promise<ScanResult> {
  const state = new ScanState(resumeFrom, config, onProgress);
  if (state.progress.done) return { findings: [], progress: state.snapshot() };
  const files: OsqueryFile[] = input.files.map((f) => (typeof f === 'string' ? { path: f } : f));
  const start = decodeFileCursor(state.progress.cursor, state);

  for (let i = start.file; i < files.length; i++) {
    const file = files[i]!;
    const offset = i === start.file ? start.offset : 0;
    let observed: string | undefined;
    const fallbackTime = async (): Promise<string> =>
      (observed ??= parseTime(file.observedAt) ?? new Date((await fs.promises.stat(file.path)).mtimeMs).toISOString());
    const handleRow = (
      row: unknown,
      host: string | undefined,
      time: string,
      queryName: string | undefined,
    ): LineOutcome => {
      if (row === null || typeof row !== 'object' || Array.isArray(row)) return 'malformed';
      const r = row as Row;
      const table = file.table ?? tableFromName(queryName) ?? tableFromColumns(r);
      const rowHost = host ?? str(r.hostIdentifier) ?? str(r.host_identifier) ?? str(r.hostname) ?? file.host;
      if (!table || !rowHost || !/^[A-Za-z0-9._:-]{1,253}$/.test(rowHost)) return 'malformed';
      const finding = osqueryRowFinding(config, { host: rowHost, time, table, file: file.path }, r);
      if (finding === 'malformed') return 'malformed';
      if (finding) state.add(finding);
      return 'ok';
    };

    try {
      const first = await firstByte(file.path);
      if (first === 0x5b) {
        // Array form, streamed element by element.
        const time = await fallbackTime();
        for await (const ev of readJsonArrayElements(file.path, {
          start: offset,
          maxBytes: config.limits.maxLineBytes,
        })) {
          if (ev.kind === 'end') break; // anything after the closing ']' is ignored
          state.progress.read++;
          if (ev.kind === 'malformed') {
            state.progress.malformed++;
            if (ev.reason === 'truncated' || ev.reason === 'syntax')
              state.error(`${file.path}: ${ev.reason} JSON array at byte ${ev.start}`);
          } else {
            let value: unknown;
            try {
              value = JSON.parse(ev.text);
            } catch {
              value = undefined;
            }
            const outcome = value === undefined ? 'malformed' : handleRow(value, undefined, time, undefined);
            if (outcome === 'malformed') state.progress.malformed++;
            else if (outcome === 'skipped') state.progress.skipped++;
          }
          await state.checkpoint(encodeFileCursor({ file: i, offset: ev.end }));
        }
      } else {
        // Results log: one JSON object per line.
        const fallback = await fallbackTime();
        await scanLineFile(file.path, i, offset, state, config, (text): LineOutcome => {
          const rec = parseObject(text);
          if (!rec) return 'malformed';
          const host = str(rec.hostIdentifier) ?? str((rec.decorations as Row | undefined)?.hostname);
          const queryName = str(rec.name);
          const time = parseTime(rec.unixTime) ?? parseCalendarTime(str(rec.calendarTime)) ?? fallback;
          if (!host) return 'malformed';
          const action = str(rec.action);
          if (action === 'removed') return 'skipped';
          if (rec.columns !== undefined && (action === 'added' || action === undefined))
            return handleRow(rec.columns, host, time, queryName);
          const rows = Array.isArray(rec.snapshot)
            ? rec.snapshot
            : rec.diffResults && typeof rec.diffResults === 'object' && Array.isArray((rec.diffResults as Row).added)
              ? ((rec.diffResults as Row).added as unknown[])
              : undefined;
          if (!rows) return 'malformed';
          let bad = 0;
          for (const row of rows) if (handleRow(row, host, time, queryName) === 'malformed') bad++;
          return bad > 0 && bad === rows.length ? 'malformed' : 'ok';
        });
      }
    } catch (err) {
      state.error(`${file.path}: ${errorMessage(err)}`);
    }
    if (i + 1 < files.length) await state.checkpoint(encodeFileCursor({ file: i + 1, offset: 0 }), true);
  }
  return state.finish(encodeFileCursor({ file: files.length, offset: 0 }));
}

/** osquery's `calendarTime`: `Tue May  7 10:00:00 2024 UTC`. */
function parseCalendarTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^\w{3} (\w{3}) +(\d{1,2}) (\d{2}:\d{2}:\d{2}) (\d{4}) UTC$/.exec(value.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[2]} ${m[1]} ${m[4]} ${m[3]} UTC`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
