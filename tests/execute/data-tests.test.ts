import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run, test } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

const models = {
  'models/orders.sql': "{{ config(materialized='table') }}select * from (values (1, 10, 'open', 5), (2, 10, 'done', 50), (3, 99, 'lost', 500), (3, 11, null, 7)) as t(id, customer_id, status, amount)",
  'models/customers.sql': "{{ config(materialized='table') }}select * from (values (10), (11)) as t(id)",
};

function byName(results: { node: { name: string }; status: string; failures: number | null; message: string | null }[]) {
  return Object.fromEntries(results.map((r) => [r.node.name, { status: r.status, failures: r.failures, message: r.message }]));
}

describe('data tests', () => {
  it('judges the five generic tests with exact statuses and failure counts', async () => {
    const p = makeProject({
      ...models,
      'models/schema.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests: [unique, not_null]
      - name: status
        data_tests:
          - not_null
          - accepted_values:
              values: [open, done]
      - name: customer_id
        data_tests:
          - relationships:
              to: ref('customers')
              field: id
      - name: amount
        data_tests:
          - accepted_range:
              min_value: 0
              max_value: 100
`,
    });
    await run(p.opts);
    const r = await test(p.opts);
    expect(byName(r.results)).toEqual({
      unique_orders_id: { status: 'fail', failures: 1, message: 'Got 1 result, configured to fail if != 0' },
      not_null_orders_id: { status: 'pass', failures: 0, message: null },
      not_null_orders_status: { status: 'fail', failures: 1, message: 'Got 1 result, configured to fail if != 0' },
      accepted_values_orders_status__open__done: { status: 'fail', failures: 1, message: 'Got 1 result, configured to fail if != 0' },
      relationships_orders_customer_id__id__ref_customers_: { status: 'fail', failures: 1, message: 'Got 1 result, configured to fail if != 0' },
      accepted_range_orders_amount__100__0: { status: 'fail', failures: 1, message: 'Got 1 result, configured to fail if != 0' },
    });
    expect(r.success).toBe(false);
    const unique = r.results.find((x) => x.node.name === 'unique_orders_id')!;
    expect(unique.compiled_path).toBe('target/compiled/proj/models/schema.yml/unique_orders_id.sql');
  });

  it('honours severity, warn_if/error_if, where, limit and fail_calc', async () => {
    const p = makeProject({
      ...models,
      'models/schema.yml': `version: 2
models:
  - name: orders
    columns:
      - name: status
        data_tests:
          - accepted_values:
              name: warn_only
              values: [open]
              config: {severity: warn}
          - accepted_values:
              name: thresholds
              values: [open]
              config: {warn_if: ">= 1", error_if: ">= 3"}
          - accepted_values:
              name: filtered
              values: [open]
              config: {where: "amount < 100"}
          - accepted_values:
              name: limited
              values: [nothing]
              config: {limit: 2, error_if: ">= 3"}
          - accepted_values:
              name: summed
              values: [open]
              config: {fail_calc: "sum(n_records)", warn_if: "> 5", error_if: "> 10"}
`,
    });
    await run(p.opts);
    const r = await test(p.opts);
    expect(byName(r.results)).toEqual({
      warn_only: { status: 'warn', failures: 2, message: 'Got 2 results, configured to warn if != 0' },
      thresholds: { status: 'warn', failures: 2, message: 'Got 2 results, configured to warn if >= 1' },
      filtered: { status: 'fail', failures: 1, message: 'Got 1 result, configured to fail if != 0' },
      limited: { status: 'warn', failures: 2, message: 'Got 2 results, configured to warn if != 0' },
      // Under its thresholds: a pass with no failures, as dbt reports it (run_results.json too).
      summed: { status: 'pass', failures: 0, message: null },
    });
    const written = JSON.parse(readFileSync(r.runResultsPath, 'utf8')) as { results: { unique_id: string; status: string; failures: number }[] };
    expect(written.results.filter((x) => x.unique_id.includes('summed')).map((x) => [x.status, x.failures])).toEqual([['pass', 0]]);
    const warnError = await test({ ...p.opts, warnError: true, select: ['warn_only'] });
    expect(warnError.results[0]!.status).toBe('fail');
    expect(warnError.success).toBe(false);
  });

  it('a singular test and a test whose SQL fails (ERROR), and store_failures keeps the failing rows', async () => {
    const p = makeProject({
      ...models,
      'tests/no_big_orders.sql': "select * from {{ ref('orders') }} where amount > 100",
      'tests/broken.sql': "select * from {{ ref('orders') }} where no_such_column > 1",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        data_tests:\n          - unique:\n              config: {store_failures: true}\n',
    });
    await run(p.opts);
    const r = await test(p.opts);
    expect(statuses(r.results)).toEqual({ no_big_orders: 'fail', broken: 'error', unique_orders_id: 'fail' });
    expect(r.results.find((x) => x.node.name === 'broken')!.message).toContain('Database Error in test broken (tests/broken.sql)');
    expect(await p.query('select unique_field, n_records::int as n from main_dbt_test__audit.unique_orders_id')).toEqual([{ unique_field: 3, n: 2 }]);
  });
});
