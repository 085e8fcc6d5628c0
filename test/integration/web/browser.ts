/**
 * One headless Chromium per test file, driven by playwright-core: Debian's /usr/bin/chromium (no
 * browser download), a fresh profile (playwright's launch passes Chromium a new temporary
 * --user-data-dir of its own and removes it on close; it refuses one given in the arguments), and
 * the flags that keep it off the network except for the addresses the test gives it. Where Chromium
 * is missing the web tests skip, except in CI.
 */
import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { TARGET_ENV } from '../harness/target-env';
import type { Target } from '../harness/target';

export const CHROMIUM = process.env.TOTE_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumAvailable = (): boolean => {
  const there = fs.existsSync(CHROMIUM);
  if (!there && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  return there;
};

export function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The web app under test: TOTE_WEB_URL for a deployment, else the local runtime's web distribution. */
export function webUrlOf(target: Target): string {
  const url = process.env[TARGET_ENV.webUrl] ?? target.local?.webUrl;
  if (!url) throw new Error(`no web app to test: set ${TARGET_ENV.webUrl} next to ${TARGET_ENV.apiUrl}`);
  return url.replace(/\/+$/, '');
}

/** A tab of its own (own sessionStorage and downloads), failing the test on any console error or CSP report. */
export async function newTab(browser: Browser, options: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: options.viewport ?? { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, problems };
}

export async function signIn(page: Page, webUrl: string, email: string, password: string): Promise<void> {
  await page.goto(webUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}
