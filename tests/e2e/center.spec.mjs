// One order followed from the customer's phone through the service center to
// the family's money, with real accounts: an operator signs in, prints the
// pick list, collects (trace codes made), packs, ships with a waybill and
// delivers, and the customer's tracking page shows every step; the printed
// trace code resolves; the family, signed in with its key card, sees what to
// prepare, its listings (approved and sent back) and its money.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SCREENSHOTS, SAME_ORIGIN } from './playwright.config.mjs';

const target = process.env.CARGO_TARGET_DIR ?? join(import.meta.dirname, '../../target');
const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** A new operator account, made by the server's own command; answers its password. */
function createOperator(username) {
  const out = execFileSync(
    join(target, 'server/bazar-server'),
    ['create-account', '--role', 'operator', '--hub', 'yultuz-bagh', '--username', username],
    { env: { ...process.env, BAZAR_DB: process.env.BAZAR_E2E_DB, RUST_LOG: 'warn' }, encoding: 'utf8' },
  );
  const password = out.match(/Password \(shown only now\): (\S+)/)?.[1];
  expect(password, out).toBeTruthy();
  return password;
}

async function watchCsp(page) {
  const problems = [];
  page.on('console', (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}

test('an order from the shop through the center to the family and its money', async ({ browser, request }) => {
  test.setTimeout(120_000);
  // The customer orders eggs and honey from two families.
  const products = await (await request.get('/api/products')).json();
  const eggs = products.find((p) => p.kind === 'eggs' && p.available >= 4);
  const honey = products.find((p) => p.kind === 'honey' && p.family.id !== eggs.family.id);
  const placed = await request.post('/api/orders', {
    headers: { 'Idempotency-Key': '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d', ...SAME_ORIGIN },
    data: {
      customer: { name: '李女士', phone: '13912345678', address: '上海市浦东新区花园路 8 号', zone: 'shanghai' },
      lines: [{ product_id: eggs.id, quantity: 4 }, { product_id: honey.id, quantity: 1 }],
      payment: 'on_delivery',
    },
  });
  expect(placed.status()).toBe(201);
  const order = await placed.json();

  const customer = await browser.newPage();
  const tracking = async (statusCount) => {
    await customer.goto(`/track/${order.tracking_token}`);
    await expect(customer.getByTestId('timeline').locator('li.done')).toHaveCount(statusCount);
  };
  await tracking(1);

  // The operator signs in (a wrong password first).
  const password = createOperator('e2e.ops');
  const operator = await browser.newPage();
  const csp = await watchCsp(operator);
  await operator.goto('/center');
  await operator.locator('input[name=username]').fill('e2e.ops');
  await operator.locator('input[name=password]').fill('not-the-password');
  await operator.getByRole('button', { name: '登录' }).click();
  await expect(operator.getByRole('alert')).toContainText('用户名或密码不对');
  await shot(operator, 'center-sign-in-zh');
  await operator.locator('input[name=password]').fill(password);
  await operator.getByRole('button', { name: '登录' }).click();
  await expect(operator.getByTestId('order-queue')).toContainText(order.code);
  await expect(operator.locator('[data-status=placed] .count')).toHaveText('1');
  await shot(operator, 'center-queue-zh');

  // The family's phone signs in with a printed key card, before collection.
  await operator.getByRole('link', { name: '农户与钥匙卡' }).click();
  await operator.locator(`tr[data-family="${eggs.family.id}"]`).getByTestId('issue-card').click();
  const card = operator.getByTestId('key-card');
  await expect(card.locator('svg')).toBeVisible();
  await expect(card).toContainText(eggs.family.names.zh);
  await shot(operator, 'center-key-card-zh');
  const cardUrl = await card.getAttribute('data-url');
  expect(cardUrl).toMatch(/\/seller#key=[0-9a-f]{64}$/);

  const phoneContext = await browser.newContext({ locale: 'ug-CN', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const phone = await phoneContext.newPage();
  await phone.goto(cardUrl.replace(/^https?:\/\/[^/]+/, ''));
  await expect(phone.getByTestId('seller-home')).toBeVisible();
  await expect(phone).toHaveURL(/\/seller$/, { timeout: 5_000 });
  expect(await phone.evaluate(() => document.documentElement.dir)).toBe('rtl');
  await shot(phone, 'seller-home-ug');
  await phone.getByTestId('tile-prepare').click();
  const prepare = phone.getByTestId('to-prepare');
  await expect(prepare.locator(`[data-product="${eggs.id}"] .big-number`)).toHaveText('4');
  await shot(phone, 'seller-prepare-ug');

  // The pick list, by family, with villages; printable.
  await operator.getByRole('link', { name: '取货单' }).click();
  const pick = operator.getByTestId('pick-list');
  await expect(pick.locator('.pick-family')).toHaveCount(2);
  await expect(pick.locator(`[data-family="${eggs.family.id}"]`)).toContainText(eggs.family.village.zh);
  await shot(operator, 'center-pick-list-zh');
  await operator.emulateMedia({ media: 'print' });
  await expect(operator.locator('.center-bar')).toBeHidden();
  await operator.setViewportSize({ width: 794, height: 1123 });
  await shot(operator, 'center-pick-list-print-a4');
  await operator.emulateMedia({ media: 'screen' });
  await operator.setViewportSize({ width: 390, height: 844 });

  // Collecting each family's goods makes a batch with a trace code.
  const codes = [];
  for (const product of [eggs, honey]) {
    const item = pick.locator(`.pick-item[data-product="${product.id}"]`);
    await item.getByTestId('collect').click();
    const code = item.getByTestId('trace-code');
    await expect(code).toHaveText(/^[2-9A-HJ-NP-Z]{8}$/);
    codes.push(await code.textContent());
  }
  await tracking(3);

  // The egg carton's label: family in Uyghur and Chinese, product, date, code, QR.
  await operator.goto(`/center/label/${codes[0]}`);
  const label = operator.getByTestId('trace-label');
  await expect(label).toContainText(eggs.family.names.ug);
  await expect(label).toContainText(eggs.family.names.zh);
  await expect(label).toContainText(codes[0]);
  await expect(label.locator('svg')).toBeVisible();
  await shot(operator, 'center-label-zh');

  // Packed, then shipped (a waybill is needed), then delivered.
  await operator.goto(`/center/order/${order.code}`);
  await expect(operator.getByTestId('order-status')).toHaveText('已到服务中心');
  await operator.getByTestId('next-step').click();
  await expect(operator.getByTestId('order-status')).toHaveText('已打包');
  await tracking(4);
  await operator.getByTestId('next-step').click();
  await expect(operator.getByRole('alert')).toContainText('请填写');
  await operator.locator('input[name=waybill]').fill('784-12345675');
  await operator.getByTestId('next-step').click();
  await expect(operator.getByTestId('order-status')).toHaveText('已空运发出');
  await expect(operator.getByTestId('waybill')).toHaveText('784-12345675');
  await tracking(5);
  await expect(customer.getByTestId('timeline')).toContainText('784-12345675');
  await operator.getByTestId('next-step').click();
  await expect(operator.getByTestId('order-status')).toHaveText('已送达');
  await expect(operator.getByTestId('history').locator('li')).toHaveCount(6);
  await shot(operator, 'center-order-zh');
  await tracking(6);
  await shot(customer, 'center-flow-tracking-zh');

  // The printed trace code resolves in the shop.
  await customer.goto(`/trace/${codes[0]}`);
  await expect(customer.locator('main')).toContainText(eggs.family.names.zh);

  // The family's listings: one approved with a corrected price, one sent back with a reason.
  for (const kind of ['nang', 'eggs']) {
    const response = await phone.request.post('/api/seller/listings', {
      headers: SAME_ORIGIN,
      data: { kind, capacity: 'weekly', quantity: 20, price_fen: 500 },
    });
    expect(response.status()).toBe(201);
  }
  await operator.goto('/center/listings');
  const queue = operator.getByTestId('listing-queue');
  await expect(queue.locator('.listing-card')).toHaveCount(2);
  await shot(operator, 'center-listings-zh');
  const first = queue.locator('.listing-card').first();
  await first.locator('input[name=price]').fill('6.50');
  await first.getByTestId('approve').click();
  await expect(queue.locator('.listing-card')).toHaveCount(1);
  const second = queue.locator('.listing-card').first();
  await second.locator('select[name=reason]').selectOption('photo_unclear');
  await second.getByTestId('reject').click();
  await expect(operator.getByText('没有待审核的商品')).toBeVisible();

  await phone.goto('/seller/products');
  const mine = phone.getByTestId('my-products');
  await expect(mine.locator('[data-status=live]', { hasText: '¥6.50' })).toHaveCount(1);
  await expect(mine.locator('[data-status=rejected]').getByTestId('reject-reason')).toContainText('رەسىم');
  await shot(phone, 'seller-products-ug');

  // The money: the family's share of the order, then a payout.
  await operator.goto('/center/earnings');
  const row = operator.getByTestId('earnings').locator(`tr[data-family="${eggs.family.id}"]`);
  const gross = (eggs.price_fen * 4) / 100;
  await expect(row).toContainText(`¥${gross.toFixed(2)}`);
  await operator.locator('select[name=family]').selectOption(String(eggs.family.id));
  await operator.locator('input[name=amount]').fill('1');
  await operator.getByRole('button', { name: '记录付款' }).click();
  await expect(row).toContainText('¥1.00');
  await shot(operator, 'center-earnings-zh');
  const csv = await operator.request.get('/api/center/earnings.csv');
  expect(await csv.text()).toContain(eggs.family.names.zh);
  await operator.goto('/center/overview');
  await expect(operator.getByTestId('chart').locator('rect')).not.toHaveCount(0);
  await shot(operator, 'center-overview-zh');

  await phone.goto('/seller/money');
  await expect(phone.getByTestId('order-shares')).toContainText(order.code);
  await expect(phone.getByTestId('payouts').locator('li')).toHaveCount(1);
  await expect(phone.getByTestId('month-bars').locator('.month-bar')).toHaveCount(6);
  await shot(phone, 'seller-money-ug');
  await phone.locator('.seller-bar select').selectOption('zh-Hans');
  await expect(phone.getByText('我的钱')).toBeVisible();
  await shot(phone, 'seller-money-zh');
  await phone.goto('/seller/prepare');
  await expect(phone.getByTestId('nothing-to-prepare')).toBeVisible();

  // Revoking the card signs the phone out.
  await operator.goto('/center/families');
  await operator.locator(`tr[data-family="${eggs.family.id}"]`).getByTestId('revoke-card').click();
  await expect(operator.locator(`tr[data-family="${eggs.family.id}"]`).getByTestId('revoke-card')).toHaveCount(0);
  await phone.goto('/seller');
  await expect(phone.getByTestId('scan-card')).toBeVisible();
  await shot(phone, 'seller-signed-out-zh');

  // The center's pages ran under the Content-Security-Policy without a violation.
  expect(csp).toEqual([]);
  await phoneContext.close();
});

test('the center in Uyghur mirrors and a signed-out visitor sees only the sign-in', async ({ page }) => {
  await page.goto('/center');
  await expect(page.locator('input[name=username]')).toBeVisible();
  const api = await page.request.get('/api/center/orders');
  expect(api.status()).toBe(401);
  createOperator('e2e.ug');
  await page.evaluate(() => localStorage.setItem('bazar.locale', 'ug'));
  await page.reload();
  await expect(page.locator('input[name=username]')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await shot(page, 'center-sign-in-ug');
});

// Being signed out is a state, not an error: the center's sign-in, the
// sellers' card screen and the trainers' sign-in log nothing to the console.
test('signed out, the center, the sellers\' app and the lecture log no error', async ({ page }) => {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e}`));
  await page.goto('/center');
  await expect(page.locator('input[name=password]')).toBeVisible();
  await page.goto('/seller');
  await expect(page.locator('.seller-bar')).toBeVisible();
  await expect(page.locator('[data-testid=hear]').first()).toBeVisible();
  await page.goto('/seller/lecture');
  await expect(page.locator('input[type=password]')).toBeVisible();
  expect(errors).toEqual([]);
  // The watch sees what a 401 logs (so the empty list above means something).
  await page.evaluate(() => fetch('/api/center/orders'));
  await expect.poll(() => errors.length).toBe(1);
});
