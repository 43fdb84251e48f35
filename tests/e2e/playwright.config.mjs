// End-to-end tests: the release server on a fresh SQLite file in a temporary
// folder, driven through Debian's Chromium at a phone's viewport.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
// Chosen once in the main process; the workers inherit it through the environment.
process.env.BAZAR_E2E_PORT ??= String(20000 + Math.floor(Math.random() * 20000));
process.env.BAZAR_E2E_DB ??= join(mkdtempSync(join(tmpdir(), 'bazar-e2e-')), 'bazar.db');
const port = process.env.BAZAR_E2E_PORT;
const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');

export const SCREENSHOTS = join(target, 'screenshots');

// What a browser says of the app's own requests. The API refuses a change
// that says neither this nor an Origin; the tests' own requests (through
// Playwright's request context, not the page) add it. Set for every request
// of the page instead, it would make Chromium treat the app's own loads as
// cross-origin requests with a custom header.
export const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin' };

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  outputDir: join(target, 'e2e-results'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // What a browser says of the app's own requests; the API refuses a
    // change that says neither this nor an Origin (the tests' own
    // requests to the API go through Playwright's request context).
    viewport: { width: 390, height: 844 },
    // Most customers' phones are set to Chinese.
    locale: 'zh-CN',
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // A trainer's microphone, for recording narration.
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
      ],
    },
  },
  webServer: {
    command: `${join(target, 'server/bazar-server')} --addr 127.0.0.1:${port} --db ${process.env.BAZAR_E2E_DB} --uploads ${join(dirname(process.env.BAZAR_E2E_DB), 'uploads')} --dist ${join(root, 'dist')}`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
