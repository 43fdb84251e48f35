// The shop is one page: links inside it change the address without loading
// the page again, Back and Forward return to where the customer was, and an
// address the shop does not have says so.
import { test, expect } from '@playwright/test';

test('links move within the shop without reloading, and Back and Forward return', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '想买点什么？' })).toBeVisible();
  await page.evaluate(() => { window.sameDocument = true; });

  await page.getByRole('link', { name: '鸡蛋', exact: true }).click();
  await expect(page).toHaveURL(/\/shop\?kind=eggs$/);
  const cards = page.getByTestId('product-list').getByRole('listitem');
  await expect(cards.first()).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await cards.first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/product\/\d+$/);
  await expect(page.getByTestId('product-detail')).toBeVisible();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);

  await page.goBack();
  await expect(page).toHaveURL(/\/shop\?kind=eggs$/);
  await expect(cards.first()).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: '想买点什么？' })).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(/\/shop\?kind=eggs$/);
  await expect(cards.first()).toBeVisible();
  expect(await page.evaluate(() => window.sameDocument)).toBe(true);

  // A search typed in Chinese goes into the address and comes back out whole.
  await page.goto('/shop?q=%E8%91%A1%E8%90%84%E5%B9%B2');
  await expect(page.getByRole('searchbox')).toHaveValue('葡萄干');
  await expect(cards.first()).toContainText('葡萄干');

  await page.goto('/no/such/page');
  await expect(page.getByText('页面不存在。')).toBeVisible();
});
