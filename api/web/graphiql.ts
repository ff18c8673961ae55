/**
 * GraphiQL served whole by the API, for machines without internet: graphql-yoga's own page loads the
 * `@graphql-yoga/graphiql` bundle from a public CDN and stays on "Loading…" offline. Here the page and
 * every asset come from Warden itself — the bundle, its stylesheet and Monaco's editor workers straight
 * from the installed package, and two small scripts of ours — under the console's Content-Security-Policy:
 * no inline script (the options travel in a data attribute, read by the start script). Two things differ:
 * the stylesheet's embedded fonts are served as files of their own (fonts stay same-origin only), and
 * Monaco styles the editor at run time, which the page allows narrowly (see `scriptStyles` in
 * ./security-headers.ts): its <style> elements carry the response's nonce, given them by `styles.js`.
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { GraphiQLOptions } from 'graphql-yoga';
import { pageSecurityHeaders } from './security-headers.js';

const require = createRequire(import.meta.url);
const PACKAGE_JSON = require.resolve('@graphql-yoga/graphiql/package.json');
const DIST = path.join(path.dirname(PACKAGE_JSON), 'dist');
const VERSION = (JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;

/** Where the assets are served; the version in the path lets browsers keep them for good. */
export const GRAPHIQL_ASSETS = `/graphiql/${VERSION}`;

/** Monaco asks for a worker by label; each is a file of the package, served from the same origin. */
const WORKERS: Record<string, string> = {
  editorWorkerService: 'monacoeditorwork/editor.worker.bundle.js',
  json: 'monacoeditorwork/json.worker.bundle.js',
  graphql: 'monacoeditorwork/graphql.worker..bundle.js', // sic: the package's file name
};

/**
 * Runs before the bundle: every <style> element a script creates carries this response's nonce (read from
 * the page's `meta[property=csp-nonce]`, whose nonce attribute browsers hide from the DOM and from CSS).
 * Markup injected into the page gets no nonce; only the page's own (same-origin) scripts create elements.
 */
const STYLES_SCRIPT = `'use strict';
(function () {
  var nonce = document.querySelector('meta[property="csp-nonce"]').nonce;
  var createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (name, options) {
    var element = createElement.call(this, name, options);
    if (String(name).toLowerCase() === 'style') element.nonce = nonce;
    return element;
  };
  self.__webpack_nonce__ = nonce;
})();
`;

/** Starts GraphiQL with the options the page carries; Monaco's workers load from same-origin URLs. */
const START_SCRIPT = `'use strict';
(function () {
  var root = document.getElementById('root');
  var workers = JSON.parse(root.getAttribute('data-workers'));
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (_moduleId, label) { return workers[label] || workers.editorWorkerService; },
  };
  YogaGraphiQL.renderYogaGraphiQL(root, JSON.parse(root.getAttribute('data-options')));
})();
`;

const ASSETS: Record<string, { file?: string; text?: string; type: string }> = {
  'graphiql.css': { file: 'graphiql.css', type: 'text/css; charset=utf-8' },
  'yoga-graphiql.umd.js': { file: 'yoga-graphiql.umd.js', type: 'text/javascript; charset=utf-8' },
  'styles.js': { text: STYLES_SCRIPT, type: 'text/javascript; charset=utf-8' },
  'start.js': { text: START_SCRIPT, type: 'text/javascript; charset=utf-8' },
  ...Object.fromEntries(
    Object.values(WORKERS).map((file) => [file, { file, type: 'text/javascript; charset=utf-8' }] as const),
  ),
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page: markup only; GraphiQL renders into #root once the bundle and the start script have run. */
export function graphiqlPage(options: GraphiQLOptions, styleNonce: string): string {
  const title = escapeHtml(options.title ?? 'GraphiQL');
  const workers = Object.fromEntries(Object.entries(WORKERS).map(([label, file]) => [label, assetUrl(file)]));
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta property="csp-nonce" nonce="${styleNonce}">`,
    `<title>${title}</title>`,
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${assetUrl('graphiql.css')}">`,
    '</head>',
    '<body>',
    `<div id="root" data-options="${escapeHtml(JSON.stringify(options))}" data-workers="${escapeHtml(JSON.stringify(workers))}">Loading ${title}…</div>`,
    `<script src="${assetUrl('styles.js')}"></script>`,
    `<script src="${assetUrl('yoga-graphiql.umd.js')}"></script>`,
    `<script src="${assetUrl('start.js')}"></script>`,
    '</body>',
    '</html>',
  ].join('\n');
}

function assetUrl(name: string): string {
  return `${GRAPHIQL_ASSETS}/${name}`;
}

function wantsGraphiQL(req: http.IncomingMessage): boolean {
  return req.method === 'GET' && String(req.headers.accept ?? '').includes('text/html');
}

interface LoadedAsset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

