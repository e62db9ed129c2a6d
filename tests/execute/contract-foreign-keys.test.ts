import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { TsdbtError, TsdbtErrorList } from '../../src/errors/tsdbt-error.js';
import { makeProject, statuses } from './harness.js';

type ManifestNode = { name: string; depends_on: { nodes: string[] }; columns: Record<string, { constraints: { to: string }[] }> };

/** The node of that name in the manifest.json the run wrote. */
const manifestNode = (r: { manifestPath: string }, name: string): ManifestNode =>
  (Object.values(JSON.parse(readFileSync(r.manifestPath, 'utf8')).nodes) as ManifestNode[]).find((n) => n.name === name)!;

/** customers (the parent, with a primary key) and orders, whose customer_id names it only through its constraint. */
const files = (to: string, ordersSql = 'select 10 as order_id, 1 as customer_id') => ({
  'models/customers.sql': 'select 1 as id union all select 2 as id',
  'models/orders.sql': ordersSql,
  'models/schema.yml': `version: 2
models:
  - name: customers
    config: {materialized: table, contract: {enforced: true}}
    columns:
      - name: id
        data_type: int
        constraints: [{type: primary_key}]
  - name: orders
    config: {materialized: table, contract: {enforced: true}}
    columns:
      - name: order_id
        data_type: int
      - name: customer_id
        data_type: int
        constraints:
          - type: foreign_key
            to: ${to}
            to_columns: [id]
`,
});

describe('foreign_key constraints with to: ref() (dbt 1.9)', () => {
  it('the parent becomes a dependency, is built first, and is rendered as its relation in the DDL', async () => {
    const p = makeProject(files("ref('customers')"));
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ customers: 'success', orders: 'success' });
    expect(r.results.map((x) => x.node.name)).toEqual(['customers', 'orders']);
    const orders = manifestNode(r, 'orders');
    expect(orders.depends_on.nodes).toEqual([expect.stringMatching(/^model\.\w+\.customers$/)]);
    // the manifest keeps `to` as written
    expect(orders.columns.customer_id!.constraints[0]!.to).toBe("ref('customers')");
    // DuckDB refuses a database-qualified parent, so it is schema.table
    const ddl = r.results.find((x) => x.node.name === 'orders')!.statements.find((s) => s.startsWith('create or replace table'))!;
    expect(ddl).toContain('customer_id int references "main"."customers" (id)');

    // DuckDB enforces it: an order whose customer does not exist fails, and the previous orders stay
    p.write({ 'models/orders.sql': 'select 11 as order_id, 3 as customer_id' });
    const bad = await run({ ...p.opts, select: ['orders'] });
    expect(statuses(bad.results)).toEqual({ orders: 'error' });
    expect(bad.results[0]!.message).toMatch(/Constraint Error: Violates foreign key constraint because key "id: 3" does not exist in the referenced table/);
    expect(await p.query('select order_id, customer_id from main.orders')).toEqual([{ order_id: 10, customer_id: 1 }]);
  });

  it('a model-level foreign key with to: source() depends on the source and renders its relation', async () => {
    const p = makeProject({
      'models/customers.sql': 'select 1 as id',
      'models/orders.sql': 'select 10 as order_id, 1 as customer_id',
      'models/schema.yml': `version: 2
sources:
  - name: crm
    schema: main
    tables: [{name: customers}]
models:
  - name: customers
    config: {materialized: table, contract: {enforced: true}}
    columns: [{name: id, data_type: int, constraints: [{type: primary_key}]}]
  - name: orders
    config: {materialized: table, contract: {enforced: true}}
    columns: [{name: order_id, data_type: int}, {name: customer_id, data_type: int}]
    constraints:
      - type: foreign_key
        columns: [customer_id]
        to: source('crm', 'customers')
        to_columns: [id]
`,
    });
    // the source is the customers table built here, which the DAG cannot know: build it first
    expect(statuses((await run({ ...p.opts, select: ['customers'] })).results)).toEqual({ customers: 'success' });
    const r = await run({ ...p.opts, select: ['orders'] });
    expect(manifestNode(r, 'orders').depends_on.nodes).toEqual([expect.stringMatching(/^source\.\w+\.crm\.customers$/)]);
    expect(statuses(r.results)).toEqual({ orders: 'success' });
    const ddl = r.results.find((x) => x.node.name === 'orders')!.statements.find((s) => s.startsWith('create or replace table'))!;
    expect(ddl).toContain('foreign key (customer_id) references "main"."customers" (id)');
    const fks = await p.query("select constraint_text from duckdb_constraints() where table_name = 'orders' and constraint_type = 'FOREIGN KEY'");
    expect(fks).toEqual([{ constraint_text: 'FOREIGN KEY (customer_id) REFERENCES customers(id)' }]);
  });

  it('an unknown ref in to: is a parse error at the model’s properties entry, with a did-you-mean', async () => {
    const p = makeProject(files("ref('customer')"));
    let errors: TsdbtError[] = [];
    try {
      await run(p.opts);
    } catch (e) {
      errors = e instanceof TsdbtErrorList ? e.errors : e instanceof TsdbtError ? [e] : [];
    }
    expect(errors.map((e) => e.format())).toEqual(["models/schema.yml:9: ref('customer') in 'orders' matches no node.\n  Did you mean 'customers'?"]);
  });
});
