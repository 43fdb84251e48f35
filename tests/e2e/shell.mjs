// Opening a page as its static shell alone: the wasm is refused, so what the
// page shows is what the server and the page's inline script made of it.

// Opens `path` in a new context (`options`, which name the browser's
// language) with the wasm refused, and `stored` (or nothing) as the language
// chosen earlier in the app. `violations` collects the page's complaints
// about its Content Security Policy (the inline script must run under it).
export async function openShell(browser, options, stored, path) {
  const context = await browser.newContext({ ...options, serviceWorkers: 'block' });
  const page = await context.newPage();
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  if (stored) await page.addInitScript((t) => localStorage.setItem('bazar.locale', t), stored);
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto(path);
  return { context, page, violations };
}
