/**
 * Where each MCP client keeps its server definitions and how to read them: the file's path under the user's
 * home (or a project) says which client wrote it; each client's own shape is normalised here to one server
 * shape, `{ command, args, env } | { url, type, headers }` (+ `disabled`), so mcp-configs.ts identifies,
 * redacts and reports every client alike. Locations and formats are the clients' documented ones
 * (test/fixtures/discovery/README.md cites the documentation for each):
 *
 *   Claude Desktop  …/Claude/claude_desktop_config.json                      mcpServers
 *   Claude Code     ~/.claude.json  mcpServers + projects.<path>.mcpServers;  .mcp.json (project)  mcpServers
 *   Cursor          .cursor/mcp.json                                          mcpServers
 *   VS Code         .vscode/mcp.json, Code/User/mcp.json  servers;  Code/User/settings.json  mcp.servers (JSONC)
 *   Windsurf        .codeium/windsurf/mcp_config.json                         mcpServers (remote: serverUrl)
 *   Cline           …/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json   mcpServers
 *   Roo Code        …/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json, .roo/mcp.json
 *   Continue        .continue/config.yaml, .continue/mcpServers/*.yaml  mcpServers: [ { name, … } ]
 *                   .continue/config.json  experimental.modelContextProtocolServers: [ { transport } ]
 *   Zed             .config/zed/settings.json, .zed/settings.json  context_servers (JSONC)
 *   Gemini CLI      .gemini/settings.json                                     mcpServers (remote: httpUrl | url)
 *   Codex CLI       .codex/config.toml                                        [mcp_servers.<name>] (TOML)
 *
 * JetBrains AI Assistant is configured in the IDE's settings dialog; its documentation names no file, so it
 * is not read here.
 */
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

export type McpClient =
  | 'claude-desktop'
  | 'claude-code'
  | 'cursor'
  | 'vscode'
  | 'windsurf'
  | 'cline'
  | 'roo-code'
  | 'continue'
  | 'zed'
  | 'gemini-cli'
  | 'codex';

type Layout =
  | 'mcpServers'
  | 'servers'
  | 'claude-user'
  | 'vscode-settings'
  | 'continue-list'
  | 'continue-json'
  | 'context_servers'
  | 'mcp_servers';

export interface McpConfigKind {
  client: McpClient;
  format: 'jsonc' | 'yaml' | 'toml';
  layout: Layout;
}

export interface ServerEntry {
  name: string;
  raw: unknown;
  /** The project a project-scoped entry belongs to (Claude Code's `projects.<path>`). */
  project?: string;
}

const VSCODE_DIRS = new Set(['Code', 'Code - Insiders', 'VSCodium']);
const EXTENSION_CLIENTS: Record<string, { client: McpClient; files: string[] }> = {
  'saoudrizwan.claude-dev': { client: 'cline', files: ['cline_mcp_settings.json'] },
  'rooveterinaryinc.roo-cline': { client: 'roo-code', files: ['mcp_settings.json', 'cline_mcp_settings.json'] },
};

/** Which client a file (path segments under `<host>/<user>/`) belongs to, and how to read it. */
export function mcpConfigKind(segments: readonly string[]): McpConfigKind | undefined {
  const at = (i: number) => segments[segments.length - i];
  const name = at(1)!;
  const parent = at(2);
  const json = (client: McpClient, layout: Layout = 'mcpServers'): McpConfigKind => ({
    client,
    format: 'jsonc',
    layout,
  });
  switch (name) {
    case 'claude_desktop_config.json':
      return json('claude-desktop');
    case '.mcp.json':
      return json('claude-code');
    case '.claude.json':
      return segments.length === 1 ? json('claude-code', 'claude-user') : undefined;
    case 'mcp.json':
      if (parent === '.cursor') return json('cursor');
      if (parent === '.roo') return json('roo-code');
      if (parent === '.vscode' || (parent === 'User' && VSCODE_DIRS.has(at(3) ?? ''))) return json('vscode', 'servers');
      return undefined;
    case 'settings.json':
      if (parent === 'User' && VSCODE_DIRS.has(at(3) ?? '')) return json('vscode', 'vscode-settings');
      if ((parent === 'zed' && at(3) === '.config') || parent === '.zed') return json('zed', 'context_servers');
      if (parent === '.gemini') return json('gemini-cli');
      return undefined;
    case 'mcp_config.json':
      return parent === 'windsurf' && at(3) === '.codeium' ? json('windsurf') : undefined;
    case 'config.yaml':
      return parent === '.continue' ? { client: 'continue', format: 'yaml', layout: 'continue-list' } : undefined;
    case 'config.json':
      return parent === '.continue' ? json('continue', 'continue-json') : undefined;
    case 'config.toml':
      return parent === '.codex' ? { client: 'codex', format: 'toml', layout: 'mcp_servers' } : undefined;
  }
  if (/\.ya?ml$/.test(name) && parent === 'mcpServers' && at(3) === '.continue') {
    return { client: 'continue', format: 'yaml', layout: 'continue-list' };
  }
  const ext = EXTENSION_CLIENTS[(at(3) ?? '').toLowerCase()];
  if (ext && parent === 'settings' && at(4) === 'globalStorage' && ext.files.includes(name)) return json(ext.client);
  return undefined;
}