const FONT_TYPES: Record<string, string> = { woff2: 'font/woff2', woff: 'font/woff', ttf: 'font/ttf' };

/**
 * The package's stylesheet embeds its fonts as `data:` URLs; each becomes a file served beside it (named by
 * its hash), so the page's `font-src 'self'` holds.
 */
function unbundleFonts(css: string): { css: string; fonts: Map<string, { type: string; body: Buffer }> } {
  const fonts = new Map<string, { type: string; body: Buffer }>();
  const rewritten = css.replace(
    /url\(\s*(["']?)data:font\/(woff2|woff|ttf);base64,([A-Za-z0-9+/=]+)\1\s*\)/g,
    (_match, _quote, ext: string, base64: string) => {
      const body = Buffer.from(base64, 'base64');
      const name = `fonts/${createHash('sha256').update(body).digest('hex').slice(0, 32)}.${ext}`;
      fonts.set(name, { type: FONT_TYPES[ext]!, body });
      return `url(${assetUrl(name)})`;
    },
  );
  return { css: rewritten, fonts };
}

function prepared(type: string, body: Buffer): LoadedAsset {
  return {
    type,
    body,
    gzipped: zlib.gzipSync(body),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

/** Warden's GraphiQL: the headers editor starts with where a person's token goes. */
export const WARDEN_GRAPHIQL: GraphiQLOptions = {
  title: 'Warden GraphQL',
  endpoint: '/graphql',
  headers: JSON.stringify({ Authorization: 'Bearer <token from npm run token>' }),
};

export function createGraphiQL(options: GraphiQLOptions = WARDEN_GRAPHIQL) {
  const assetHeaders = pageSecurityHeaders();
  const loaded = new Map<string, LoadedAsset>();
  // Read once, on first use: the stylesheet (rewritten) and the fonts it names.
  let fonts: Map<string, { type: string; body: Buffer }> | null = null;
  const stylesheet = (): void => {
    if (fonts) return;
    const unbundled = unbundleFonts(fs.readFileSync(path.join(DIST, 'graphiql.css'), 'utf8'));
    fonts = unbundled.fonts;
    loaded.set('graphiql.css', prepared(ASSETS['graphiql.css']!.type, Buffer.from(unbundled.css)));
  };
  const load = (name: string): LoadedAsset | null => {
    const hit = loaded.get(name);
    if (hit) return hit;
    if (name === 'graphiql.css' || name.startsWith('fonts/')) {
      stylesheet();
      const font = fonts!.get(name);
      if (font) loaded.set(name, prepared(font.type, font.body));
      return loaded.get(name) ?? null;
    }
    const known = Object.hasOwn(ASSETS, name) ? ASSETS[name]! : null;
    if (!known) return null;
    const body = known.text !== undefined ? Buffer.from(known.text) : fs.readFileSync(path.join(DIST, known.file!));
    const ready = prepared(known.type, body);
    loaded.set(name, ready);
    return ready;
  };
  /** The page, with a fresh style nonce for each response. */
  const page = (res: http.ServerResponse): void => {
    const nonce = randomBytes(18).toString('base64url');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...pageSecurityHeaders({ scriptStyles: { nonce } }),
    });
    res.end(graphiqlPage(options, nonce));
  };
  /** Answers `GRAPHIQL_ASSETS/<name>` for the known assets only (no file system paths from the URL). */
  const asset = (req: http.IncomingMessage, res: http.ServerResponse, urlPath: string): void => {
    const found =
      (req.method === 'GET' || req.method === 'HEAD') && urlPath.startsWith(`${GRAPHIQL_ASSETS}/`)
        ? load(urlPath.slice(GRAPHIQL_ASSETS.length + 1))
        : null;
    if (!found) {
      res.writeHead(404, { 'content-type': 'application/json', 'cache-control': 'no-store', ...assetHeaders });
      res.end(JSON.stringify({ error: 'not_found', message: 'No such GraphiQL asset.' }));
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const common = {
      'content-type': found.type,
      'cache-control': 'public, max-age=31536000, immutable',
      etag: found.etag,
      vary: 'accept-encoding',
      ...assetHeaders,
    };
    if (req.headers['if-none-match'] === found.etag) {
      res.writeHead(304, common).end();
      return;
    }
    const body = gzip ? found.gzipped : found.body;
    res.writeHead(200, { ...common, ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  return {
    /** The page for a browser at /graphql (GET, HTML accepted, as graphql-yoga decides it), or an asset. */
    serves: (req: http.IncomingMessage, urlPath: string): boolean =>
      (urlPath === '/graphql' && wantsGraphiQL(req)) || urlPath.startsWith(`${GRAPHIQL_ASSETS}/`),
    serve(req: http.IncomingMessage, res: http.ServerResponse, urlPath: string): void {
      if (urlPath === '/graphql') page(res);
      else asset(req, res, urlPath);
    },
  };
}

export type GraphiQL = ReturnType<typeof createGraphiQL>;
