// The sellers' side in Uyghur on a phone: lessons learned by tapping the lit
// control on the real screens (with a spoken hint for a wrong tap, and
// resuming after a reload), practice that never reaches the server, a real
// listing made with the phone's camera that arrives as pending, big targets
// and no serious accessibility problems; and a lecture whose phones follow
// the trainer live.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SCREENSHOTS, SAME_ORIGIN } from './playwright.config.mjs';
import { openShell } from './shell.mjs';

const target = process.env.CARGO_TARGET_DIR ?? join(import.meta.dirname, '../../target');
const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, 'tutor', `${name}.png`) });
const PHONE = { locale: 'ug-CN', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
// An 8x8 PNG, as if from the camera.
const PHOTO = {
  name: 'photo.png',
  mimeType: 'image/png',
  buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGM4UaGBFTEMLQkAUtVaAV8W4QQAAAAASUVORK5CYII=', 'base64'),
};

function createAccount(role, username) {
  const out = execFileSync(
    join(target, 'server/bazar-server'),
    ['create-account', '--role', role, '--hub', 'yultuz-bagh', '--username', username],
    { env: { ...process.env, BAZAR_DB: process.env.BAZAR_E2E_DB, RUST_LOG: 'warn' }, encoding: 'utf8' },
  );
  return out.match(/Password \(shown only now\): (\S+)/)[1];
}

async function signIn(request, username, password) {
  const response = await request.post('/api/auth/sign-in', { headers: SAME_ORIGIN, data: { username, password } });
  expect(response.status()).toBe(200);
}

/** Taps the lit control of the current step and waits for the next step. */
async function doStep(page, lesson, index, name) {
  const tutor = page.getByTestId('tutor');
  await expect(tutor).toHaveAttribute('data-step', String(index));
  await expect(page.getByTestId('spotlight')).toBeVisible();
  const control = page.locator(`[data-tutor="${name}"]`).first();
  // The light sits on the control to tap (once the page has scrolled to it).
  await expect.poll(async () => {
    const [light, target] = [await page.getByTestId('spotlight').boundingBox(), await control.boundingBox()];
    return light && target && Math.abs(light.x + light.width / 2 - (target.x + target.width / 2)) < 4
      && Math.abs(light.y + light.height / 2 - (target.y + target.height / 2)) < 4;
  }).toBe(true);
  await shot(page, `lesson${lesson}-step${index + 1}-${name}-ug`);
  if (name.startsWith('photo')) {
    await control.locator('input[type=file]').setInputFiles(PHOTO);
  } else {
    await control.click();
  }
  await expect(tutor).toHaveAttribute('data-step', String(index + 1));
}

/** Lists once more with no lights, as the lesson's check. */
async function listAlone(page, kind, price) {
  await page.getByTestId('try-alone').click();
  await expect(page.getByTestId('spotlight')).toHaveCount(0);
  await page.locator(`[data-tutor=kind-${kind}]`).click();
  await page.locator('[data-tutor=photo-take] input[type=file]').setInputFiles(PHOTO);
  await page.locator('[data-tutor=next]').click();
  await page.locator('[data-tutor=next]').click();
  await page.locator(`[data-tutor=key-${price}]`).click();
  await page.locator('[data-tutor=next]').click();
  await page.locator('[data-tutor=send]').click();
  await expect(page.getByTestId('lesson-passed')).toBeVisible();
}

test('a learner takes lessons 0 to 3 in Uyghur by tapping what shines', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const before = (await (await request.get('/api/products')).json()).length;
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto('/seller/learn');
  expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
  await shot(page, 'lessons-ug');

  // Lesson 0: tap, scroll, go back, take a photo.
  await page.getByTestId('lesson-0').click();
  for (const [i, name] of ['l0-tap', 'l0-scroll', 'l0-back', 'photo-take'].entries()) {
    await doStep(page, 0, i, name);
  }
  await expect(page.getByTestId('lesson-done')).toBeVisible();

  // Lesson 1: sell nang. A wrong tap only brings the hint; the step stays.
  await page.goto('/seller/learn/1');
  await expect(page.getByTestId('caption')).toContainText('سېتىش');
  await page.mouse.click(195, 60);
  await expect(page.getByTestId('tutor')).toHaveAttribute('data-step', '0');
  const steps1 = ['tile-sell', 'kind-nang', 'photo-take', 'next', 'qty-plus', 'next', 'key-5', 'next', 'send'];
  for (const [i, name] of steps1.entries()) {
    if (i === 5) {
      // Closing the app in the middle: it resumes at the same step.
      await page.reload();
      await expect(page.getByTestId('tutor')).toHaveAttribute('data-step', '5');
      await expect(page.getByTestId('step-count')).toHaveText('6 / 9');
    }
    await doStep(page, 1, i, name);
  }
  await shot(page, 'lesson1-done-ug');
  await listAlone(page, 'nang', 5);
  await shot(page, 'lesson1-passed-ug');

  // Lesson 2: sell eggs.
  await page.goto('/seller/learn/2');
  const steps2 = ['tile-sell', 'kind-eggs', 'photo-take', 'next', 'capacity-weekly', 'qty-plus', 'next', 'key-2', 'next', 'send'];
  for (const [i, name] of steps2.entries()) {
    await doStep(page, 2, i, name);
  }
  await listAlone(page, 'eggs', 2);

  // Lesson 3: orders and money.
  await page.goto('/seller/learn/3');
  for (const [i, name] of ['tile-prepare', 'home', 'tile-money', 'home'].entries()) {
    await doStep(page, 3, i, name);
  }
  await page.goto('/seller/learn');
  await expect(page.locator('.lesson-star')).toHaveCount(4);
  await shot(page, 'lessons-passed-ug');

  // Practice never reached the server: no new product, nothing pending at the center.
  expect((await (await request.get('/api/products')).json()).length).toBe(before);
  const operator = await browser.newContext();
  await signIn(operator.request, 'tutor.ops', createAccount('operator', 'tutor.ops'));
  const pending = await (await operator.request.get('/api/center/listings?status=pending')).json();
  expect(pending).toEqual([]);
  await operator.close();
  await context.close();
});

