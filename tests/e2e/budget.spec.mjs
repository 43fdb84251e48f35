// The first view of the shop's home moves at most 300 KB over the wire in
// all: the page, CSS, JS, wasm, fonts, pictures and API answers, as a phone
// that never visited downloads them (compressed as the server sends them).
import { test, expect } from '@playwright/test';

const BUDGET = 300 * 1024;

test('the first view of the home page is within 300 KB', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const sizes = new Map();
  page.on('requestfinished', async (request) => {
    const s = await request.sizes();
    sizes.set(request.url(), s.responseBodySize + s.responseHeadersSize);
  });
  await page.goto('/', { waitUntil: 'networkidle' });
  await expect(page.getByTestId('product-list').getByRole('listitem').first()).toBeVisible();
  await page.waitForTimeout(500);
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const largest = [...sizes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([url, size]) => `${(size / 1024).toFixed(1)} KB ${new URL(url).pathname}`);
  console.log(`first view: ${(total / 1024).toFixed(1)} KB in ${sizes.size} requests; largest: ${largest.join(', ')}`);
  expect(total).toBeLessThanOrEqual(BUDGET);
  await context.close();
});