/** Removes `//` and `/* *\/` comments and trailing commas outside strings (JSONC → JSON). */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** The file's top-level object; throws on a syntax error or a document that is not a mapping. */
export function parseConfigText(text: string, format: McpConfigKind['format']): Record<string, unknown> {
  const value: unknown =
    format === 'toml'
      ? parseToml(text)
      : format === 'yaml'
        ? parseYaml(text, { maxAliasCount: 100 })
        : JSON.parse(stripJsonComments(text));
  if (!isObject(value)) throw new Error(`not a ${format === 'jsonc' ? 'JSON' : format.toUpperCase()} object`);
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function entriesOf(map: unknown, where: string, project?: string): ServerEntry[] | string {
  if (map === undefined) return [];
  if (!isObject(map)) return `"${where}" is not an object`;
  return Object.entries(map).map(([name, raw]) => (project === undefined ? { name, raw } : { name, raw, project }));
}

function listEntries(
  list: unknown,
  where: string,
  nameOf: (item: unknown, i: number) => string,
): ServerEntry[] | string {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return `"${where}" is not a list`;
  return list.map((raw, i) => ({ name: nameOf(raw, i), raw }));
}

/** The server entries of a parsed file, or why its shape is wrong (the file then counts as malformed). */
export function serverEntries(kind: McpConfigKind, doc: Record<string, unknown>): ServerEntry[] | string {
  switch (kind.layout) {
    case 'mcpServers':
      return entriesOf(doc.mcpServers, 'mcpServers');
    case 'servers':
      return entriesOf(doc.servers ?? doc.mcpServers, doc.servers === undefined ? 'mcpServers' : 'servers');
    case 'context_servers':
      return entriesOf(doc.context_servers, 'context_servers');
    case 'mcp_servers':
      return entriesOf(doc.mcp_servers, 'mcp_servers');
    case 'vscode-settings':
      if (doc.mcp === undefined) return [];
      return isObject(doc.mcp) ? entriesOf(doc.mcp.servers, 'mcp.servers') : '"mcp" is not an object';
    case 'claude-user': {
      const user = entriesOf(doc.mcpServers, 'mcpServers');
      if (typeof user === 'string') return user;
      if (doc.projects === undefined) return user;
      if (!isObject(doc.projects)) return '"projects" is not an object';
      const all = [...user];
      for (const [project, settings] of Object.entries(doc.projects)) {
        if (!isObject(settings)) return `"projects.${project.slice(0, 80)}" is not an object`;
        const scoped = entriesOf(settings.mcpServers, `projects.${project.slice(0, 80)}.mcpServers`, project);
        if (typeof scoped === 'string') return scoped;
        all.push(...scoped);
      }
      return all;
    }
    case 'continue-list':
      return listEntries(doc.mcpServers, 'mcpServers', (item, i) =>
        isObject(item) && typeof item.name === 'string' ? item.name : `mcpServers[${i}]`,
      );
    case 'continue-json': {
      if (doc.experimental === undefined) return [];
      if (!isObject(doc.experimental)) return '"experimental" is not an object';
      return listEntries(
        doc.experimental.modelContextProtocolServers,
        'experimental.modelContextProtocolServers',
        (item, i) =>
          isObject(item) && typeof item.name === 'string' ? item.name : `modelContextProtocolServers[${i}]`,
      );
    }
  }
}

/**
 * One client's server entry in the common shape, `'ignored'` for an entry that launches nothing we can
 * identify by design (a Zed extension's server, a Continue hub reference), or the raw value unchanged when
 * it is not an object (the caller counts it as malformed).
 */
export function normaliseServer(client: McpClient, layout: Layout, raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const s: Record<string, unknown> = { ...raw };
  switch (client) {
    case 'windsurf':
      if (s.url === undefined && typeof s.serverUrl === 'string') s.url = s.serverUrl;
      break;
    case 'gemini-cli':
      if (typeof s.httpUrl === 'string') {
        s.url = s.httpUrl;
        s.type = 'http';
      } else if (typeof s.url === 'string' && s.type === undefined) s.type = 'sse';
      break;
    case 'zed':
      // Older Zed settings nest the launch under `command: { path, args, env }`.
      if (isObject(s.command)) {
        const c = s.command;
        Object.assign(s, { command: c.path, args: c.args, env: c.env });
      }
      if (s.enabled === false) s.disabled = true;
      if (s.command === undefined && s.url === undefined && s.source === 'extension') return 'ignored';
      break;
    case 'codex':
      if (s.enabled === false) s.disabled = true;
      if (typeof s.url === 'string' && s.type === undefined) s.type = 'http';
      s.headers = headerNames(s.http_headers, s.env_http_headers);
      break;
    case 'continue':
      if (layout === 'continue-json') {
        if (!isObject(s.transport)) return raw;
        return { ...s.transport };
      }
      if (
        s.command === undefined &&
        s.url === undefined &&
        (typeof s.uses === 'string' || typeof s.namespace === 'string')
      )
        return 'ignored';
      break;
    default:
      break;
  }
  return s;
}

/** Codex's static and environment-sourced headers: only their names matter (values may be secrets). */
function headerNames(...maps: unknown[]): Record<string, true> | undefined {
  const names: Record<string, true> = {};
  for (const m of maps) if (isObject(m)) for (const k of Object.keys(m)) names[k] = true;
  return Object.keys(names).length ? names : undefined;
}
