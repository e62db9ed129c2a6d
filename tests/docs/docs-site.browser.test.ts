import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

/**
 * The docs site in a real headless Chromium (Debian's chromium, driven by
 * playwright-core): the lineage graph draws the right nodes and edges,
 * clicking a node opens it, search finds a column, markdown renders, the
 * trees and macros show.
 */
const CHROMIUM = '/usr/bin/chromium';
type Browser = import('playwright-core').Browser;
let browser: Browser;
let profile: string;
let dir: string;

describe.skipIf(!existsSync(CHROMIUM))('the docs site, in Chromium', () => {
  beforeAll(async () => {
    dir = makeProject({
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: docs.duckdb\n',
      'models/overview.md': '{% docs __overview__ %}\n# Shop analytics\n\nOrders and **payments**, daily.\n{% enddocs %}',
      'models/staging/stg_orders.sql': "select 1 as order_id, 10 as customer_id, 'paid' as status",
      'models/staging/stg_payments.sql': 'select 1 as payment_id, 1 as order_id, 5.5 as amount',
      'models/marts/orders.sql': "select o.*, p.amount from {{ ref('stg_orders') }} o join {{ ref('stg_payments') }} p using (order_id)",
      'models/marts/customers.sql': "select customer_id, count(*) as n from {{ ref('orders') }} group by 1",
      'models/marts/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    description: "One row per **order**; see [the handbook](https://example.com/h)."\n    columns:\n      - name: order_id\n        data_tests: [unique, not_null]\n      - name: status\n        description: Where the order is, e.g. `paid`\n        data_tests:\n          - accepted_values:\n              arguments:\n                values: [paid, refunded]\n              config:\n                severity: warn\nexposures:\n  - name: weekly_report\n    type: dashboard\n    maturity: high\n    url: https://bi.example.com/weekly\n    owner: {name: Ana, email: ana@example.com}\n    depends_on: [ref(\'customers\')]\n',
      'dbt_project.yml': 'name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nasset-paths: [assets]\n',
      'models/marts/customers.yml': 'version: 2\nmodels:\n  - name: customers\n    description: "How customers flow: ![the flow](assets/flow.png) and ![a script](javascript:alert)"\n',
      'macros/cents.sql': '{% macro cents(column) %}({{ column }} * 100)::int{% endmacro %}',
      'macros/schema.yml': 'version: 2\nmacros:\n  - name: cents\n    description: Dollars to cents.\n    arguments:\n      - name: column\n        type: string\n        description: The dollar column.\n',
    });
    // A 1x1 PNG, in the asset-paths folder docs generate copies beside the site.
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets/flow.png'), Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
    expect(await runCli(['run', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const io = captureStreams();
    expect(await runCli(['docs', 'generate', '--project-dir', dir], io.streams, {})).toBe(0);
    const { chromium } = await import('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'tsdbt-chromium-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(hash: string) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${join(dir, 'target/index.html')}${hash}`);
    return { page, errors };
  }

  it('opens on the overview (the __overview__ docs block, as markdown)', async () => {
    const { page, errors } = await open('');
    expect(await page.textContent('#page h3')).toBe('Shop analytics');
    expect(await page.innerHTML('#page')).toContain('<strong>payments</strong>');
    expect(errors).toEqual([]);
  });

  it("draws a model's lineage with the right nodes and edges, and clicking a node opens it", async () => {
    const { page, errors } = await open('#model.test_project.orders');
    const nodes = await page.locator('#graph g.node').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-id')).sort());
    expect(nodes).toEqual(['model.test_project.customers', 'model.test_project.orders', 'model.test_project.stg_orders', 'model.test_project.stg_payments']);
    const edges = await page.locator('#graph path.edge').evaluateAll((ps) => ps.map((p) => `${p.getAttribute('data-from')} -> ${p.getAttribute('data-to')}`).sort());
    expect(edges).toEqual([
      'model.test_project.orders -> model.test_project.customers',
      'model.test_project.stg_orders -> model.test_project.orders',
      'model.test_project.stg_payments -> model.test_project.orders',
    ]);
    expect(await page.locator('#graph g.node.focus').getAttribute('data-id')).toBe('model.test_project.orders');
    await page.selectOption('#depth', '99');
    expect(await page.locator('#graph g.node').count()).toBe(5); // the exposure downstream of customers
    await page.click('#graph g.node[data-id="model.test_project.stg_payments"]');
    await page.waitForFunction("document.querySelector('#page h1')?.textContent === 'stg_payments'");
    expect(decodeURIComponent(await page.evaluate<string>('location.hash'))).toBe('#model.test_project.stg_payments');
    expect(errors).toEqual([]);
  });

  it('renders markdown in descriptions and shows tests with their configuration', async () => {
    const { page } = await open('#model.test_project.orders');
    expect(await page.innerHTML('#page p')).toBe('One row per <strong>order</strong>; see <a href="https://example.com/h" rel="noopener">the handbook</a>.');
    const status = await page.textContent('#col-status');
    expect(status).toContain('accepted_values (values: ["paid","refunded"]) warn');
    expect(await page.innerHTML('#col-status')).toContain('<code>paid</code>');
  });

  it("shows a description's image from an asset-paths folder, and no image of a script URL", async () => {
    const { page, errors } = await open('#model.test_project.customers');
    await page.waitForFunction("document.querySelector('#page p img')?.complete === true");
    expect(await page.innerHTML('#page p')).toBe('How customers flow: <img src="assets/flow.png" alt="the flow"> and a script');
    expect(await page.evaluate<number>("document.querySelector('#page p img').naturalWidth")).toBe(1);
    expect(errors).toEqual([]);
  });

  it('search finds a column and links to its model', async () => {
    const { page } = await open('');
    await page.fill('#q', 'amount');
    const hits = await page.locator('#tree a.hit').allInnerTexts();
    expect(hits).toEqual(['orders model · column amount', 'stg_payments model · column amount']);
    await page.click('#tree a.hit >> nth=0');
    await page.waitForFunction("document.querySelector('#page h1')?.textContent === 'orders'");
  });

  it('shows the database tree, exposure details and macros with their arguments', async () => {
    const { page } = await open('#exposure.test_project.weekly_report');
    expect(await page.textContent('table.kv')).toBe('TypedashboardMaturityhighOwnerAna <ana@example.com>URLhttps://bi.example.com/weekly');
    await page.click('#tabs button[data-tab="database"]');
    expect(await page.locator('#tree summary').allInnerTexts()).toEqual(['docs / main']);
    await page.goto(`file://${join(dir, 'target/index.html')}#macro:macro.test_project.cents`);
    expect(await page.textContent('#page table')).toContain('columnstringThe dollar column.');
    expect(readFileSync(join(dir, 'target/index.html'), 'utf8')).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!example\.com|bi\.example\.com)/);
  });
});
