/**
 * The approvers' console in a real browser: Debian's Chromium, headless, driven by playwright-core, and a
 * person signed in with the development sign-in of a test stack.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Stack } from './stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });

/**
 * A new tab that opens `at` and signs in as the person with this email (the page they opened survives the
 * sign-in). `watch` sees the tab before it loads anything.
 */
export async function signInAs(
  stack: Stack,
  context: BrowserContext,
  email: string,
  at = '/console',
  watch: (page: Page) => void = () => {},
): Promise<Page> {
  const page = await context.newPage();
  watch(page);
  await page.goto(`${stack.api.url}${at}`);
  await page.getByRole('heading', { name: 'Sign in to the Warden console' }).waitFor();
  await page.getByLabel(new RegExp(email.replace(/[.]/g, '\\.'))).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}
