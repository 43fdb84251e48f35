// Every shop screen in each language: the right direction, the back arrow
// on the reading side, prices with ¥ before the digits, nothing wider than
// the phone, the Uyghur font in use, and a screenshot per screen and locale.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { SCREENSHOTS, SAME_ORIGIN } from './playwright.config.mjs';

const LOCALES = [
  { tag: 'ug', dir: 'rtl', basket: 'سېۋەت' },
  { tag: 'zh-Hans', dir: 'ltr', basket: '购物篮' },
  { tag: 'en', dir: 'ltr', basket: 'Basket' },
];

let product;
let tracking;

test.beforeAll(async ({ request }) => {
  const products = await (await request.get('/api/products?kind=dried_fruit')).json();
  product = products[0];
  const response = await request.post('/api/orders', {
    headers: { 'Idempotency-Key': '0b8f6a4e-5c3d-4e2f-9a1b-7c6d5e4f3a2b', ...SAME_ORIGIN },
    data: {
      customer: { name: 'Test', phone: '13700000000', address: '广州市天河区 5 号', zone: 'guangdong' },
      lines: [{ product_id: product.id, quantity: 1 }],
      payment: 'on_delivery',
    },
  });
  expect(response.status()).toBe(201);
  tracking = (await response.json()).tracking_token;
});

const screens = () => [
  { name: 'home', path: '/', back: false },
  { name: 'product', path: `/product/${product.id}`, back: true },
  { name: 'basket', path: '/basket', back: true },
  { name: 'checkout', path: '/checkout', back: true },
  { name: 'tracking', path: `/track/${tracking}`, back: true },
];

for (const locale of LOCALES) {
  test(`every screen reads ${locale.dir} in ${locale.tag}`, async ({ page }) => {
    await page.addInitScript(([tag, p]) => {
      localStorage.setItem('bazar.locale', tag);
      localStorage.setItem('bazar.basket', JSON.stringify({ lines: [{ product: p, quantity: 2 }] }));
    }, [locale.tag, product]);

    for (const screen of screens()) {
      await page.goto(screen.path);
      await expect(page.locator('html')).toHaveAttribute('lang', locale.tag);
      await expect(page.locator('main .notice')).toHaveCount(0); // loaded, no "loading…"
      await expect(page.locator('.price').first()).toBeVisible();

      const direction = await page.evaluate(() => getComputedStyle(document.querySelector('main')).direction);
      expect(direction, `${screen.name}`).toBe(locale.dir);

      // Prices read ¥12.50 whatever the page's direction: the sign sits before the digits.
      const price = page.locator('.price').first();
      await expect(price).toHaveText(/^¥\d{1,3}(,\d{3})*\.\d{2}$/);
      const signIsLeft = await price.evaluate((el) => {
        const range = document.createRange();
        range.setStart(el.firstChild, 0);
        range.setEnd(el.firstChild, 1);
        const sign = range.getBoundingClientRect();
        range.setStart(el.firstChild, 1);
        range.setEnd(el.firstChild, 2);
        return sign.left < range.getBoundingClientRect().left;
      });
      expect(signIsLeft, `${screen.name}: ¥ before the digits`).toBe(true);

      if (screen.back) {
        const back = await page.getByTestId('back-link').boundingBox();
        const middle = 390 / 2;
        if (locale.dir === 'rtl') expect(back.x, `${screen.name}: back link on the right`).toBeGreaterThan(middle);
        else expect(back.x + back.width, `${screen.name}: back link on the left`).toBeLessThan(middle);
      }

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${screen.name}: no sideways scrolling`).toBeLessThanOrEqual(0);

      await expect(page.getByRole('link', { name: new RegExp(locale.basket) })).toBeVisible();
      if (screen.name === 'home' && locale.dir === 'ltr') {
        // A first visit to a screen without Uyghur text does not download the Uyghur font.
        await expect(page.getByTestId('product-list')).toBeVisible();
        const fetched = await page.evaluate(() =>
          performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.woff2')));
        expect(fetched).toEqual([]);
      }
      await page.screenshot({ path: join(SCREENSHOTS, locale.tag, `${screen.name}.png`), fullPage: true });
    }

    if (locale.tag === 'ug') {
      // The subset font is what draws the Uyghur text.
      const loaded = await page.evaluate(async () => {
        await document.fonts.ready;
        return [...document.fonts].filter((f) => f.family.includes('Bazar Naskh') && f.status === 'loaded').length;
      });
      expect(loaded).toBeGreaterThan(0);
      const letterSpacing = await page.evaluate(() => getComputedStyle(document.querySelector('main h1, main h2')).letterSpacing);
      expect(letterSpacing).toBe('normal');
    }
  });
}
