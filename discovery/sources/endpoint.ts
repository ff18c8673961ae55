/**
 * Endpoint identity shared by MCP config files and osquery process rows, so the same MCP server seen in a
 * Claude Desktop config and as a running `npx`/`uvx` process on the same host and user is ONE finding:
 *
 *   fingerprint = mcp:<host>:<user>:<server id>
 *
 * The server id comes from how the server is launched, not from the (free-form) config key:
 *   npx / bunx / pnpm dlx / npm exec <pkg>       → npm:<package>          (version stripped)
 *   node …/node_modules/<pkg>/…                   → npm:<package>          (npx's child process)
 *   uvx / uv tool run / pipx run [--from] <pkg>   → pypi:<package>         (version, extras stripped)
 *   …/uv/…/bin/<name>, …/pipx/venvs/<pkg>/…       → pypi:<name|package>    (uvx's child process)
 *   docker / podman run … <image>                 → oci:<image>            (tag stripped)
 *   a remote server (url)                         → url:<host><path>
 *   anything else                                 → cmd:<executable base name> [<script path>]
 */
import path from 'node:path';
import { redactSecret, redactText } from '../redact.js';

const NPX = new Set(['npx', 'bunx', 'pnpx']);
const NODE = new Set(['node', 'nodejs', 'bun', 'deno', 'tsx', 'ts-node']);
const PY = new Set(['python', 'python3', 'py']);
const DOCKER_VALUE_FLAGS = new Set([
  '-e',
  '--env',
  '-v',
  '--volume',
  '--name',
  '-p',
  '--publish',
  '--network',
  '--net',
  '--mount',
  '-w',
  '--workdir',
  '--env-file',
  '-u',
  '--user',
  '--entrypoint',
  '-l',
  '--label',
  '--platform',
  '-h',
  '--hostname',
  '--add-host',
  '--pull',
]);

function base(cmd: string): string {
  return path.posix
    .basename(cmd.replaceAll('\\', '/'))
    .toLowerCase()
    .replace(/\.(exe|cmd|bat|ps1)$/, '');
}

function stripNpmVersion(spec: string): string {
  if (spec.startsWith('@')) {
    const at = spec.indexOf('@', 1);
    return at > 0 ? spec.slice(0, at) : spec;
  }
  const at = spec.indexOf('@');
  return at > 0 ? spec.slice(0, at) : spec;
}

function stripPypiVersion(spec: string): string {
  return spec.split(/[=<>~!@[; ]/)[0] ?? spec;
}

/** First positional argument, skipping flags (and the values of `valueFlags`). */
function firstPositional(
  args: readonly string[],
  valueFlags: ReadonlySet<string> = new Set(),
): { value?: string; index: number } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return { value: args[i + 1], index: i + 1 };
    if (a.startsWith('-')) {
      if (valueFlags.has(a)) i++;
      continue;
    }
    return { value: a, index: i };
  }
  return { index: -1 };
}

