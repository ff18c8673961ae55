/**
 * The routing policy's timers as approvers see them in the console (a real stack with its own policy file,
 * Debian's Chromium driven by playwright-core): an admin who may decide only once an action escalates sees
 * why, and when it escalates their open page and inbox follow without a reload and they approve it; an
 * action nobody decides expires in front of the person who could have, and a late vote changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { registerTestAgent, type TestAgent } from './helpers/agents.js';
import { launchBrowser, signInAs } from './helpers/console.js';
import { startStack, type Stack } from './helpers/stack.js';

const suffix = randomUUID().slice(0, 8);
const PAY = `pay-${suffix}`;
const people = {
  owner: `olivia-${suffix}@example.com`,
  admin: `alice-${suffix}@example.com`,
};

// Delays long enough for a person to have the page open before they pass, on a busy machine too.
const POLICY = `version: 1
rules:
  - name: escalating
    match: { operations: [${PAY}.refund] }
    deciders: [owner]
    escalate:
      - after: 15s
        to: [admin]
    deadline: 10m
  - name: short
    match: { operations: [${PAY}.close] }
    deciders: [owner]
    deadline: 15s
default:
  deciders: [owner, security]
`;

/** A string as a regular expression that matches it (emails here: dots are the only special characters). */
const literally = (s: string) => s.replace(/[.]/g, '\\.');

let stack: Stack;
let browser: Browser;
let admin: string;
let owner: string;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(inject('runDir'), 'console-routing-'));
  const policyFile = path.join(dir, 'approval-policy.yaml');
  fs.writeFileSync(policyFile, POLICY);
  stack = await startStack({ env: { WARDEN_APPROVAL_POLICY: policyFile } });
  admin = await stack.token(people.admin, ['admin']);
  owner = await stack.token(people.owner, ['approver']);
  for (const i of [
    { email: people.admin, displayName: 'Alice Admin', roles: ['ADMIN'] },
    { email: people.owner, displayName: 'Olivia Owner', roles: ['APPROVER'] },
  ]) {
    const res = await stack.gql(
      `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
      { i },
      admin,
    );
    expect(res.errors).toBeUndefined();
  }
  const tool = await stack.gql(
    `mutation($t: RegisterToolInput!) { registerTool(input: $t) { tool { name } } }`,
    {
      t: {
        name: PAY,
        resource: `https://${PAY}.example.com/api/`,
        authMode: 'WARDEN_JWT',
        operations: [
          { name: 'refund', sensitivity: 'HIGH' },
          { name: 'close', sensitivity: 'HIGH' },
        ],
      },
    },
    admin,
  );
  expect(tool.errors).toBeUndefined();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A new agent's request to the payment tool, which it is not allowed: held, and routed by the policy. */
async function held(name: string, operation: 'refund' | 'close'): Promise<{ agent: TestAgent; id: string }> {
  const agent = await registerTestAgent(stack, admin, { name, ownerEmail: people.owner, allowedTools: [] });
  const res = await agent.gql(
    `mutation($i: RequestActionInput!) { requestAction(input: $i) { action { id status } } }`,
    {
      i: { tool: PAY, operation, amount: 1200, volume: 1, idempotencyKey: `k-${operation}`, justification: 'routine' },
    },
  );
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.data.requestAction.action.status).toBe('PENDING_APPROVAL');
  return { agent, id: res.data.requestAction.action.id };
}

const APPROVAL = `query($id: ID!) { actionRequest(id: $id) { status approval {
  escalationLevel decidedBy decision comment votes { by decision comment } } } }`;

/** Errors the page reports, and how often it has read the inbox. */
function watchPage(failures: string[], inboxReads?: string[]) {
  return (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && failures.push(m.text()));
    page.on('pageerror', (e) => failures.push(String(e)));
    if (inboxReads) page.on('request', (r) => r.postData()?.includes('query Inbox') && inboxReads.push(r.url()));
  };
}

/** Marks the document, so a later check tells whether the page was reloaded since. */
const markDocument = (page: Page) =>
  page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
const sameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

