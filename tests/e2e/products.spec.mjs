// A family changes its own product from its phone, by pictures: how many it
// makes this week (big steppers) and stopping its sale; the shop then shows
// it as not available. The center corrects the product's price and sees it
// paused. Screenshots in Uyghur and Chinese.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SCREENSHOTS } from './playwright.config.mjs';

const target = process.env.CARGO_TARGET_DIR ?? join(import.meta.dirname, '../../target');
const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

test('a family lowers its weekly count and pauses a product from its phone; the center edits it', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const out = execFileSync(
    join(target, 'server/bazar-server'),
    ['create-account', '--role', 'operator', '--hub', 'yultuz-bagh', '--username', 'products.ops'],
    { env: { ...process.env, BAZAR_DB: process.env.BAZAR_E2E_DB, RUST_LOG: 'warn' }, encoding: 'utf8' },
  );
  const password = out.match(/Password \(shown only now\): (\S+)/)[1];
  const products = await (await request.get('/api/products')).json();
  const weekly = products.find((p) => p.capacity === 'weekly' && p.available > 3);

  const operator = await browser.newPage();
  await operator.goto('/center');
  await operator.locator('input[name=username]').fill('products.ops');
  await operator.locator('input[name=password]').fill(password);
  await operator.getByRole('button', { name: '登录' }).click();
  await operator.getByRole('link', { name: '农户与钥匙卡' }).click();
  await operator.locator(`tr[data-family="${weekly.family.id}"]`).getByTestId('issue-card').click();
  const cardUrl = await operator.getByTestId('key-card').getAttribute('data-url');

  // The family's phone, in Uyghur.
  const phoneContext = await browser.newContext({ locale: 'ug-CN', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const phone = await phoneContext.newPage();
  await phone.goto(cardUrl.replace(/^https?:\/\/[^/]+/, ''));
  await expect(phone.getByTestId('seller-home')).toBeVisible();
  await phone.goto('/seller/products');
  const controls = phone.locator(`.product-controls[data-product="${weekly.id}"]`);
  const before = Number(await controls.getByTestId('count').textContent());
  // Every control shows a picture beside its word.
  for (const id of ['save-count', 'pause']) {
    await expect(controls.getByTestId(id).locator('img')).toBeVisible();
  }
  await controls.getByRole('button', { name: 'ئازايتىش' }).click();
  await controls.getByRole('button', { name: 'ئازايتىش' }).click();
  await expect(controls.getByTestId('count')).toHaveText(String(before - 2));
  await controls.getByTestId('save-count').click();
  await expect.poll(async () => (await (await request.get(`/api/products/${weekly.id}`)).json()).product.available)
    .toBe(weekly.available - 2);
  await controls.getByTestId('pause').click();
  await expect(phone.locator(`.product-controls[data-product="${weekly.id}"].paused`)).toBeVisible();
  await shot(phone, 'seller-products-paused-ug');
  await phone.locator('.seller-bar select').selectOption('zh-Hans');
  await shot(phone, 'seller-products-paused-zh');

  // The shop: still there, not available now.
  const customer = await browser.newPage();
  await customer.goto(`/product/${weekly.id}`);
  await expect(customer.getByText('已售完').first()).toBeVisible();

  // The center sees it paused and corrects its price.
  await operator.getByRole('link', { name: '商品', exact: true }).click();
  const row = operator.locator(`tr[data-product="${weekly.id}"]`);
  await expect(row).toContainText('暂停中');
  await row.getByTestId('edit-product').click();
  const form = operator.getByTestId('product-form');
  await form.locator('input[name=price_fen]').fill('0');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(form.locator('input[name=price_fen]')).toHaveAttribute('aria-invalid', 'true');
  await form.locator('input[name=price_fen]').fill('2.50');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(row).toContainText('¥2.50');
  await shot(operator, 'center-products-zh');
  await operator.locator('select.lang-switch').selectOption('ug');
  await shot(operator, 'center-products-ug');

  // Resumed from the phone, it can be ordered again; the count and the
  // price go back as they were for the tests that follow.
  const again = phone.locator(`.product-controls[data-product="${weekly.id}"]`);
  await again.getByTestId('pause').click();
  await expect(phone.locator(`.product-controls[data-product="${weekly.id}"].paused`)).toHaveCount(0);
  await again.getByRole('button', { name: '加一' }).click();
  await again.getByRole('button', { name: '加一' }).click();
  await again.getByTestId('save-count').click();
  await expect.poll(async () => (await (await request.get(`/api/products/${weekly.id}`)).json()).product.available)
    .toBe(weekly.available);
  await operator.locator('select.lang-switch').selectOption('zh-Hans');
  await row.getByTestId('edit-product').click();
  const price = `${Math.floor(weekly.price_fen / 100)}.${String(weekly.price_fen % 100).padStart(2, '0')}`;
  await form.locator('input[name=price_fen]').fill(price);
  await form.getByRole('button', { name: '保存' }).click();
  await expect.poll(async () => (await (await request.get(`/api/products/${weekly.id}`)).json()).product.price_fen)
    .toBe(weekly.price_fen);

  // The family's month on one printed page, Uyghur with Chinese under it.
  await operator.goto(`/center/statement/${weekly.family.id}`);
  const statement = operator.getByTestId('statement');
  await expect(statement).toContainText(weekly.family.names.ug);
  await expect(statement).toContainText(weekly.family.names.zh);
  await expect(statement.locator('.statement-sum')).toHaveCount(5);
  await shot(operator, 'center-statement-zh');
  await operator.emulateMedia({ media: 'print' });
  await operator.setViewportSize({ width: 559, height: 794 });
  await expect(operator.locator('.center-bar')).toBeHidden();
  await shot(operator, 'center-statement-print-a5');
});
