// Offline: after one visit, with the network off, a returning visitor opens
// the shop's home with the last catalog and the basket, and every lesson
// of the tutor with its narration.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { SCREENSHOTS } from './playwright.config.mjs';

test('the shop and the lessons open with the network off', async ({ browser, request }) => {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The worker controls the page after a reload; the catalog passes through it then.
  await page.reload();
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  const products = await (await request.get('/api/products')).json();
  const product = products[0];
  await page.goto(`/product/${product.id}`);
  await page.getByRole('button', { name: '加入购物篮' }).click();
  await expect(page.getByTestId('basket-count')).toHaveText('1');
  await page.goto('/');
  await expect(page.getByTestId('product-list').getByRole('listitem').first()).toBeVisible();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('product-list')).toContainText(products[0].names.zh);
  await expect(page.getByTestId('basket-count')).toHaveText('1');
  await page.screenshot({ path: join(SCREENSHOTS, 'offline-home-zh.png') });

  await page.goto('/seller/learn/1');
  await expect(page.getByTestId('tutor')).toBeVisible();
  await expect(page.getByTestId('caption')).not.toBeEmpty();
  for (const clip of ['l0-s0', 'l1-s0', 'l2-s9', 'l3-s3', 'hint']) {
    const status = await page.evaluate(async (c) => (await fetch(`/audio/ug/${c}.mp3`)).status, clip);
    expect(status, clip).toBe(200);
  }
  await page.goto('/seller/learn/3');
  await expect(page.getByTestId('tutor')).toHaveAttribute('data-lesson', '3');
  await context.close();
});

test('the app is installable: a manifest with icons, names and standalone display', async ({ request }) => {
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest.display).toBe('standalone');
  expect(manifest.name).toContain('巴扎');
  expect(manifest.name).toContain('Bazar');
  expect(manifest.name).toContain('بازار');
  for (const icon of manifest.icons) {
    expect((await request.get(icon.src)).status(), icon.src).toBe(200);
  }
  const sw = await request.get('/sw.js');
  expect(sw.headers()['cache-control']).toBe('no-cache');
});