describe('the routing policy’s timers in the console', () => {
  it(
    'escalation: an admin sees why they may not decide yet; when it escalates, their page and inbox follow and they approve',
    { timeout: 150_000 },
    async () => {
      const context = await browser.newContext();
      try {
        const failures: string[] = [];
        const inboxReads: string[] = [];
        const inbox = await signInAs(stack, context, people.admin, '/console', watchPage(failures, inboxReads));
        await inbox.getByRole('heading', { name: 'Pending approvals' }).waitFor();
        // The list has been read again after the subscription first looked: what comes now comes live.
        await expect.poll(() => inboxReads.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
        const page = await signInAs(stack, context, people.admin, '/console', watchPage(failures));
        await page.getByRole('heading', { name: 'Pending approvals' }).waitFor();

        const { id } = await held('Refund agent', 'refund');
        await page.goto(`${stack.api.url}/console/actions/${id}`); // the same tab: its session holds
        await page.getByRole('heading', { name: `Refund agent asks for ${PAY}.refund` }).waitFor();
        await markDocument(page);

        // Before the escalation: the admin reads the action, but only the owner may decide it.
        expect(await page.getByTestId('rule').innerText()).toBe('escalating — 1 approval needed');
        const tiers = page.locator('ol.tiers > li');
        expect(await tiers.count()).toBe(2);
        expect(await tiers.nth(0).innerText()).toMatch(/open now/);
        expect(await tiers.nth(1).innerText()).toMatch(/ — opens .+/);
        for (const name of ['Approve', 'Deny'])
          expect(await page.getByRole('button', { name }).isDisabled(), name).toBe(true);
        expect(await page.getByLabel('Comment (required to deny)').isDisabled()).toBe(true);
        expect(await page.locator('#decision-note').innerText()).toMatch(
          new RegExp(`${literally(people.admin)} may decide this action only once it escalates`),
        );
        // Nor is it in the admin's inbox (checked before the escalation: the action's level is still 0 after).
        const listedEarly = await inbox.locator(`tr[data-action-id="${id}"]`).count();
        const levelAfterLook = (await stack.gql(APPROVAL, { id }, admin)).data?.actionRequest.approval.escalationLevel;
        if (levelAfterLook === 0) expect(listedEarly).toBe(0);

        // The escalation: the page follows it without a reload — the second tier is open, the buttons enable.
        await tiers.nth(1).getByText('open now').waitFor({ timeout: 60_000 });
        await expect.poll(() => page.getByRole('button', { name: 'Approve' }).isEnabled()).toBe(true);
        expect(await page.getByRole('button', { name: 'Deny' }).isEnabled()).toBe(true);
        expect(await page.locator('#decision-note').count()).toBe(0);
        await expect
          .poll(() => page.locator('[aria-live="polite"]').innerText())
          .toBe('This action has escalated: more people may decide it now.');
        expect(await sameDocument(page)).toBe(true);
        // The admin's inbox brings it live, as it starts waiting for them.
        const row = inbox.locator(`tr[data-action-id="${id}"]`);
        await row.waitFor({ timeout: 30_000 });
        expect(await row.getAttribute('class')).toContain('fresh');
        expect(await sameDocument(page)).toBe(true);

        await page.getByLabel('Comment (required to deny)').fill('Owner away; refund checked against the order');
        await page.getByRole('button', { name: 'Approve' }).click();
        await page.locator('.lede [data-status="APPROVED"]').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('decided').innerText()).toMatch(
          new RegExp(`^Approved by ${literally(people.admin)} on .+: “Owner away; refund checked against the order”$`),
        );
        expect(await page.getByTestId('votes').innerText()).toMatch(
          new RegExp(`^Approved by ${literally(people.admin)} as (.+, )?admin, `), // in the capacity of the tier
        );
        expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
        const final = await stack.gql(APPROVAL, { id }, admin);
        expect(final.data?.actionRequest).toEqual({
          status: 'APPROVED',
          approval: {
            escalationLevel: 1,
            decidedBy: people.admin,
            decision: 'APPROVE',
            comment: 'Owner away; refund checked against the order',
            votes: [{ by: people.admin, decision: 'APPROVE', comment: 'Owner away; refund checked against the order' }],
          },
        });
        expect(failures).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  it(
    'expiry: the page of a person who may decide shows the action EXPIRED at its deadline; a late vote gets CONFLICT',
    { timeout: 120_000 },
    async () => {
      const context = await browser.newContext();
      try {
        const failures: string[] = [];
        const inboxReads: string[] = [];
        const page = await signInAs(stack, context, people.owner, '/console', watchPage(failures, inboxReads));
        await page.getByRole('heading', { name: 'Pending approvals' }).waitFor();
        await expect.poll(() => inboxReads.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

        const { agent, id } = await held('Closing agent', 'close');
        const row = page.locator(`tr[data-action-id="${id}"]`);
        await row.waitFor({ timeout: 30_000 });
        await row.getByRole('link', { name: `${PAY}.close` }).click();
        await page.getByRole('heading', { name: `Closing agent asks for ${PAY}.close` }).waitFor();
        await markDocument(page);
        // The owner may decide it, until the deadline.
        expect(await page.locator('.lede [data-status]').getAttribute('data-status')).toBe('PENDING_APPROVAL');
        expect(await page.getByRole('button', { name: 'Approve' }).isEnabled()).toBe(true);

        // The deadline passes; the owner does nothing, and the page says so.
        const expired = page.locator('.lede [data-status="EXPIRED"]');
        await expired.waitFor({ timeout: 60_000 });
        expect(await expired.innerText()).toBe('Expired (denied)');
        expect(await sameDocument(page)).toBe(true);
        for (const name of ['Approve', 'Deny']) expect(await page.getByRole('button', { name }).count(), name).toBe(0);
        expect(await page.getByLabel('Comment (required to deny)').count()).toBe(0);
        expect(await page.getByTestId('decided').innerText()).toMatch(/^Expired on /);
        await expect.poll(() => page.locator('[aria-live="polite"]').innerText()).toBe('This action is now expired.');

        // A vote afterwards is refused and changes nothing.
        const late = await stack.gql(
          `mutation($id: ID!) { approveAction(input: { actionId: $id, comment: "too late" }) { action { status } } }`,
          { id },
          owner,
        );
        expect(late.errors?.[0]?.extensions?.code, JSON.stringify(late.errors)).toBe('CONFLICT');
        expect(late.data?.approveAction ?? null).toBeNull();
        const after = await stack.gql(APPROVAL, { id }, owner);
        expect(after.data?.actionRequest).toEqual({
          status: 'EXPIRED',
          approval: { escalationLevel: 0, decidedBy: null, decision: 'EXPIRE', comment: null, votes: [] },
        });
        const seen = await agent.gql(`query($id: ID!) { actionRequest(id: $id) { status grant { token } } }`, {
          id,
        });
        expect(seen.data?.actionRequest).toEqual({ status: 'EXPIRED', grant: null });
        expect(failures).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});
