/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against the suite's
 * runtime: alice and bob sign in through the page, the CLI (the client library) is the other device.
 * One browser and two users for the whole file, so the suite stays lean. Screenshots of the main
 * screens go to docs/web/ (committed; the README shows them).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page, Request, Response } from 'playwright-core';
import { openDevice, type Device } from '../client/devices';
import { randomFile, sha256File } from '../client/files';
import { eventually } from '../harness/eventually';
import { cognitoLocalKey, decodeJwt, signJwt } from '../harness/jwt';
import { runtimeLogOf } from '../harness/runtime-process';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser, type TestUser } from '../harness/users';
import { webUrlOf } from '../harness/web-url';
import { chromiumAvailable, newTab, openBrowser, signIn } from './browser';

const SCREENSHOTS = path.join(__dirname, '../../../docs/web');
const TEST_TIMEOUT_MS = 120_000;
const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

describeInBrowser('web app in Chromium', () => {
  let target: Target;
  let webUrl: string;
  let alice: TestUser;
  let bob: TestUser;
  let aliceCli: Device;
  let browser: Browser;

  beforeAll(async () => {
    target = await getTarget();
    webUrl = webUrlOf(target);
    const suffix = randomUUID().slice(0, 8);
    [alice, bob, browser] = await Promise.all([
      createUser(target, `alice-${suffix}@example.com`),
      createUser(target, `bob-${suffix}@example.com`),
      openBrowser(),
    ]);
    aliceCli = await openDevice(target, alice, 'alice-cli');
    const photo = await randomFile(3_000_000, 'photo.bin');
    const notes = await randomFile(1_200, 'notes.txt');
    await aliceCli.client.put(photo, '/photo.bin');
    await aliceCli.client.put(notes, '/docs/notes.txt');
    await aliceCli.client.put(notes, '/zeta.txt');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    aliceCli?.client.close();
    await browser?.close();
  });

  const rowNames = (page: Page) => page.locator('table.files tbody .col-name').allInnerTexts();

  it('alice signs in, browses folders with breadcrumbs, sorts, and a reload keeps her place and her session', async () => {
    // Prepare
    const { context, page, problems } = await newTab(browser);
    // Act
    await signIn(page, webUrl, alice.email, alice.password);
    await page.getByRole('cell', { name: 'photo.bin', exact: true }).waitFor();
    const byName = await rowNames(page);
    await page.getByRole('button', { name: 'Size' }).click();
    const bySize = await rowNames(page);
    await page.getByRole('button', { name: 'Size' }).click();
    const bySizeDescending = await rowNames(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'file-list.png') });
    await page.getByRole('link', { name: 'docs' }).click();
    await page.getByRole('cell', { name: 'notes.txt', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('cell', { name: 'notes.txt', exact: true }).waitFor();
    const crumbs = await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('listitem').allInnerTexts();
    const heading = await page.getByRole('heading', { level: 1 }).innerText();
    // Assess
    expect(byName).toEqual(['docs', 'photo.bin', 'zeta.txt']);
    expect(bySize).toEqual(['docs', 'zeta.txt', 'photo.bin']);
    expect(bySizeDescending).toEqual(['docs', 'photo.bin', 'zeta.txt']);
    expect(await page.getByRole('row', { name: /photo/ }).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/files/docs');
    expect(crumbs).toEqual(['My files', 'docs']);
    expect(heading).toBe('docs');
    expect(problems).toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);

  it('rename, move and delete in the browser reach the service', async () => {
    // Prepare
    const { context, page, problems } = await newTab(browser);
    await signIn(page, webUrl, alice.email, alice.password);
    // Act
    await page.getByRole('button', { name: 'Rename zeta.txt' }).click();
    await page.getByLabel('New name').fill('omega.txt');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await page.getByRole('button', { name: 'Move omega.txt' }).click();
    await page.getByLabel('To folder').fill('/docs');
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByRole('link', { name: 'docs' }).click();
    await page.getByRole('button', { name: 'Delete notes.txt' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Move to trash' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const notice = await page.getByRole('status').innerText();
    // Assess
    const root = (await aliceCli.client.ls('/')).map((e) => e.name);
    const docs = (await aliceCli.client.ls('/docs')).map((e) => e.name);
    expect(root).toEqual(['docs', 'photo.bin']);
    expect(docs).toEqual(['omega.txt']);
    expect(await rowNames(page)).toEqual(['omega.txt']);
    expect(notice).toMatch(/^notes\.txt is in the trash until .+\.\s+Undo\s+Open the trash$/);
    expect(problems).toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);

  it('alice shares with bob in the browser; bob finds it under Shared with me without owner controls; alice revokes', async () => {
    // Prepare
    const owner = await newTab(browser);
    await signIn(owner.page, webUrl, alice.email, alice.password);
    // Act
    await owner.page.getByRole('button', { name: 'Share photo.bin' }).click();
    const dialog = owner.page.getByRole('dialog', { name: 'Share photo.bin' });
    await dialog.getByLabel('Emails').fill(bob.email);
    await dialog.getByLabel('Role').selectOption('viewer');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.getByRole('list', { name: 'Collaborators' }).getByText(bob.email).waitFor();
    await owner.page.screenshot({ path: path.join(SCREENSHOTS, 'share-dialog.png') });

    const viewer = await newTab(browser);
    await signIn(viewer.page, webUrl, bob.email, bob.password);
    await viewer.page.getByRole('link', { name: 'Shared with me' }).click();
    const row = viewer.page.getByRole('row', { name: /photo\.bin/ });
    await row.waitFor();
    const rowText = await row.innerText();
    const ownerControls = await viewer.page.getByRole('button', { name: /^(Share|Delete|Rename|Move) / }).count();

    await dialog.getByRole('button', { name: `Revoke ${bob.email}` }).click();
    await dialog.getByText('Only you.').waitFor();
    await viewer.page.reload();
    await viewer.page.getByText('Nobody has shared a file with you yet.').waitFor();
    // Assess
    expect(rowText).toContain(alice.email);
    expect(rowText).toContain('viewer');
    expect(ownerControls).toBe(0);
    expect(await aliceCli.client.collaborators('/photo.bin')).toEqual([]);
    expect([...owner.problems, ...viewer.problems]).toEqual([]);
    await owner.context.close();
    await viewer.context.close();
  }, TEST_TIMEOUT_MS);

  it('versions and trash: an overwritten file gets its old bytes back from its Versions, a deleted one comes back from the Trash (beside, when its path is taken), and purging empties it', async () => {
    // Prepare: the browser uploads a report, the CLI (another device) overwrites it.
    const first = await randomFile(2_000, 'report.txt');
    const second = await randomFile(3_000, 'report.txt');
    const { context, page, problems } = await newTab(browser);
    await signIn(page, webUrl, alice.email, alice.password);
    await page.locator('#upload-files').setInputFiles(first);
    await page.getByRole('cell', { name: 'report.txt', exact: true }).waitFor();
    await aliceCli.client.put(second, '/report.txt');
    await page.reload();
    // Act: restore revision 1 from the Versions dialog.
    await page.getByRole('button', { name: 'Versions of report.txt' }).click();
    const versions = page.getByRole('dialog', { name: 'Versions of report.txt' });
    await versions.getByText('Revision 2').waitFor();
    const listed = await versions.getByRole('list', { name: 'Versions' }).getByRole('listitem').allInnerTexts();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'versions.png') });
    await versions.getByRole('button', { name: 'Restore revision 1' }).click();
    const restoredNotice = await versions.getByRole('status').innerText();
    await versions.getByRole('button', { name: 'Close' }).click();
    const readBack = path.join(path.dirname(first), 'read-back.txt');
    await aliceCli.client.get('/report.txt', readBack);
    // Act: delete it, restore it from the Trash, then delete for good what the trash holds.
    await page.getByRole('button', { name: 'Delete report.txt' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Move to trash' }).click();
    await page.getByRole('link', { name: 'Open the trash' }).click();
    const trashed = page.getByRole('row', { name: /report\.txt/ });
    const trashedText = await trashed.innerText();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'trash.png') });
    await page.getByRole('button', { name: 'Restore /report.txt' }).click();
    const backNotice = await page.getByRole('status').innerText();
    const afterRestore = (await aliceCli.client.ls('/')).map((e) => e.name);
    await aliceCli.client.rm('/report.txt');
    await aliceCli.client.put(second, '/scratch.txt');
    await aliceCli.client.rm('/scratch.txt');
    await aliceCli.client.put(first, '/scratch.txt');
    await page.reload();
    await page.getByRole('button', { name: 'Restore /scratch.txt' }).click();
    const besideNotice = await page.getByRole('status').innerText();
    await page.getByRole('button', { name: 'Delete forever /report.txt' }).click();
    await page.getByRole('dialog', { name: 'Delete report.txt forever?' }).getByRole('button', { name: 'Delete forever' }).click();
    await trashed.waitFor({ state: 'detached' });
    const trashAfterPurge = (await aliceCli.client.trash()).map((e) => e.path);
    await aliceCli.client.rm('/scratch.txt');
    await page.reload();
    await page.getByRole('button', { name: 'Empty trash' }).click();
    await page.getByRole('dialog', { name: 'Empty the trash?' }).getByRole('button', { name: 'Delete forever' }).click();
    await page.getByText('The trash is empty.').waitFor();
    // Assess
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatch(new RegExp(`^Revision 2\\s+current\\s+3\\.00 KB · .+ · ${alice.email.replace(/[.+]/g, '\\$&')} on \\S.*$`));
    expect(listed[1]).toMatch(new RegExp(`^Revision 1\\s+2\\.00 KB · .+ · ${alice.email.replace(/[.+]/g, '\\$&')} on web browser\\s+Restore$`));
    expect(restoredNotice).toBe('Revision 1 restored as revision 3.');
    expect(await sha256File(readBack)).toBe(await sha256File(first));
    expect(trashedText).toContain(`by ${alice.email} on web browser`);
    expect(trashedText).toContain('2.00 KB');
    expect(backNotice).toMatch(/^\/report\.txt is back\./);
    expect(afterRestore).toContain('report.txt');
    const besideName = /^\/scratch\.txt is taken, so it was restored beside it as \/(.+)\. Open its folder$/.exec(besideNotice)?.[1];
    expect(besideName).toMatch(/^scratch.+\.txt$/);
    expect((await aliceCli.client.ls('/')).map((e) => e.name)).toContain(besideName);
    expect(trashAfterPurge).not.toContain('/report.txt');
    expect(await aliceCli.client.trash()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);

  it('a newcomer signs up, confirms with the code the runtime prints, lands in an empty folder and signs out', async () => {
    // Prepare: locally the code is printed in the runtime's output (README walk-through), not emailed.
    if (!target.local) return;
    const log = runtimeLogOf(target.local.dataDir);
    const email = `carol-${randomUUID().slice(0, 8)}@example.com`;
    const { context, page, problems } = await newTab(browser);
    // Act
    await page.goto(webUrl);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Carol-pass-2024!');
    await page.getByRole('button', { name: 'Create account' }).click();
    const code = await eventually('the confirmation code in the runtime output', async () =>
      new RegExp(`Confirmation code for ${email.replace(/[.+]/g, '\\$&')}: (\\d+)`).exec(fs.readFileSync(log, 'utf8'))?.[1],
    );
    await page.getByLabel('Confirmation code').fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('This folder is empty.').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tote' }).waitFor();
    await page.reload();
    const afterReload = await page.getByRole('heading', { level: 1 }).innerText();
    // Assess
    expect(afterReload).toBe('Sign in to Tote');
    expect(problems).toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);

  it('an expired access token is refreshed with the refresh token, and the call goes through', async () => {
    // Prepare: Cognito's sign-in answer carries a token the issuer really signed but that has expired
    // (only the local runtime's key is at hand to mint one), as if the tab had slept past its expiry.
    if (!target.local) return;
    const { context, page, problems } = await newTab(browser);
    const cognito = new URL(target.auth.cognitoEndpoint ?? 'http://cognito.invalid').origin;
    await page.route((url) => url.origin === cognito, async (route) => {
      const body = route.request().postDataJSON() as { AuthFlow?: string };
      const response = await route.fetch();
      if (body.AuthFlow !== 'USER_PASSWORD_AUTH') return route.fulfill({ response });
      const json = (await response.json()) as { AuthenticationResult: { AccessToken: string; ExpiresIn: number } };
      const { header, payload } = decodeJwt(json.AuthenticationResult.AccessToken);
      const now = Math.floor(Date.now() / 1000);
      json.AuthenticationResult.AccessToken = signJwt({ header, payload: { ...payload, iat: now - 7200, exp: now - 3600 } }, cognitoLocalKey());
      // The app believes Cognito's relative ExpiresIn over the token's clock; claiming an hour left makes it
      // send the token, so the API's refusal (not the app's own expiry check) must trigger the refresh.
      json.AuthenticationResult.ExpiresIn = 3600;
      return route.fulfill({ response, json });
    });
    const refused: Response[] = [];
    const refreshes: Request[] = [];
    page.on('response', (r) => r.status() === 401 && r.url().startsWith(target.apiUrl) && refused.push(r));
    page.on('request', (r) => new URL(r.url()).origin === cognito && r.postData()?.includes('REFRESH_TOKEN_AUTH') && refreshes.push(r));
    // Act
    await signIn(page, webUrl, alice.email, alice.password);
    await page.getByRole('cell', { name: 'photo.bin', exact: true }).waitFor();
    // Assess
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refreshes).toHaveLength(1);
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);

  it('works at phone width, by keyboard, with every control labelled (axe-core finds no violations)', async () => {
    // Prepare: axe is injected as a script, which the app's CSP rightly refuses, so this tab bypasses it.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const page = await context.newPage();
    const gone = await randomFile(1_500, 'old-draft.txt');
    await aliceCli.client.put(gone, '/old-draft.txt');
    await aliceCli.client.rm('/old-draft.txt');
    const overflow = async () => (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    // Act
    await page.goto(webUrl);
    const signInViolations = await axeViolations(page);
    await page.getByLabel('Email').focus();
    await page.keyboard.type(alice.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(alice.password);
    await page.keyboard.press('Enter');
    await page.getByRole('cell', { name: 'photo.bin', exact: true }).waitFor();
    const listViolations = await axeViolations(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'file-list-phone.png') });
    const listOverflow = await overflow();
    await page.getByRole('button', { name: 'Versions of photo.bin' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Versions of photo.bin' }).getByText('Revision 1').waitFor();
    const versionsViolations = await axeViolations(page);
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Trash' }).click();
    await page.getByRole('button', { name: 'Restore /old-draft.txt' }).waitFor();
    const trashViolations = await axeViolations(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'trash-phone.png') });
    const trashOverflow = await overflow();
    // Assess
    expect(signInViolations).toEqual([]);
    expect(listViolations).toEqual([]);
    expect(versionsViolations).toEqual([]);
    expect(trashViolations).toEqual([]);
    expect(listOverflow).toBeLessThanOrEqual(0);
    expect(trashOverflow).toBeLessThanOrEqual(0);
    await context.close();
  }, TEST_TIMEOUT_MS);
});

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate("typeof axe !== 'undefined'"))) await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = (await page.evaluate('axe.run()')) as { violations: { id: string; nodes: unknown[] }[] };
  return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
}
