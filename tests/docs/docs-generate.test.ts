import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const PROFILE = 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: docs.duckdb\n';

/** A project of one table model, built. */
async function builtOneTable(): Promise<string> {
  const dir = makeProject({ 'profiles.yml': PROFILE, 'models/orders.sql': "{{ config(materialized='table') }}\nselect 1 as id" });
  expect(await runCli(['build', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
  return dir;
}

describe('tsdbt docs generate', () => {
  it('writes catalog.json with the database types and a browsable index.html', async () => {
    const dir = makeProject({
      'profiles.yml': PROFILE,
      'models/orders.sql': "{{ config(materialized='table') }}\nselect 1::integer as id, 'x'::varchar as status, date '2024-01-01' as ordered_on",
      'models/orders_view.sql': "select * from {{ ref('orders') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    description: One row per order </script> safe\n    columns:\n      - name: id\n        description: The key\n        tests: [unique]\n',
      'macros/cents.sql': '{% macro cents(column) %}({{ column }} * 100){% endmacro %}',
    });
    const build = captureStreams();
    expect(await runCli(['build', '--project-dir', dir], build.streams, {})).toBe(0);
    const io = captureStreams();
    expect(await runCli(['docs', 'generate', '--project-dir', dir], io.streams, {})).toBe(0);
    expect(io.stdout.join('')).toContain('Catalog: 2 nodes and 0 sources found in the database.');
    const catalog = JSON.parse(readFileSync(join(dir, 'target/catalog.json'), 'utf8'));
    const orders = catalog.nodes['model.test_project.orders'];
    expect(orders.metadata).toMatchObject({ type: 'BASE TABLE', schema: 'main', name: 'orders' });
    expect(Object.values(orders.columns).map((c) => [(c as { name: string }).name, (c as { type: string }).type, (c as { index: number }).index])).toEqual([
      ['id', 'INTEGER', 1],
      ['status', 'VARCHAR', 2],
      ['ordered_on', 'DATE', 3],
    ]);
    expect(catalog.nodes['model.test_project.orders_view'].metadata.type).toBe('VIEW');
    const html = readFileSync(join(dir, 'target/index.html'), 'utf8');
    const data = JSON.parse(html.split('<script id="data" type="application/json">')[1]!.split('</script>')[0]!);
    const entry = data.entries.find((e: { id: string }) => e.id === 'model.test_project.orders');
    expect(entry.columns[0]).toEqual({ name: 'id', type: 'INTEGER', description: 'The key', tests: ['unique'], testDetails: [{ name: 'unique_orders_id', test: 'unique', severity: 'ERROR', args: {} }] });
    expect(entry.children).toEqual(['model.test_project.orders_view']);
    expect(entry.description).toBe('One row per order </script> safe');
    expect(html).not.toContain('order </script>');
    // The project's macros only: tsdbt's own packages (dbt's and the adapter's macros) stay out of the page.
    expect(data.macros.map((m: { id: string }) => m.id)).toEqual(['macro.test_project.cents']);
  });

  it('--empty-catalog, as dbt: no catalog query, a catalog.json with no nodes or sources, the site still written', async () => {
    const dir = await builtOneTable();
    const io = captureStreams();
    expect(await runCli(['docs', 'generate', '--empty-catalog', '--project-dir', dir], io.streams, {})).toBe(0);
    expect(io.stdout.join('')).toContain('Catalog: 0 nodes and 0 sources found in the database.');
    const catalog = JSON.parse(readFileSync(join(dir, 'target/catalog.json'), 'utf8'));
    expect([catalog.nodes, catalog.sources, catalog.errors ?? null]).toEqual([{}, {}, null]);
    expect(readFileSync(join(dir, 'target/index.html'), 'utf8')).toContain('model.test_project.orders');
    expect(existsSync(join(dir, 'target/static_index.html'))).toBe(false);
  });

  it("copies each asset-paths folder into the target folder, as dbt's: anew each time, none when it is not there", async () => {
    const dir = makeProject({
      'dbt_project.yml': 'name: test_project\nconfig-version: 2\nprofile: test_profile\nasset-paths: ["assets", "missing"]\n',
      'profiles.yml': PROFILE,
      'models/orders.sql': 'select 1 as id',
      'assets/flow.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      'assets/img/old.png': 'png one',
    });
    expect(await runCli(['docs', 'generate', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    expect(readFileSync(join(dir, 'target/assets/flow.svg'), 'utf8')).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(readFileSync(join(dir, 'target/assets/img/old.png'), 'utf8')).toBe('png one');
    expect(existsSync(join(dir, 'target/missing'))).toBe(false);
    // A file gone from the project is gone from the target too; a new one is there.
    writeFileSync(join(dir, 'assets/img/new.png'), 'png two');
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'assets/img/old.png'));
    expect(await runCli(['docs', 'generate', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    expect(readdirSync(join(dir, 'target/assets/img'))).toEqual(['new.png']);
  });

  it('refuses an asset-paths folder that holds the target folder, naming the entry', async () => {
    const dir = makeProject({
      'dbt_project.yml': 'name: test_project\nconfig-version: 2\nprofile: test_profile\nasset-paths: ["."]\n',
      'profiles.yml': PROFILE,
      'models/orders.sql': 'select 1 as id',
    });
    mkdirSync(join(dir, 'target'), { recursive: true });
    const io = captureStreams();
    expect(await runCli(['docs', 'generate', '--project-dir', dir], io.streams, {})).not.toBe(0);
    expect(io.stdout.join('') + io.stderr.join('')).toContain("[PROJECT_INVALID] dbt_project.yml: asset-paths entry '.' holds the target folder target, so it cannot be copied into it");
  });

  it('--static, as dbt: also target/static_index.html, a site that opens without a server (its data inlined)', async () => {
    const dir = await builtOneTable();
    const io = captureStreams();
    expect(await runCli(['docs', 'generate', '--static', '--project-dir', dir], io.streams, {})).toBe(0);
    expect(io.stdout.join('')).toContain(`Static docs site written to ${join(dir, 'target/static_index.html')}`);
    const html = readFileSync(join(dir, 'target/static_index.html'), 'utf8');
    expect(html).toBe(readFileSync(join(dir, 'target/index.html'), 'utf8'));
    const data = JSON.parse(html.split('<script id="data" type="application/json">')[1]!.split('</script>')[0]!);
    expect(data.entries.find((e: { id: string }) => e.id === 'model.test_project.orders').columns.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([['id', 'INTEGER']]);
    expect(html).not.toMatch(/fetch\(/);
  });
});