test('a family lists eggs for real with the camera, and it waits as pending', async ({ browser }) => {
  const operator = await browser.newContext();
  await signIn(operator.request, 'real.ops', createAccount('operator', 'real.ops'));
  const card = await (await operator.request.post('/api/center/families/6/key-card', { headers: SAME_ORIGIN })).json();

  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(card.url.replace(/^https?:\/\/[^/]+/, ''));
  await expect(page.getByTestId('seller-home')).toBeVisible();
  await page.getByTestId('tile-sell').click();
  await page.locator('[data-tutor=kind-eggs]').click();
  await shot(page, 'real-sell-photo-ug');
  await page.locator('[data-tutor=photo-take] input[type=file]').setInputFiles(PHOTO);
  await expect(page.getByTestId('photo-preview')).toHaveAttribute('src', /^\/uploads\/[0-9a-f]{32}\.jpg$/);
  // The draft survives closing the app.
  await page.reload();
  await expect(page.getByTestId('photo-preview')).toBeVisible();
  await page.locator('[data-tutor=next]').click();
  for (let i = 0; i < 5; i++) await page.locator('[data-tutor=qty-plus]').click();
  await expect(page.getByTestId('quantity')).toHaveText('15');
  await shot(page, 'real-sell-quantity-ug');
  await page.locator('[data-tutor=next]').click();
  await expect(page.locator('.suggestion')).toBeVisible();
  await shot(page, 'real-sell-price-ug');
  await page.locator('[data-tutor=key-1]').click();
  await page.locator('[data-tutor=key-dot]').click();
  await page.locator('[data-tutor=key-8]').click();
  await expect(page.getByTestId('price')).toContainText('1.8');
  await page.locator('[data-tutor=next]').click();
  await expect(page.getByTestId('preview')).toContainText('¥1.80');
  await shot(page, 'real-sell-preview-ug');
  await page.locator('[data-tutor=send]').click();
  await expect(page.getByTestId('sent')).toBeVisible();
  await page.getByRole('link', { name: 'مېنىڭ مېلىم' }).click();
  await expect(page.getByTestId('my-products').locator('[data-status=pending]')).toHaveCount(1);

  const pending = await (await operator.request.get('/api/center/listings?status=pending')).json();
  expect(pending.map((l) => [l.family_id, l.kind, l.price_fen, l.quantity])).toEqual([[6, 'eggs', 180, 15]]);
  expect(pending[0].image).toMatch(/^\/uploads\/[0-9a-f]{32}\.jpg$/);
  await operator.close();
  await context.close();
});

// A lesson that starts on the seller's home draws its tiles before the app
// arrives (seller.html's template, written in by the page's inline script),
// in the learner's language and where the app puts them: on a slow network
// the learner sees the lesson at once, and nothing moves when the app mounts.
test('a lesson\'s first screen paints before the app arrives, where the app puts it', async ({ browser }) => {
  const cases = [
    { browser: 'ug-CN', stored: null, lang: 'ug', dir: 'rtl', sell: 'مال سېتىش' },
    { browser: 'zh-CN', stored: null, lang: 'zh-Hans', dir: 'ltr', sell: '卖东西' },
    { browser: 'zh-CN', stored: 'en', lang: 'en', dir: 'ltr', sell: 'Sell something' },
  ];
  const boxes = (page) => page.locator('.tiles .tile').evaluateAll((tiles) => tiles.map((t) => {
    const r = t.getBoundingClientRect();
    return [t.dataset.tutor, r.x, r.y, r.width, r.height];
  }));
  for (const c of cases) {
    const { context, page, violations } = await openShell(browser, { ...PHONE, locale: c.browser }, c.stored, '/seller/learn/1');
    await expect(page.locator('html')).toHaveAttribute('lang', c.lang);
    await expect(page.locator('html')).toHaveAttribute('dir', c.dir);
    await expect(page.locator('[data-tutor=tile-sell]')).toHaveText(c.sell);
    await expect(page.getByTestId('tutor-bar')).toHaveCount(0);
    const shell = await boxes(page);
    expect(shell.map((b) => b[0])).toEqual(['tile-sell', 'tile-products', 'tile-prepare', 'tile-money']);
    if (c.lang === 'ug') await shot(page, 'shell-lesson-1');
    // Lesson 0 starts on its playground: no tiles there.
    await page.goto('/seller/learn/0');
    await expect(page.locator('main .notice')).toBeVisible();
    await expect(page.locator('.tiles')).toHaveCount(0);
    await page.unroute('**/*.wasm');
    await page.goto('/seller/learn/1');
    await expect(page.getByTestId('tutor-bar')).toBeVisible();
    await expect(page.locator('[data-tutor=tile-sell]')).toHaveText(c.sell);
    expect(await boxes(page)).toEqual(shell);
    expect(violations).toEqual([]);
    await context.close();
  }
});

