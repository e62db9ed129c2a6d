import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalSourceSql, fileReader } from '../../src/adapters/duckdb/external-source.js';
import { build, run } from '../../src/api/run.js';
import { sourceFreshness } from '../../src/api/source-freshness.js';
import { makeProject, statuses } from './harness.js';

const profile = (externalRoot: string) => `proj:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      threads: 1\n      external_root: ${externalRoot}\n`;

describe('sources read from files (external_location)', () => {
  it('formats the location as dbt-duckdb does and picks the reader by extension', () => {
    const base = { name: 'orders', identifier: 'orders', schema: 'raw', database: 'dev', tags: ['a'], meta: {}, config: {} };
    expect(externalSourceSql({ ...base, meta: { external_location: '/data/{schema}/{name}.parquet' } })).toBe("read_parquet('/data/raw/orders.parquet')");
    expect(externalSourceSql({ ...base, meta: { external_location: '/d/{name}.csv', ignored: 1 }, config: { external_location: '/c/{name}_{region}.csv.gz', region: 'eu' } })).toBe("read_csv('/c/orders_eu.csv.gz')");
    expect(externalSourceSql({ ...base, meta: { external_location: '/d/%(identifier)s.json', formatter: 'oldstyle' } })).toBe("read_json('/d/orders.json')");
    expect(externalSourceSql({ ...base, meta: { external_location: '/d/${name}.ndjson', formatter: 'template' } })).toBe("read_json('/d/orders.ndjson')");
    expect(externalSourceSql({ ...base, meta: { external_location: "read_csv('/d/{name}.txt', delim='|')" } })).toBe("read_csv('/d/orders.txt', delim='|')");
    expect(externalSourceSql({ ...base, meta: { external_location: 's3://b/{name}/*.data' } })).toBe("'s3://b/orders/*.data'");
    expect(externalSourceSql({ ...base, meta: { external_location: '/d/{{literal}}/{name}.parquet' } })).toBe("read_parquet('/d/{literal}/orders.parquet')");
    expect(externalSourceSql(base)).toBeNull();
    expect(fileReader("'/already/quoted.parquet'")).toBe("'/already/quoted.parquet'");
    expect(() => externalSourceSql({ ...base, meta: { external_location: '/d/{nope}.csv' }, file: 'models/src.yml', line: 4 })).toThrowError(/external_location '\/d\/\{nope\}\.csv' uses \{nope\}, which the source does not define/);
  });

  it('models, source tests and freshness read the files', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tsdbt-ext-src-'));
    const p = makeProject({
      'models/src.yml': `version: 2
sources:
  - name: files
    meta:
      external_location: "${data}/{name}.parquet"
    loaded_at_field: loaded_at
    freshness: {warn_after: {count: 1, period: hour}, error_after: {count: 1, period: day}}
    tables:
      - name: orders
        columns:
          - name: id
            data_tests: [not_null, unique]
      - name: customers
        config:
          external_location: "${data}/customers_{region}.csv"
          region: eu
        freshness: null
      - name: events
        meta:
          external_location: "read_json('${data}/events.json', format='newline_delimited')"
        freshness: null
`,
      'models/joined.sql': "{{ config(materialized='table') }}select o.id, c.name, (select count(*) from {{ source('files', 'events') }}) as events from {{ source('files', 'orders') }} o join {{ source('files', 'customers') }} c on c.id = o.customer_id",
    });
    await p.query(`copy (select * from (values (1, 10, now() - interval 2 hour), (2, 11, now() - interval 3 hour)) t(id, customer_id, loaded_at)) to '${data}/orders.parquet';
      copy (select * from (values (10, 'ann'), (11, 'bob')) t(id, name)) to '${data}/customers_eu.csv' (header);
      copy (select 1 as e union all select 2) to '${data}/events.json'`);
    const r = await build(p.opts);
    expect(statuses(r.results)).toEqual({ joined: 'success', source_not_null_files_orders_id: 'pass', source_unique_files_orders_id: 'pass' });
    expect(r.results.find((x) => x.node.name === 'joined')!.compiled_code).toContain(`from read_parquet('${data}/orders.parquet') o join read_csv('${data}/customers_eu.csv') c`);
    expect(await p.query('select id, name, events::int as events from main.joined order by id')).toEqual([
      { id: 1, name: 'ann', events: 2 },
      { id: 2, name: 'bob', events: 2 },
    ]);
    const f = await sourceFreshness(p.opts);
    expect(f.results.map((x) => [x.unique_id, x.status])).toEqual([['source.proj.files.orders', 'warn']]);
    expect(Math.round((f.results[0]!.max_loaded_at_time_ago_in_s ?? 0) / 3600)).toBe(2);
  });
});

