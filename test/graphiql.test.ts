/**
 * GraphiQL works without internet: the page at /graphql refers only to assets the API serves itself, under
 * the strict page CSP; in a real browser (Debian's Chromium) with every request to another origin blocked,
 * the editor renders, reads the schema and runs a query.
 */
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/config.js';
import { pageSecurityHeaders } from '../api/web/security-headers.js';
import { startStack, type Stack } from './helpers/stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const page = () => fetch(stack.api.graphqlUrl, { headers: { accept: 'text/html' } });

/** Every URL the page refers to: scripts, stylesheets, icons and the editor workers it hands to Monaco. */
function referencedUrls(html: string): string[] {
  const attributes = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
  const workers = /data-workers="([^"]*)"/.exec(html)![1]!.replace(/&#34;/g, '"');
  return [...attributes, ...Object.values(JSON.parse(workers) as Record<string, string>)];
}

describe('GraphiQL over plain HTTP', () => {
  it('the page refers only to same-origin assets, has no inline script, and carries the page CSP', async () => {
    const res = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    // The page's own style nonce (fresh for each response) is the only addition to the page policy.
    const nonce = /<meta property="csp-nonce" nonce="([A-Za-z0-9_-]{20,})">/.exec(html)![1]!;
    const expected = pageSecurityHeaders({ scriptStyles: { nonce } });
    for (const [name, value] of Object.entries(expected)) expect(res.headers.get(name), name).toBe(value);
    const directives = Object.fromEntries(
      expected['content-security-policy']!.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives).toMatchObject({
      'script-src': "'self'",
      'style-src': "'self'",
      'style-src-elem': `'self' 'nonce-${nonce}'`,
      'style-src-attr': "'unsafe-inline'",
      'font-src': "'self'",
    });
    const again = await (await page()).text();
    expect(again).not.toContain(nonce);
    const urls = referencedUrls(html);
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const url of urls) expect(url, url).toMatch(/^(\/[^/]|data:)/);
    expect(html).not.toMatch(/https?:\/\//);
    // Every script is an external same-origin file; none has a body.
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\//);
      expect(body).toBe('');
    }
  });

  it('serves every asset the page refers to, with the page CSP, and nothing else under its path', async () => {
    const urls = referencedUrls(await (await page()).text()).filter((u) => u.startsWith('/'));
    for (const url of urls) {
      const res = await fetch(`${stack.api.url}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toMatch(url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(res.headers.get('content-security-policy'), url).toBe(pageSecurityHeaders()['content-security-policy']);
      expect((await res.arrayBuffer()).byteLength, url).toBeGreaterThan(0);
    }
    // The stylesheet's fonts are files of their own (font-src 'self'), not data: URLs.
    const css = await (await fetch(`${stack.api.url}${urls.find((u) => u.endsWith('.css'))}`)).text();
    expect(css).not.toContain('data:font');
    const fonts = [...css.matchAll(/url\((\/[^)]+\.(?:woff2|woff|ttf))\)/g)].map((m) => m[1]!);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of new Set(fonts)) {
      const res = await fetch(`${stack.api.url}${font}`);
      expect(res.status, font).toBe(200);
      expect(res.headers.get('content-type'), font).toMatch(/^font\//);
    }
    const base = urls.find((u) => u.endsWith('/graphiql.css'))!.replace(/graphiql\.css$/, '');
    for (const probe of ['package.json', '..%2Fpackage.json', '../../package.json', 'monacoeditorwork/']) {
      expect((await fetch(`${stack.api.url}${base}${probe}`)).status, probe).toBe(404);
    }
  });

  it('a GraphQL client (no HTML accepted) still reaches the API, not the page', async () => {
    const res = await fetch(`${stack.api.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(res.headers.get('content-type')).toMatch(/json/);
  });
});

describe('GraphiQL in a browser without internet', () => {
  it(
    'renders the editor, loads the schema and runs a query with every other origin blocked',
    { timeout: 120_000 },
    async () => {
      const token = await stack.token(`graphiql-${stack.tag}@example.com`, ['approver']);
      const origin = new URL(stack.api.url).origin;
      const context = await browser.newContext();
      const tab = await context.newPage();
      const offsite: string[] = [];
      const violations: string[] = [];
      tab.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await context.route('**/*', async (route) => {
        const url = route.request().url();
        if (new URL(url).origin !== origin && !url.startsWith('data:') && !url.startsWith('blob:')) {
          offsite.push(url);
          return route.abort('internetdisconnected');
        }
        // The person has pasted their token into the headers editor: GraphiQL's requests carry it.
        if (new URL(url).pathname === '/graphql' && route.request().method() === 'POST')
          return route.continue({ headers: { ...route.request().headers(), authorization: `Bearer ${token}` } });
        return route.continue();
      });
      // A shared GraphiQL link: the query travels in the page's URL (never a token).
      await tab.goto(`${stack.api.graphqlUrl}?query=${encodeURIComponent('{ viewer { kind email } }')}`);
      await tab.locator('.graphiql-container .monaco-editor').first().waitFor({ timeout: 60_000 });
      await expect.poll(() => tab.locator('#root').innerText(), { timeout: 60_000 }).not.toMatch(/^Loading/);
      // The schema arrived: the documentation explorer lists the API's root types.
      await tab.getByRole('button', { name: /Show Documentation Explorer/i }).click();
      await tab.getByText('Query', { exact: true }).first().waitFor({ timeout: 30_000 });
      await tab.getByRole('button', { name: /Execute query/i }).click();
      await expect
        .poll(async () => (await tab.locator('.graphiql-response').innerText()).replace(/\s+/g, ''), {
          timeout: 30_000,
        })
        .toContain(`"kind":"HUMAN","email":"graphiql-${stack.tag}@example.com"`);
      await tab.screenshot({ path: path.join(PROJECT_ROOT, 'test-results', 'graphiql-offline.png') });
      await context.close();
      expect(offsite).toEqual([]);
      expect(violations).toEqual([]);
    },
  );
});
