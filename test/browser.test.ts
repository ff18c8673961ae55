/**
 * The Temporal Web UI as Warden's admin console, checked in a real browser (Debian's Chromium, headless,
 * driven by playwright-core): after the supply-chain story, an admin filters workflows by the demo agent's
 * search attribute, opens its action workflow, sees that it completed, and reads its result — decoded
 * through Warden's codec server (the payloads in Temporal are encrypted). A screenshot is saved to
 * test-results/ as an artifact.
 *
 * This file runs its own dev server so the UI can be pointed at this stack's codec server, as `npm start`
 * does for the local UI. The codec server is never open: the UI first shows only ciphertext; the admin
 * opens a codec session (a cookie for the codec endpoint) and turns on "include cross-origin credentials"
 * in the UI's codec settings, as docs/operations.md says, and then reads the payloads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { PROJECT_ROOT } from '../config/config.js';
import { runSupplyChainStory, startSecurityInbox, type SecurityInbox, type StoryResult } from '../demo/story.js';
import { startDevServer, type DevServer } from '../temporal/dev-server.js';
import { freePort } from '../launcher/ports.js';
import { startStack, type Stack } from './helpers/stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-results');

let server: DevServer;
let stack: Stack;
let inbox: SecurityInbox;
let browser: Browser;
let story: StoryResult;

beforeAll(async () => {
  const apiPort = await freePort();
  const uiPort = await freePort();
  const dir = fs.mkdtempSync(path.join(inject('runDir'), 'browser-'));
  server = await startDevServer({
    dataDir: path.join(PROJECT_ROOT, '.warden'),
    dbFile: path.join(dir, 'temporal.db'),
    ip: '127.0.0.1',
    port: await freePort(),
    uiPort,
    namespace: 'default',
    logFile: path.join(dir, 'temporal.log'),
    uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec`,
    env: { ...process.env, TEMPORAL_CLI: inject('temporalCli') },
  });
  inbox = await startSecurityInbox();
  stack = await startStack({
    env: {
      TEMPORAL_ADDRESS: server.address,
      WARDEN_API_PORT: String(apiPort),
      WARDEN_PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      WARDEN_CODEC_CORS_ORIGINS: `http://127.0.0.1:${uiPort},http://localhost:${uiPort}`,
      WARDEN_NOTIFY_WEBHOOK_URL: inbox.url,
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([story?.erp.close(), story?.bank.close()]);
  await stack?.stop();
  await inbox?.close();
  await server?.stop();
});

it(
  'in the Temporal UI: filter by the demo agent, open its action workflow, see it completed with its decoded result, its summary and its status',
  { timeout: 240_000 },
  async () => {
    story = await runSupplyChainStory({
      wardenUrl: stack.config.credentials.issuer,
      gql: (q, v, t) => stack.gql(q, v, t),
      tokens: {
        admin: await stack.token(`admin-${stack.tag}@example.com`, ['admin']),
        owner: await stack.token(`olivia-${stack.tag}@example.com`, ['approver']),
        security: await stack.token(`sam-${stack.tag}@example.com`, ['security', 'approver']),
      },
      people: { owner: `olivia-${stack.tag}@example.com`, security: `sam-${stack.tag}@example.com` },
      securityInbox: inbox,
      suffix: stack.tag,
    });
    expect(story.attack.status).toBe('PENDING_APPROVAL');

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    const codecUrl = `${stack.config.api.publicUrl}/codec`;
    try {
      // The UI's codec settings, as a person sets them in its codec server dialog: this endpoint, with
      // cross-origin credentials (the session cookie).
      await context.addInitScript((endpoint) => {
        if (location.pathname.startsWith('/codec')) return;
        localStorage.setItem('endpoint', JSON.stringify(endpoint));
        localStorage.setItem('includeCredentials', 'true');
        localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
      }, codecUrl);
      // Filter the workflow list by the demo agent's search attribute: its lifecycle and its action workflows.
      const query = `AgentId = '${story.agentId}'`;
      const list = `${server.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;
      const actionLink = page.locator(`a:has-text("${story.attack.workflowId}")`).first();
      const deadline = Date.now() + 60_000;
      for (;;) {
        await page.goto(list);
        try {
          await actionLink.waitFor({ timeout: 5_000 });
          break;
        } catch (err) {
          if (Date.now() > deadline) throw err; // visibility catches up within seconds; reload until then
        }
      }
      await page.locator(`a:has-text("agent:${story.agentId}")`).first().waitFor({ timeout: 10_000 });
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'tour-agent-workflows.png') });

      // Open the action workflow: it completed (the security approver denied it). Without a codec session the
      // codec server answers 401 and the UI shows ciphertext only.
      const refused: number[] = [];
      page.on('response', (r) => r.url().startsWith(codecUrl) && refused.push(r.status()));
      await actionLink.click();
      await page.waitForURL(/\/workflows\/action%3A|\/workflows\/action:/);
      const actionPage = page.url();
      await page.getByText('Completed').first().waitFor({ timeout: 30_000 });
      await expect
        .poll(() => refused.filter((status) => status === 401).length, { timeout: 30_000 })
        .toBeGreaterThan(0);
      expect(refused.every((status) => status === 401 || status === 204)).toBe(true);
      expect(await page.locator('body').innerText()).not.toContain('"amount": 54200');

      // The admin opens a codec session with their token (pasted into Warden's own page, never in a URL).
      await page.goto(`${codecUrl}/session`);
      await page.locator('#token').fill(await stack.token(`admin-${stack.tag}@example.com`, ['admin']));
      await page.getByRole('button', { name: 'Open session' }).click();
      await page
        .getByText(`Session open for admin-${stack.tag}@example.com`)
        .waitFor({ timeout: 10_000 })
        .catch(async (err) => {
          throw new Error(`${err}: ${await page.locator('body').innerText()}`);
        });
      await page.goto(actionPage);
      await page.getByText('Completed').first().waitFor({ timeout: 30_000 });
      // Input and result, decoded through the codec server (in Temporal they are AES-GCM ciphertext): the
      // transfer the agent asked for, in plain words.
      await page.getByText('"amount": 54200').first().waitFor({ timeout: 30_000 });
      const text = await page.locator('body').innerText();
      expect(text).toContain(`"tool": "bank-${stack.tag}"`);
      expect(text).toContain('"resourceId": "INV-1043"');
      expect(text).not.toContain('binary/encrypted');
      await page.screenshot({ path: path.join(ARTIFACTS, 'tour-action-workflow.png') });
      expect(fs.statSync(path.join(ARTIFACTS, 'tour-action-workflow.png')).size).toBeGreaterThan(10_000);

      // Its user metadata says what it is (the summary Warden set when it started it) and how it ended
      // (the details the workflow keeps current): denied by the security approver, the agent contained. The
      // UI renders each as markdown in its own frame.
      const metadata = (id: 'summary' | 'details' | 'current-details') =>
        page.frameLocator(`#user-metadata-${id}`).locator('body');
      await page.getByText('User Metadata', { exact: true }).first().click();
      await metadata('summary')
        .getByText(`Supply-chain agent ${stack.tag} → bank-${stack.tag}.transfer (CRITICAL)`)
        .waitFor({ timeout: 30_000 });
      await metadata('current-details').getByText('DENIED').first().waitFor({ timeout: 30_000 });
      const current = await metadata('current-details').innerText();
      expect(current).toMatch(new RegExp(`Risk ${story.attack.score}.100: volume`));
      expect(current).toContain('The agent was contained');
      expect(current).toContain(`by sam-${stack.tag}@example.com`);
      await page.screenshot({ path: path.join(ARTIFACTS, 'tour-action-details.png') });

      // The agent's own workflow: still running (it is the agent), its current details say it is suspended.
      await page.goto(`${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(`agent:${story.agentId}`)}`);
      await page.getByText('Running').first().waitFor({ timeout: 30_000 });
      await page.getByText('User Metadata', { exact: true }).first().click();
      await metadata('summary')
        .getByText(`Agent «Supply-chain agent ${stack.tag}» (supply-chain)`)
        .waitFor({ timeout: 30_000 });
      await metadata('current-details').getByText('SUSPENDED').first().waitFor({ timeout: 30_000 });
      expect(await metadata('current-details').innerText()).toContain(`owner: olivia-${stack.tag}@example.com`);
      await page.screenshot({ path: path.join(ARTIFACTS, 'tour-agent-details.png') });
    } finally {
      await context.close();
    }
  },
);
