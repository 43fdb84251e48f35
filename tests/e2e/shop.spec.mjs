// A customer's whole visit, on a phone, in Chinese: browse, meet the family,
// fill the basket, check out as a guest, and follow the parcel. Then the same
// checkout with the network cut, and an egg's trace code.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOTS, SAME_ORIGIN } from './playwright.config.mjs';

const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

// A phone number per order: orders paid on delivery are limited per number.
const newPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

async function fillCheckout(page, { phone = newPhone() } = {}) {
  await page.locator('#field-name').fill('王小明');
  await page.locator('#field-phone').fill(phone);
  await page.locator('#field-address').fill('北京市朝阳区幸福路 1 号');
  await page.locator('select[name=zone]').selectOption('beijing');
}

async function available(request, id) {
  const products = await (await request.get('/api/products')).json();
  return products.find((p) => p.id === id)?.available;
}

test('browse, basket, guest checkout and tracking', async ({ page, request }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '想买点什么？' })).toBeVisible();
  await shot(page, 'shop-home-zh');

  await page.getByRole('link', { name: '鸡蛋', exact: true }).click();
  await expect(page).toHaveURL(/\/shop\?kind=eggs/);
  const cards = page.getByTestId('product-list').getByRole('listitem');
  await expect(cards.first()).toBeVisible();
  const eggs = (await (await request.get('/api/products?kind=eggs')).json()).find((p) => p.available >= 20);
  await shot(page, 'shop-listing-zh');

  await page.goto(`/product/${eggs.id}`);
  const detail = page.getByTestId('product-detail');
  await expect(detail).toContainText(eggs.names.zh);
  await page.getByRole('button', { name: '增加一件' }).click();
  await expect(page.getByRole('group', { name: '数量' }).locator('output')).toHaveText('2');
  await page.getByRole('button', { name: '加入购物篮' }).click();
  await expect(page.getByTestId('basket-count')).toHaveText('2');
  await shot(page, 'shop-product-zh');

  await page.getByRole('link', { name: '认识这家农户' }).click();
  await expect(page).toHaveURL(new RegExp(`/family/${eggs.family.id}$`));
  await expect(page.getByTestId('family-card')).toContainText(eggs.family.names.zh);
  await expect(page.getByTestId('product-list')).toContainText(eggs.names.zh);
  await shot(page, 'shop-family-zh');

  // The basket survives a reload.
  await page.reload();
  await expect(page.getByTestId('basket-count')).toHaveText('2');
  await page.goto('/basket');
  await expect(page.getByTestId('basket-line')).toHaveCount(1);
  await page.locator('select[name=zone]').selectOption('beijing');
  const zones = await (await request.get('/api/zones')).json();
  const beijing = zones.find((z) => z.code === 'beijing');
  const total = (eggs.price_fen * 2 + beijing.shipping_fen) / 100;
  await expect(page.getByTestId('total')).toContainText(`¥${total.toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
  await shot(page, 'shop-basket-zh');

  await page.getByRole('link', { name: '去结算' }).click();
  await fillCheckout(page, { phone: '12345' });
  await page.getByTestId('place-order').click();
  await expect(page.locator('#field-phone-error')).toHaveText('请输入11位手机号，例如 138 0013 8000。');
  await shot(page, 'shop-checkout-error-zh');
  // What was typed survives a reload.
  await page.reload();
  await expect(page.locator('#field-name')).toHaveValue('王小明');
  await page.locator('#field-phone').fill('138 0013 8000');
  await page.getByRole('radio', { name: '银行转账' }).check();
  await page.getByTestId('place-order').click();

  await expect(page.getByTestId('confirmation')).toBeVisible();
  await expect(page.getByTestId('order-code')).toHaveText(/^BZ-[2-9A-HJ-NP-Z]{8}$/);
  await expect(page.getByTestId('basket-count')).toHaveCount(0);
  const code = await page.getByTestId('order-code').textContent();
  await expect(page.getByTestId('pay-to')).toContainText('6222 0000 1234 5678');
  await expect(page.getByTestId('pay-to')).toContainText(code);
  expect(await available(request, eggs.id)).toBe(eggs.available - 2);
  await shot(page, 'shop-confirmation-zh');

  const link = await page.getByTestId('tracking-link').getAttribute('href');
  expect(link).toMatch(/\/track\/[0-9a-f]{32}$/);
  await page.goto(link);
  const timeline = page.getByTestId('timeline');
  await expect(timeline.locator('li')).toHaveCount(6);
  await expect(timeline.locator('li.done')).toHaveCount(1);
  await expect(timeline.locator('li.done')).toContainText('已下单');
  await expect(page.locator('.order-lines')).toContainText(eggs.family.names.zh);
  await shot(page, 'shop-tracking-zh');
});

test('an order placed with the network cut is kept and sent exactly once when it returns', async ({ page, context, request }) => {
  const honey = (await (await request.get('/api/products?kind=honey')).json())[0];
  await page.goto(`/product/${honey.id}`);
  await page.getByRole('button', { name: '加入购物篮' }).click();
  await page.goto('/checkout');
  await fillCheckout(page);

  await context.setOffline(true);
  await page.getByTestId('place-order').click();
  await expect(page.getByTestId('order-waiting')).toBeVisible();
  const pending = await page.evaluate(() => JSON.parse(localStorage.getItem('bazar.pending_order')));
  expect(pending.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(pending.request.lines).toEqual([{ product_id: honey.id, quantity: 1 }]);
  expect(await available(request, honey.id)).toBe(honey.available);
  await shot(page, 'shop-checkout-offline-zh');

  await context.setOffline(false);
  await expect(page.getByTestId('confirmation')).toBeVisible({ timeout: 15_000 });
  expect(await available(request, honey.id)).toBe(honey.available - 1);
  expect(await page.evaluate(() => localStorage.getItem('bazar.pending_order'))).toBeNull();

  // Sending the same key again (a retry after a lost answer) changes nothing.
  const replay = await request.post('/api/orders', {
    headers: { 'Idempotency-Key': pending.key, ...SAME_ORIGIN },
    data: pending.request,
  });
  expect(replay.status()).toBe(201);
  expect((await replay.json()).code).toBe(await page.getByTestId('order-code').textContent());
  expect(await available(request, honey.id)).toBe(honey.available - 1);
});

test('a pending order left by a closed tab is sent when the app opens again', async ({ page, context, request }) => {
  const nang = (await (await request.get('/api/products?kind=nang')).json())[1];
  await page.goto('/');
  await context.setOffline(true);
  const key = '6a1f3c52-1b7e-4c1d-9f43-2d8e5b7a9c10';
  await page.evaluate(([key, id]) => localStorage.setItem('bazar.pending_order', JSON.stringify({
    key,
    request: {
      customer: { name: 'Li', phone: '13900000000', address: '上海市浦东新区 8 号', zone: 'shanghai' },
      lines: [{ product_id: id, quantity: 3 }],
      payment: 'bank_transfer',
    },
  })), [key, nang.id]);
  await context.setOffline(false);
  await page.goto('/orders');
  await expect(page.locator('.my-orders li')).toHaveCount(1, { timeout: 15_000 });
  expect(await available(request, nang.id)).toBe(nang.available - 3);
});

test('an egg\'s trace code from the menu leads to the family', async ({ page }) => {
  const demo = JSON.parse(readFileSync(new URL('../../server/seed/demo.json', import.meta.url)));
  const batch = demo.batches[0];
  const product = demo.products[batch.product];
  const family = demo.families.find((f) => f.key === product.family);
  await page.goto('/');
  await page.getByRole('button', { name: '菜单' }).click();
  const code = `${batch.code.slice(0, 4)}-${batch.code.slice(4)}`.toLowerCase();
  await page.locator('nav.menu-panel #trace-code').fill(code);
  await page.locator('nav.menu-panel').getByRole('button', { name: '查找农户' }).click();
  await expect(page).toHaveURL(new RegExp(`/trace/${batch.code}$`));
  const result = page.getByTestId('trace-result');
  await expect(result).toContainText(family.names.zh);
  await expect(result).toContainText(family.village.zh);
  await expect(result).toContainText(product.names.zh);
  await shot(page, 'shop-trace-zh');

  await page.goto('/trace/ZZZZ-2222');
  await expect(page.getByRole('alert')).toHaveText('没有找到此溯源码，请核对。');
});
