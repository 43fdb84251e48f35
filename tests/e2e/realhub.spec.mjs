// A real township's first day, from an empty database (BAZAR_DEMO=off): the
// platform admin, made by the server's command line, signs in at /center,
// creates the hub and its operator; the operator registers two families by
// hand (the key card is offered at once), ten by a CSV file (checked first,
// then imported), adds a delivery zone that the shop offers, makes a trainer
// account, and finds every change in the audit log. Screenshots of each new
// screen in Chinese and Uyghur.
import { test, expect } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SCREENSHOTS } from './playwright.config.mjs';

const root = resolve(import.meta.dirname, '../..');
const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const server = join(target, 'server/bazar-server');
// A photo as a phone's camera takes it.
const PHOTO = '751d2d606bcffbb68e02e6fc93d10081.jpg';
const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** Both languages of a screen: Chinese as it opens, then Uyghur. */
async function shots(page, name) {
  await shot(page, `${name}-zh`);
  await page.locator('select.lang-switch').selectOption('ug');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await shot(page, `${name}-ug`);
  await page.locator('select.lang-switch').selectOption('zh-Hans');
}

async function signIn(page, base, username, password) {
  await page.goto(`${base}/center`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('a township starts from an empty database: hub, operator, families, zone, staff, audit', async ({ browser }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'bazar-empty-'));
  const db = join(dir, 'bazar.db');
  const port = Number(process.env.BAZAR_E2E_PORT) + 1;
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, RUST_LOG: 'warn' };
  const out = execFileSync(server, ['--db', db, '--no-demo', 'create-account', '--role', 'admin', '--username', 'first.admin'], { env, encoding: 'utf8' });
  const adminPassword = out.match(/Password \(shown only now\): (\S+)/)?.[1];
  expect(adminPassword, out).toBeTruthy();
  const child = spawn(server, ['--addr', `127.0.0.1:${port}`, '--db', db, '--no-demo', '--uploads', join(dir, 'uploads'), '--dist', join(root, 'dist')], { env, stdio: 'ignore' });
  try {
    await expect.poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 20_000 }).toBe(200);

    // The admin: no hub yet, so the hubs screen.
    const admin = await browser.newPage();
    await signIn(admin, base, 'first.admin', adminPassword);
    await expect(admin.getByText('请先选择要管理的乡镇中心')).toBeVisible();
    const form = admin.getByTestId('new-hub');
    await form.locator('input[name=slug]').fill('Da xi');
    await form.getByRole('button', { name: '创建' }).click();
    await expect(form.locator('[aria-invalid=true]').first()).toBeVisible();
    await expect(form.locator('input[name=slug]')).toHaveAttribute('aria-invalid', 'true');
    await form.locator('input[name=slug]').fill('daxi');
    await form.locator('input[name="names.ug"]').fill('داشى يېزىسى');
    await form.locator('input[name="names.zh"]').fill('大西乡');
    await form.locator('input[name="names.en"]').fill('Daxi');
    await form.locator('input[name=address]').fill('喀什地区大西乡电商服务中心');
    await form.locator('input[name=bank_payee]').fill('大西乡电商服务中心');
    await form.locator('input[name=bank_name]').fill('中国农业银行大西支行');
    await form.locator('input[name=bank_account]').fill('6228 4800 1234 5678 901');
    await form.getByRole('button', { name: '创建' }).click();
    const hub = admin.locator('tr[data-hub=daxi]');
    await expect(hub).toContainText('大西乡');
    await hub.locator('input[name=operator]').fill('daxi.ops');
    await hub.getByTestId('add-operator').click();
    const shown = admin.getByTestId('new-password');
    await expect(shown).toContainText('daxi.ops');
    const operatorPassword = (await shown.locator('code').textContent()).trim();
    await shots(admin, 'center-hubs');

    // The operator: two families by hand; the first one's key card at once.
    const operator = await browser.newPage();
    await signIn(operator, base, 'daxi.ops', operatorPassword);
    await operator.getByRole('link', { name: '农户与钥匙卡' }).click();
    const family = operator.getByTestId('family-form');
    for (const [ug, zh, en, stamp] of [['تۇرسۇن ئائىلىسى', '吐尔逊家', 'Tursun family', 'trs'], ['ئايگۈل ئائىلىسى', '阿依古丽家', 'Aygul family', 'AYG']]) {
      await family.locator('input[name="names.ug"]').fill(ug);
      await family.locator('input[name="names.zh"]').fill(zh);
      await family.locator('input[name="names.en"]').fill(en);
      await family.locator('input[name="village.ug"]').fill('داشى');
      await family.locator('input[name="village.zh"]').fill('大西村');
      await family.locator('input[name="village.en"]').fill('Daxi');
      await family.locator('input[name=stamp]').fill(stamp);
      // The first family's photo, from the operator's phone.
      if (stamp === 'trs') await family.locator('input[name=family-photo]').setInputFiles(join(import.meta.dirname, 'uploads', PHOTO));
      await family.getByRole('button', { name: '保存' }).click();
      const card = operator.getByTestId('key-card');
      await expect(card).toContainText(zh);
      await expect(card.locator('svg')).toBeVisible();
      if (stamp === 'trs') await shot(operator, 'center-family-card-zh');
      await operator.getByRole('button', { name: '返回' }).click();
    }
    await expect(operator.getByTestId('families').locator('tr')).toHaveCount(2);
    const [first, second] = await operator.getByTestId('families').locator('tr').evaluateAll((rows) => rows.map((r) => r.dataset.family));
    expect((await (await fetch(`${base}/api/families/${first}`)).json()).family.photo).toMatch(/^\/uploads\/[0-9a-f]{32}\.jpg$/);
    expect((await (await fetch(`${base}/api/families/${second}`)).json()).family.photo).toBe('');
    // A stamp that is another family's.
    await family.locator('input[name="names.zh"]').fill('别家');
    await family.locator('input[name="names.ug"]').fill('باشقا');
    await family.locator('input[name="names.en"]').fill('Another');
    await family.locator('input[name="village.ug"]').fill('داشى');
    await family.locator('input[name="village.zh"]').fill('大西村');
    await family.locator('input[name="village.en"]').fill('Daxi');
    await family.locator('input[name=stamp]').fill('TRS');
    await family.getByRole('button', { name: '保存' }).click();
    await expect(family.locator('input[name=stamp]')).toHaveAttribute('aria-invalid', 'true');
    await expect(family.getByRole('alert')).toContainText('已经被使用了');

    // Ten families from a spreadsheet: checked, then imported.
    let csv = 'name_ug,name_zh,name_en,village_ug,village_zh,village_en,stamp,phone\n';
    for (let i = 0; i < 10; i++) csv += `ئائىلە ${i},${i}号家,Family ${i},داشى,大西村,Daxi,F${i}0,\n`;
    const importer = operator.getByTestId('import');
    await importer.locator('input[type=file]').setInputFiles({ name: 'families.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${csv}`) });
    await importer.getByTestId('import-check').click();
    await expect(importer.getByTestId('import-summary')).toContainText('新登记 10');
    await expect(operator.getByTestId('families').locator('tr')).toHaveCount(2);
    await importer.getByTestId('import-do').click();
    await expect(operator.getByTestId('families').locator('tr')).toHaveCount(12);
    await shots(operator, 'center-families');

    // Honey listed for a family without a phone, with a photo: live at once.
    await operator.locator('[data-testid=families] tr').first().getByTestId('list-for-family').click();
    const assisted = operator.getByTestId('list-for-family-form');
    await assisted.locator('select[name=kind]').selectOption('honey');
    await assisted.locator('input[name=quantity]').fill('12');
    await assisted.locator('input[name=price_fen]').fill('68');
    await assisted.locator('input[name=photo]').setInputFiles(join(import.meta.dirname, 'uploads', PHOTO));
    await shot(operator, 'center-list-for-family-zh');
    await assisted.getByRole('button', { name: '代为上架' }).click();
    await expect(assisted).toHaveCount(0);
    const listed = await (await fetch(`${base}/api/products`)).json();
    expect(listed.map((p) => [p.kind, p.price_fen, p.available])).toEqual([['honey', 6800, 12]]);
    expect(listed[0].image).toMatch(/^\/uploads\//);

    // A delivery zone, which the shop offers at once.
    await operator.getByRole('link', { name: '配送区域' }).click();
    const zone = operator.getByTestId('zone-form');
    await zone.locator('input[name="names.ug"]').fill('بېيجىڭ');
    await zone.locator('input[name="names.zh"]').fill('北京');
    await zone.locator('input[name="names.en"]').fill('Beijing');
    await zone.locator('input[name=shipping_fen]').fill('18');
    await zone.getByRole('button', { name: '保存' }).click();
    await expect(operator.getByTestId('zones')).toContainText('北京');
    const zones = await (await fetch(`${base}/api/zones`)).json();
    expect(zones.map((z) => z.shipping_fen)).toEqual([1800]);

    // The first customer buys two jars of the honey; the hub's queue has the order.
    const honey = (await (await fetch(`${base}/api/products`)).json())[0];
    const placed = await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': '2f1e0d9c-8b7a-4c6d-9e5f-0a1b2c3d4e5f', 'Sec-Fetch-Site': 'same-origin' },
      body: JSON.stringify({
        customer: { name: '赵女士', phone: '13812345678', address: '北京市海淀区学院路 1 号', zone: zones[0].code },
        lines: [{ product_id: honey.id, quantity: 2 }],
        payment: 'on_delivery',
      }),
    });
    expect(placed.status).toBe(201);
    const order = await placed.json();
    expect([order.subtotal_fen, order.shipping_fen, order.total_fen]).toEqual([13600, 1800, 15400]);
    await operator.getByRole('link', { name: '订单' }).click();
    await expect(operator.getByTestId('order-queue')).toContainText(order.code);
    await shots(operator, 'center-zones');

    // A trainer's account; its password shown once.
    await operator.getByRole('link', { name: '工作人员' }).click();
    await operator.getByTestId('add-staff').locator('input[name=username]').fill('daxi.trainer');
    await operator.getByTestId('add-staff').getByRole('button', { name: '添加账号' }).click();
    await expect(operator.getByTestId('new-password')).toContainText('daxi.trainer');
    await expect(operator.getByTestId('staff').locator('tr')).toHaveCount(2);
    await shots(operator, 'center-staff');

    // Every change is in the log: the operator made, 2 families and one's
    // photo, 10 imported, the honey, the zone, the trainer.
    await operator.getByRole('link', { name: '操作记录' }).click();
    await expect(operator.getByTestId('audit').locator('tbody tr')).toHaveCount(2 + 1 + 10 + 1 + 1 + 1 + 1);
    await shots(operator, 'center-audit');
  } finally {
    child.kill();
  }
});