function flagValue(args: readonly string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

function npmPackageFromPath(p: string): string | undefined {
  const norm = p.replaceAll('\\', '/');
  const re = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/g;
  let last: string | undefined;
  for (let m = re.exec(norm); m; m = re.exec(norm)) last = m[1];
  return last && !last.startsWith('.') ? last : undefined;
}

function pypiFromPath(p: string): string | undefined {
  const norm = p.replaceAll('\\', '/');
  const pipx = /\/pipx\/venvs\/([^/]+)\//.exec(norm);
  if (pipx) return pipx[1];
  if (/\/(\.cache\/uv|uv\/tools|uv\/archive-v0)\//.test(norm) || /\/\.local\/share\/uv\//.test(norm)) {
    const bin = /\/bin\/([^/]+)$/.exec(norm);
    if (bin && !PY.has(base(bin[1]!).replace(/[\d.]+$/, ''))) return bin[1];
  }
  return undefined;
}

/** The server id of a launched MCP server (`npm:…`, `pypi:…`, `oci:…`, `cmd:…`), or undefined for an empty command. */
export function mcpServerId(command: string, args: readonly string[]): string | undefined {
  let cmd = command.trim();
  let rest = [...args];
  if (!cmd) return undefined;
  // `node /usr/local/bin/npx …` (how npx shows up in a process list)
  if (NODE.has(base(cmd)) && rest[0] && (NPX.has(base(rest[0])) || base(rest[0]) === 'npm')) {
    cmd = rest[0];
    rest = rest.slice(1);
  }
  const b = base(cmd);
  if (
    NPX.has(b) ||
    ((b === 'pnpm' || b === 'yarn') && rest[0] === 'dlx') ||
    (b === 'npm' && (rest[0] === 'exec' || rest[0] === 'x'))
  ) {
    if (!NPX.has(b)) rest = rest.slice(1);
    const pkg =
      flagValue(rest, ['--package', '-p']) ?? firstPositional(rest, new Set(['-p', '--package', '-c', '--call'])).value;
    return pkg ? `npm:${stripNpmVersion(pkg).toLowerCase()}` : undefined;
  }
  if (b === 'uvx' || (b === 'uv' && rest[0] === 'tool' && rest[1] === 'run') || (b === 'pipx' && rest[0] === 'run')) {
    rest = b === 'uv' ? rest.slice(2) : b === 'pipx' ? rest.slice(1) : rest;
    const from = flagValue(rest, ['--from', '--spec']);
    const pkg =
      from && !/^(git\+|https?:|\.|\/)/.test(from)
        ? from
        : firstPositional(rest, new Set(['--from', '--spec', '--python', '--with', '-p', '--index-url', '--index']))
            .value;
    return pkg ? `pypi:${stripPypiVersion(pkg).toLowerCase()}` : undefined;
  }
  if ((b === 'docker' || b === 'podman') && rest[0] === 'run') {
    const image = firstPositional(rest.slice(1), DOCKER_VALUE_FLAGS).value;
    if (!image) return undefined;
    const noDigest = image.split('@')[0]!;
    const lastSlash = noDigest.lastIndexOf('/');
    const colon = noDigest.indexOf(':', lastSlash + 1);
    return `oci:${(colon > 0 ? noDigest.slice(0, colon) : noDigest).toLowerCase()}`;
  }
  for (const candidate of [cmd, ...rest]) {
    if (candidate.startsWith('-')) continue;
    const npm = npmPackageFromPath(candidate);
    if (npm) return `npm:${npm.toLowerCase()}`;
    const py = pypiFromPath(candidate);
    if (py) return `pypi:${py.toLowerCase()}`;
  }
  if (PY.has(b.replace(/[\d.]+$/, ''))) {
    const mod = flagValue(rest, ['-m']);
    if (mod) return `pymodule:${mod.toLowerCase()}`;
  }
  if (NODE.has(b) || PY.has(b.replace(/[\d.]+$/, ''))) {
    const script = firstPositional(rest).value;
    if (script) return `cmd:${b} ${redactText(script)}`;
  }
  return `cmd:${b}`;
}

/** `url:<host><path>` for a remote MCP server URL, or undefined when it is not an http(s) URL. */
/**
 * A URL path with key-like segments redacted: some remote servers take their key in the path
 * (`/mcp/<key>/sse`), and the path is part of the server id and of the evidence.
 */
export function redactUrlPath(pathname: string): string {
  return pathname
    .split('/')
    .map((seg) =>
      seg.length >= 20 && /^[A-Za-z0-9_-]+$/.test(seg) && /\d/.test(seg) && /[A-Za-z]/.test(seg)
        ? redactSecret(seg)
        : redactText(seg),
    )
    .join('/');
}

export function mcpUrlId(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    const p = redactUrlPath(u.pathname.replace(/\/+$/, ''));
    return `url:${u.host.toLowerCase()}${p}`;
  } catch {
    return undefined;
  }
}

/** A short display name for a server id (`npm:@modelcontextprotocol/server-github` → `server-github`). */
export function serverDisplayName(id: string): string {
  const body = id.slice(id.indexOf(':') + 1);
  return body.split('/').filter(Boolean).pop() ?? body;
}

export function mcpFingerprint(host: string, user: string, serverId: string): string {
  return `mcp:${host}:${user}:${serverId}`;
}

/** The user a home-directory path belongs to (`/Users/alice/…`, `/home/alice/…`, `C:\Users\alice\…`). */
export function userFromPath(p: string | undefined): string | undefined {
  if (!p) return undefined;
  const m = /^\/Users\/([^/]+)\//.exec(p) ?? /^\/home\/([^/]+)\//.exec(p) ?? /^[A-Za-z]:\\Users\\([^\\]+)\\/i.exec(p);
  const u = m?.[1];
  return u && !['shared', 'public', 'default'].includes(u.toLowerCase()) ? u : undefined;
}
