// Lighthouse 12.2.3, mobile preset (slow 4G, 4x CPU slowdown), on the shop's
// home, a product page, checkout and a tutor step, in Debian's Chromium.
// Usage: node bench/lighthouse.mjs http://127.0.0.1:PORT > bench/lighthouse.json
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const base = process.argv[2];
const pages = [
  ['home', '/'],
  ['product', '/product/1'],
  ['checkout', '/checkout'],
  ['tutor step', '/seller/learn/1'],
];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const results = [];
try {
  for (const [page, path] of pages) {
    const { lhr } = await lighthouse(`${base}${path}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance'],
    });
    const audit = (id) => lhr.audits[id]?.numericValue ?? NaN;
    results.push({
      measurement: 'lighthouse',
      page,
      path,
      score: Math.round((lhr.categories.performance.score ?? 0) * 100),
      fcp_ms: audit('first-contentful-paint'),
      lcp_ms: audit('largest-contentful-paint'),
      tbt_ms: audit('total-blocking-time'),
      cls: audit('cumulative-layout-shift'),
      bytes: audit('total-byte-weight'),
      target_score: 95,
      target_lcp_ms: 2000,
    });
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify(results, null, 2));