test('seller and tutor controls are big enough and axe finds nothing serious', async ({ browser }) => {
  const context = await browser.newContext({ ...PHONE, bypassCSP: true });
  const page = await context.newPage();
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  const screens = [
    ['/seller/learn', null],
    ['/seller/learn/1', 'tile-sell'],
    ['/seller/learn/2', null],
    ['/seller/join', null],
    ['/seller', null],
  ];
  for (const [path] of screens) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    const small = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('button, a, select, label.button, input:not(.visually-hidden)')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
        const primary = el.classList.contains('primary') || el.classList.contains('tile') || el.classList.contains('kind-choice');
        if (r.width < 48 || r.height < 48 || (primary && r.height < 64)) out.push(`${el.outerHTML.slice(0, 80)} ${r.width}x${r.height}`);
      }
      return out;
    });
    expect(small, path).toEqual([]);
    await page.addScriptTag({ path: axe });
    const serious = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.nodes[0]?.html}`);
    });
    expect(serious, path).toEqual([]);
  }
  await context.close();
});

test('phones follow the trainer live and the trainer sees them finish', async ({ browser }) => {
  const password = createAccount('trainer', 'lecture.trainer');
  const projector = await (await browser.newContext({
    locale: 'zh-CN', viewport: { width: 1280, height: 720 }, permissions: ['microphone'],
  })).newPage();
  await projector.goto('/seller/lecture');
  await projector.locator('input[name=username]').fill('lecture.trainer');
  await projector.locator('input[name=password]').fill(password);
  await projector.locator('button[type=submit]').click();
  await projector.getByTestId('pick-lesson-1').click();
  await projector.getByTestId('start-lecture').click();
  // Eight digits, shown in two groups of four to be read out.
  const shown = (await projector.getByTestId('room-code').textContent()).trim();
  expect(shown).toMatch(/^\d{4} \d{4}$/);
  const code = shown.replace(' ', '');

  const phoneContext = await browser.newContext(PHONE);
  const phone = await phoneContext.newPage();
  await phone.goto(`/seller/join#${code}`);
  await expect(phone.getByTestId('follower')).toHaveAttribute('data-step', '0');
  await expect(projector.getByTestId('joined')).toHaveText('1');
  await shot(projector, 'projector-zh');

  for (const step of [1, 2, 3]) {
    await projector.keyboard.press('PageDown');
    await expect(projector.getByTestId('projector-step')).toHaveText(`${step + 1} / 9`);
    await expect(phone.getByTestId('follower')).toHaveAttribute('data-step', String(step), { timeout: 1_000 });
  }
  await expect(projector.getByTestId('phone-frame')).toHaveAttribute('src', '/seller/learn/1?frame=3');
  await shot(projector, 'projector-step4-zh');

  // Step 4 of lesson 1 is "next" on the photo screen: the phone practises it.
  await phone.locator('[data-tutor=next]').click();
  await expect(phone.getByTestId('follower-done')).toBeVisible();
  await expect(projector.getByTestId('finished')).toHaveText('1');

  // B blanks the projector; the phone reconnects after a reload and catches up.
  await projector.keyboard.press('b');
  await expect(projector.getByTestId('projector')).toHaveClass(/blank/);
  await projector.keyboard.press('b');
  await phone.reload();
  await expect(phone.getByTestId('follower')).toHaveAttribute('data-step', '3');
  await expect(projector.getByTestId('joined')).toHaveText('1');

  // The trainer records this step in their own voice, listens, and saves it for the hub.
  await projector.getByRole('button', { name: '录音' }).click();
  await projector.waitForTimeout(800);
  await projector.getByRole('button', { name: '停止' }).click();
  await projector.getByRole('button', { name: '试听' }).click();
  await projector.getByRole('button', { name: '保存' }).click();
  await expect(projector.getByText('已保存')).toBeVisible();
  const recorded = await (await phone.request.get('/api/narration?hub=yultuz-bagh')).json();
  expect(recorded).toContain('l1-s3/zh');
  const clip = await phone.request.get('/api/narration/l1-s3/zh?hub=yultuz-bagh');
  expect(clip.status()).toBe(200);
  expect((await clip.body()).length).toBeGreaterThan(100);
  await phoneContext.close();
});
