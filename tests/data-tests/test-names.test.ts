import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { genericTestHash, genericTestNames } from '../../src/project/generic-test-names.js';
import type { TestDecl } from '../../src/project/properties.js';
import { makeProject } from '../execute/harness.js';

function parse(files: Record<string, string>) {
  const p = makeProject(files, 'jaffle_shop');
  return parseLoaded(loadProject(p.opts)).manifest;
}

const decl = (testName: string, columnName: string | null, args: Record<string, unknown> = {}, target: TestDecl['target'] = { kind: 'model', name: 'orders' }): TestDecl => ({
  testName, args, config: {}, columnName, target, file: 'models/schema.yml', package: 'jaffle_shop',
});

describe('generic test names and unique ids as dbt generates them', () => {
  it('matches unique ids from jaffle_shop manifests built by dbt (models and sources)', () => {
    const m = parse({
      'models/customers.sql': 'select 1 as customer_id',
      'models/orders.sql': 'select 1 as order_id, 1 as customer_id, 1 as status',
      'models/schema.yml': `version: 2
sources:
  - name: jaffle_shop
    tables:
      - name: customers
        columns:
          - name: id
            tests: [not_null]
models:
  - name: customers
    columns:
      - name: customer_id
        tests: [unique, not_null]
  - name: orders
    columns:
      - name: customer_id
        tests:
          - relationships:
              to: ref('customers')
              field: customer_id
      - name: status
        tests:
          - accepted_values:
              values: ['placed', 'shipped', 'completed', 'return_pending', 'returned']
`,
    });
    const tests = Object.values(m.nodes).filter((n) => n.resource_type === 'test');
    expect(tests.map((t) => t.unique_id).sort()).toEqual([
      'test.jaffle_shop.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3',
      'test.jaffle_shop.not_null_customers_customer_id.5c9bf9911d',
      'test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2',
      'test.jaffle_shop.source_not_null_jaffle_shop_customers_id.50aa22178f',
      'test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1',
    ]);
    const av = tests.find((t) => t.name.startsWith('accepted_values'))!;
    // 64+ characters: the compiled file and the alias use the hashed short name, as in dbt's manifest.
    expect(av.path).toBe('accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758.sql');
    expect(av.alias).toBe('accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758');
    expect(av.fqn).toEqual(['jaffle_shop', av.name]);
    const un = tests.find((t) => t.name === 'unique_customers_customer_id')!;
    expect([un.path, un.alias]).toEqual(['unique_customers_customer_id.sql', 'unique_customers_customer_id']);
  });

  it('names namespaced, source, versioned, argument-less and custom-named tests', () => {
    expect(genericTestNames(decl('dbt_utils.accepted_range', 'amount', { min_value: 0, inclusive: true }))).toEqual({ full: 'dbt_utils_accepted_range_orders_amount__True__0', short: 'dbt_utils_accepted_range_orders_amount__True__0' });
    expect(genericTestNames(decl('dbt_utils.accepted_range', 'amount', { max_value: 1.5 }, { kind: 'source', name: 'tbl', sourceName: 'raw' })).full).toBe('dbt_utils_source_accepted_range_raw_tbl_amount__1_5');
    expect(genericTestNames(decl('unique', 'id', {}, { kind: 'model', name: 'orders', version: 2 })).full).toBe('unique_orders_v2_id');
    expect(genericTestNames(decl('my_check', null)).full).toBe('my_check_orders_');
    expect(genericTestNames(decl('expression_is_true', null, { expression: "a >= b and c = 'x'", extra: null })).full).toBe('expression_is_true_orders_a_b_and_c_x___None');
    expect(genericTestNames({ ...decl('unique', 'id'), customName: 'orders_pk' })).toEqual({ full: 'orders_pk', short: 'orders_pk' });
    const long = genericTestNames(decl('accepted_values', 'status', { values: ['placed', 'shipped', 'completed', 'return_pending', 'returned'] }));
    expect(long.short).toBe('accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758');
  });

  it('hashes the repr of the test metadata with sorted keys and str() scalars', () => {
    const kwargs = { column_name: 'customer_id', model: "{{ get_where_subquery(ref('customers')) }}" };
    expect(genericTestHash('unique_customers_customer_id', { name: 'unique', namespace: null, kwargs })).toBe('c5af1ff4b1');
  });

  it('custom names, namespaced names and both tests:/data_tests: spellings become nodes with those names', () => {
    const m = parse({
      'models/orders.sql': 'select 1 as id',
      'macros/t.sql': '{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}',
      'models/schema.yml': `version: 2
models:
  - name: orders
    data_tests:
      - dbt_utils.accepted_range:
          arguments: {column_name: id, min_value: 1}
    columns:
      - name: id
        tests:
          - unique:
              name: orders_id_is_unique
        data_tests:
          - positive
          - name: id_not_null
            test_name: not_null
`,
    });
    const names = Object.values(m.nodes).filter((n) => n.resource_type === 'test').map((n) => n.name).sort();
    expect(names).toEqual(['dbt_utils_accepted_range_orders_id__1', 'id_not_null', 'orders_id_is_unique', 'positive_orders_id']);
  });
});
