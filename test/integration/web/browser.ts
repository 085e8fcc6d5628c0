/**
 * One headless Chromium per test file, driven by playwright-core: Debian's /usr/bin/chromium (no
 * browser download), a fresh profile (playwright's launch passes Chromium a new temporary
 * --user-data-dir of its own and removes it on close; it refuses one given in the arguments), and
 * the flags that keep it off the network except for the addresses the test gives it. Where Chromium
 * is missing the web tests skip, except in CI. Its contexts are off the record (storage such as the
 * origin private file system lives in memory); the bench also runs a profile on disk, as a person's
 * browser has (openOnDiskProfile).
 */
import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.TOTE_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumAvailable = (): boolean => {
  const there = fs.existsSync(CHROMIUM);
  if (!there && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  return there;
};

const LAUNCH = {
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
};

export function openBrowser(): Promise<Browser> {
  return chromium.launch(LAUNCH);
}

/** Chromium on a profile in `userDataDir` (on disk, as a person's browser has), with its one tab. */
export async function openOnDiskProfile(userDataDir: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await chromium.launchPersistentContext(userDataDir, { ...LAUNCH, acceptDownloads: true, viewport: { width: 1280, height: 800 } });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, problems: watchProblems(page) };
}

/** A tab of its own (own sessionStorage and downloads), failing the test on any console error or CSP report. */
export async function newTab(browser: Browser, options: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: options.viewport ?? { width: 1280, height: 800 } });
  const page = await context.newPage();
  return { context, page, problems: watchProblems(page) };
}

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

export async function signIn(page: Page, webUrl: string, email: string, password: string): Promise<void> {
  await page.goto(webUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}