describe('the external materialization', () => {
  it('writes parquet, csv and json (default location, format, delimiter, partition_by) and exposes a view, run after run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tsdbt-ext-out-'));
    const rows = "select * from (values {% if var('phase', 1) == 1 %}(1, 'a'), (2, 'b'){% else %}(1, 'a'), (2, 'b'), (3, 'c'){% endif %}) t(id, grp)";
    const p = makeProject({
      'profiles.yml': profile(root),
      'models/out_default.sql': `{{ config(materialized='external') }}${rows}`,
      'models/out_csv.sql': `{{ config(materialized='external', location='${root}/csv/out.csv', delimiter='|') }}${rows}`,
      'models/out_json.sql': `{{ config(materialized='external', format='json') }}${rows}`,
      'models/out_parts.sql': `{{ config(materialized='external', partition_by='grp') }}${rows}`,
      'models/out_empty.sql': `{{ config(materialized='external') }}${rows} where id > 100`,
      'models/downstream.sql': "{{ config(materialized='table') }}select count(*)::int as n from {{ ref('out_default') }}",
    });
    mkdirSync(join(root, 'csv'));
    for (const phase of [1, 2]) {
      const r = await run({ ...p.opts, vars: { phase } });
      expect(Object.values(statuses(r.results)), JSON.stringify(r.results.map((x) => x.message))).toEqual(Array(6).fill('success'));
      const n = phase === 1 ? 2 : 3;
      const expected = [{ id: 1, grp: 'a' }, { id: 2, grp: 'b' }, ...(phase === 2 ? [{ id: 3, grp: 'c' }] : [])];
      expect(await p.query(`select id, grp from read_parquet('${root}/out_default.parquet') order by id`)).toEqual(expected);
      expect(await p.query(`select id, grp from read_csv('${root}/csv/out.csv', delim='|', header=true) order by id`)).toEqual(expected);
      expect(await p.query(`select id, grp from read_json('${root}/out_json.json') order by id`)).toEqual(expected);
      expect(readdirSync(join(root, 'out_parts')).sort()).toEqual(expected.map((e) => `grp=${e.grp}`));
      for (const v of ['out_default', 'out_csv', 'out_json']) expect(await p.query(`select id, grp from main.${v} order by id`)).toEqual(expected);
      expect(await p.query('select id, grp from main.out_parts order by id')).toEqual(expected);
      expect(await p.query('select table_type from information_schema.tables where table_name = \'out_default\'')).toEqual([{ table_type: 'VIEW' }]);
      expect(await p.query('select count(*)::int as n, list(column_name order by ordinal_position) as cols from information_schema.columns where table_name = \'out_empty\'')).toEqual([{ n: 2, cols: ['id', 'grp'] }]);
      expect(await p.query('select count(*)::int as n from main.out_empty')).toEqual([{ n: 0 }]);
      expect(await p.query('select n from main.downstream')).toEqual([{ n }]);
    }
    const r = await run({ ...p.opts, select: ['out_csv'] });
    expect(r.results[0]!.statements.find((s) => s.startsWith('copy'))).toMatch(/^copy "out_csv__dbt_tmp\d+" to '.*\/csv\/out\.csv' \(delimiter '\|', format csv, header 1\)$/);
  });

  it('a location that cannot be written is a located error, and the previous view and files stay', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tsdbt-ext-bad-'));
    const model = (location: string, rows: string) => ({ 'models/exported.sql': `{{ config(materialized='external', location='${location}') }}select * from (values ${rows}) t(id)` });
    const p = makeProject({ 'profiles.yml': profile(root), ...model(`${root}/exported.parquet`, '(1), (2)') });
    expect(statuses((await run(p.opts)).results)).toEqual({ exported: 'success' });
    for (const [location, reason] of [
      [`${root}/missing/dir/exported.parquet`, `the directory ${root}/missing/dir does not exist`],
      [root, `${root} is a directory`],
    ] as const) {
      p.write(model(location, '(7), (8), (9)'));
      const r = await run(p.opts);
      const failed = r.results[0]!;
      expect(failed.status).toBe('error');
      expect(failed.error?.code).toBe('EXTERNAL_LOCATION');
      expect(failed.error?.file).toBe('models/exported.sql');
      expect(failed.message).toContain(`The external location '${location}' cannot be written: ${reason}`);
      expect(failed.statements.some((s) => s.startsWith('copy'))).toBe(false);
      expect(await p.query('select id from main.exported order by id')).toEqual([{ id: 1 }, { id: 2 }]);
      expect(await p.query(`select count(*)::int as n from read_parquet('${root}/exported.parquet')`)).toEqual([{ n: 2 }]);
      expect(existsSync(join(root, 'missing'))).toBe(false);
    }
  });
});
