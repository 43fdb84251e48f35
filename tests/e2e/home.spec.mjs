// The chain browser -> wasm -> gloo-net -> axum -> SQLite, seen by a customer.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { SCREENSHOTS } from './playwright.config.mjs';
import { openShell } from './shell.mjs';

async function useLocale(page, tag) {
  await page.addInitScript((t) => window.localStorage.setItem('bazar.locale', t), tag);
}

test('the home page lists the seeded products from the API (Chinese)', async ({ page, request }) => {
  const api = await (await request.get('/api/products')).json();
  expect(api.length).toBeGreaterThanOrEqual(20);

  await useLocale(page, 'zh-Hans');
  await page.goto('/shop');
  const cards = page.getByTestId('product-list').getByRole('listitem');
  await expect(cards).toHaveCount(api.length);
  await page.goto('/');
  await expect(cards.first()).toContainText(api[0].names.zh);
  await expect(cards.first()).toContainText(api[0].family.names.zh);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await page.screenshot({ path: join(SCREENSHOTS, 'home-zh.png') });
});

test('the home page in Uyghur reads right to left', async ({ page, request }) => {
  const api = await (await request.get('/api/products')).json();
  await useLocale(page, 'ug');
  await page.goto('/');
  const cards = page.getByTestId('product-list').getByRole('listitem');
  await expect(cards.first()).toContainText(api[0].names.ug);
  const direction = await page.evaluate(() => getComputedStyle(document.body).direction);
  expect(direction).toBe('rtl');
  await page.screenshot({ path: join(SCREENSHOTS, 'home-ug.png') });
});

test('a product deep link loads the app with the product and its family', async ({ page, request }) => {
  const [first] = await (await request.get('/api/products')).json();
  const response = await page.goto(`/product/${first.id}`);
  expect(response.status()).toBe(200);
  const detail = page.getByTestId('product-detail');
  await expect(detail).toContainText(first.names.zh);
  await expect(detail).toContainText(first.family.names.ug);
  await page.screenshot({ path: join(SCREENSHOTS, 'product-zh.png') });
});

test('switching the language needs no reload', async ({ page, request }) => {
  const [first] = await (await request.get('/api/products')).json();
  await useLocale(page, 'zh-Hans');
  await page.goto('/');
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  await expect(page.getByTestId('product-list')).toContainText(first.names.en);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
});

test('the app runs under its Content-Security-Policy with no violation', async ({ page }) => {
  const problems = [];
  page.on('console', (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto('/');
  expect(response.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval' 'nonce-");
  await expect(page.getByTestId('product-list')).toBeVisible();
  await page.goto('/basket');
  await page.goto('/trace/ZZZZ2222');
  await expect(page.getByRole('alert')).toBeVisible();
  expect(problems).toEqual([]);
});

// Before the wasm arrives the page shows its static shell; it must already be
// in the reader's language, so the app mounts over the same words in the
// same place. The browser's language picks it (the server reads
// Accept-Language), and a language chosen in the app wins (the page's inline
// script reads it, which also shows the script runs under the page's policy).
test('the static shell speaks the reader\'s language before the app arrives', async ({ browser }) => {
  const cases = [
    { browser: 'ug-CN', stored: null, lang: 'ug', dir: 'rtl', promise: 'ئائىلىلەر ئۆزى يەيدىغان يېمەكلىك', kind: 'تۇخۇم' },
    { browser: 'en-US', stored: null, lang: 'en', dir: 'ltr', promise: 'The same food the families eat', kind: 'Eggs' },
    { browser: 'zh-CN', stored: null, lang: 'zh-Hans', dir: 'ltr', promise: '农户自家吃的食物', kind: '鸡蛋' },
    { browser: 'zh-CN', stored: 'ug', lang: 'ug', dir: 'rtl', promise: 'ئائىلىلەر ئۆزى يەيدىغان يېمەكلىك', kind: 'تۇخۇم' },
  ];
  for (const c of cases) {
    const phone = { locale: c.browser, viewport: { width: 390, height: 844 } };
    const { context, page, violations } = await openShell(browser, phone, c.stored, '/');
    await expect(page.locator('html')).toHaveAttribute('lang', c.lang);
    await expect(page.locator('html')).toHaveAttribute('dir', c.dir);
    await expect(page.locator('main .promise')).toContainText(c.promise);
    await expect(page.locator('.kind-tile').nth(1)).toHaveText(c.kind);
    const shell = await page.locator('main .promise').boundingBox();
    if (c.lang === 'ug' && !c.stored) await page.screenshot({ path: join(SCREENSHOTS, 'shell-ug.png') });
    // Now with the app: the same words in the same place.
    await page.unroute('**/*.wasm');
    await page.goto('/');
    await expect(page.locator('main .notice')).toHaveCount(0);
    await expect(page.locator('main .promise')).toContainText(c.promise);
    const app = await page.locator('main .promise').boundingBox();
    expect(Math.abs(app.y - shell.y)).toBeLessThan(1);
    expect(Math.abs(app.height - shell.height)).toBeLessThan(1);
    expect(violations).toEqual([]);
    await context.close();
  }
});

// A shared product link paints the product's picture and name before the app
// arrives, where the app puts them.
test('a product page\'s shell shows the product before the app arrives', async ({ browser, request }) => {
  const [first] = await (await request.get('/api/products')).json();
  const context = await browser.newContext({ locale: 'ug-CN', viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto(`/product/${first.id}`);
  await expect(page.locator('h1.product-title')).toHaveText(first.names.ug);
  await expect(page.locator('img.product-hero')).toHaveAttribute('src', first.image);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const shell = await page.locator('img.product-hero').boundingBox();
  await page.screenshot({ path: join(SCREENSHOTS, 'shell-product-ug.png') });
  await page.unroute('**/*.wasm');
  await page.goto(`/product/${first.id}`);
  await expect(page.getByTestId('product-detail')).toBeVisible();
  const app = await page.locator('img.product-hero').boundingBox();
  expect(app).toEqual(shell);
  await expect(page.locator('h1.product-title')).toHaveText(first.names.ug);
  await context.close();

  // A phone set to Chinese whose reader chose Uyghur in the app: the page's
  // script switches the name and the back link before the app arrives.
  const chosen = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
  const again = await chosen.newPage();
  await again.addInitScript(() => localStorage.setItem('bazar.locale', 'ug'));
  await again.route('**/*.wasm', (route) => route.abort());
  await again.goto(`/product/${first.id}`);
  await expect(again.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(again.locator('h1.product-title')).toHaveText(first.names.ug);
  await expect(again.locator('.back-link')).toContainText('قايتىش');
  await chosen.close();
});
