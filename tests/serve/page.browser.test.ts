import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { PrBackend } from './pr-backend.js';

/**
 * The page at `/` in a real headless Chromium (Debian's `chromium`, driven
 * by playwright-core): it loads the catalog, runs a question as a job with
 * live progress from the event stream, and shows the rows and a line chart.
 */
const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'page-test-token';
let backend: PrBackend;
let server: RunningServer;

describe.skipIf(!existsSync(CHROMIUM))('tsdbt serve: the page, in Chromium', () => {
  beforeAll(async () => {
    backend = await PrBackend.open();
    server = await startServer({ backend, token: TOKEN, port: 0, now: () => Date.parse('2025-01-20T12:00:00Z'), heartbeatMs: 200 });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  it('asks a question and shows progress, rows and a chart', async () => {
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'tsdbt-chromium-'));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const seen: string[] = [];
      page.on('console', (m) => seen.push(m.text()));
      await page.goto(`${server.url}/?access_token=${TOKEN}`);
      await page.waitForFunction("document.getElementById('status').textContent.startsWith('Ready')");
      expect(await page.locator('#metrics option').allTextContents()).toEqual(['PRs merged (prs_merged)', 'Lines added (lines_added)', 'Slow count (slow_count)']);
      await page.fill('#question', 'weekly merged prs');
      await page.click('#ask');
      await page.waitForFunction("document.getElementById('status').textContent.startsWith('Completed')", undefined, { timeout: 15_000 });
      expect(await page.textContent('#explain')).toBe('Understood: prs_merged by metric_time__week');
      expect(await page.locator('#bar').getAttribute('style')).toContain('width: 100%');
      expect(await page.locator('#table tbody tr').allInnerTexts()).toEqual(['2025-01-06\t3', '2025-01-13\t2']);
      expect(await page.locator('#line').getAttribute('points')).toBe('20.0,20.0 780.0,90.0');
      await page.screenshot({ path: process.env.TSDBT_SCREENSHOT ?? join(profile, 'page.png') });
      expect(seen.filter((t) => /error/i.test(t))).toEqual([]);
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
