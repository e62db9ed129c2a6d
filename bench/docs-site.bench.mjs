// The docs site of the 2,000-model bench project: its size, how long
// `tsdbt docs generate` takes, and how long the page takes to load and to
// draw a model's lineage and the whole project's in headless Chromium.
//
//   npm run build && node bench/docs-site.bench.mjs [models=2000]
//
// Needs Debian's chromium (/usr/bin/chromium) and playwright-core (a dev dependency).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProject } from './generate-project.mjs';

const models = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'tsdbt-docs-bench-'));
const bin = join(import.meta.dirname, '../bin/tsdbt.js');
try {
  generateProject(dir, models);
  let t = performance.now();
  execFileSync('node', [bin, 'docs', 'generate', '--project-dir', dir, '--quiet'], { stdio: 'inherit' });
  const generateMs = performance.now() - t;
  const html = join(dir, 'target/index.html');
  const size = statSync(html).size;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  t = performance.now();
  await page.goto(`file://${html}`);
  await page.waitForSelector('#tree a.item');
  const loadMs = performance.now() - t;
  t = performance.now();
  await page.goto(`file://${html}#model.bench.model_${models - 1}`);
  await page.waitForSelector('#graph g.node');
  const modelMs = performance.now() - t;
  t = performance.now();
  await page.goto(`file://${html}#!/lineage`);
  await page.waitForSelector('#graph g.node');
  const lineageMs = performance.now() - t;
  await browser.close();
  const rows = [
    ['models', String(models)],
    ['tsdbt docs generate (parse, compile, catalog, page)', `${(generateMs / 1000).toFixed(2)} s`],
    ['index.html size', `${(size / 1e6).toFixed(2)} MB`],
    ['page load to the sidebar (target < 2 s)', `${(loadMs / 1000).toFixed(2)} s`],
    ['a model page with its lineage', `${(modelMs / 1000).toFixed(2)} s`],
    ['the whole project lineage', `${(lineageMs / 1000).toFixed(2)} s`],
    ['page errors', String(errors.length)],
  ];
  console.log(`\n| figure | value |\n|---|---|\n${rows.map(([a, b]) => `| ${a} | ${b} |`).join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
