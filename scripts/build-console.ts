/**
 * `npm run build:console`: bundles the approvers' console (console/, Preact + TSX) with Vite into
 * WARDEN_CONSOLE_DIR (default .warden/console), which the API serves at /console. `npm start` and the test
 * suite build it when it is missing or older than its sources.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { loadConfig, PROJECT_ROOT } from '../config/config.js';

export const CONSOLE_SOURCES = path.join(PROJECT_ROOT, 'console');

/** The newest modification time among the console's sources (and this build recipe). */
function newestSource(): number {
  let newest = fs.statSync(new URL(import.meta.url)).mtimeMs;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  walk(CONSOLE_SOURCES);
  return newest;
}

/** True when `outDir` holds a build at least as new as every source. */
export function consoleIsCurrent(outDir: string): boolean {
  try {
    return fs.statSync(path.join(outDir, 'index.html')).mtimeMs >= newestSource();
  } catch {
    return false;
  }
}

/**
 * Builds the console into `outDir`: first into a sibling folder, then swapped in, so an API serving the
 * old build never sees a half-written one.
 */
export async function buildConsole(outDir: string): Promise<void> {
  const staging = `${outDir}.building-${process.pid}`;
  // Vite sets NODE_ENV=production in this process while it builds; the processes `npm start` launches
  // afterwards inherit the environment, and must not find themselves in production because of a build.
  const nodeEnv = process.env.NODE_ENV;
  try {
    await viteBuild(staging);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const old = `${outDir}.old-${process.pid}`;
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(staging, outDir);
  fs.rmSync(old, { recursive: true, force: true });
}

async function viteBuild(staging: string): Promise<void> {
  await build({
    configFile: false,
    root: CONSOLE_SOURCES,
    base: '/console/',
    logLevel: 'warn',
    // Preact's automatic JSX runtime (console/tsconfig.json says the same to the type checker).
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: staging,
      emptyOutDir: true,
      assetsDir: 'assets',
      // Everything from Warden itself, nothing inline: the page's CSP allows no inline script or style.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      target: 'es2022',
      sourcemap: false,
      reportCompressedSize: false,
    },
  });
}

/** Builds unless the build is current; says what it did through `log`. */
export async function ensureConsole(outDir: string, log: (line: string) => void = () => {}): Promise<void> {
  if (consoleIsCurrent(outDir)) return;
  log(`building the console into ${path.relative(PROJECT_ROOT, outDir) || outDir}…`);
  await buildConsole(outDir);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = loadConfig().console.dir;
  await buildConsole(outDir);
  console.log(`console: built into ${path.relative(PROJECT_ROOT, outDir) || outDir}`);
}
