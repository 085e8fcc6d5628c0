import { chromium } from 'playwright-core';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
  const page = await browser.newPage();
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto('http://127.0.0.1:5186/');
  await page.waitForTimeout(3000);
  await page.screenshot({ path: '/tmp/webdev/signin.png' });
  const email = process.argv[2], password = process.argv[3];
  if (email) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForTimeout(3000);
    await page.screenshot({ path: '/tmp/webdev/files.png' });
  }
  await browser.close();
})();
