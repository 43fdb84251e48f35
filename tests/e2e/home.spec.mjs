// The chain browser -> wasm -> gloo-net -> axum -> SQLite, seen by a customer.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { SCREENSHOTS } from './playwright.config.mjs';

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
