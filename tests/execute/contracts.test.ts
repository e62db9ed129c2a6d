import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { contractErrorMessage, printTable } from '../../src/errors/contract-error.js';
import { TsdbtError, TsdbtErrorList } from '../../src/errors/tsdbt-error.js';
import { makeProject, statuses, type TestProject } from './harness.js';

/** A properties file for model `m` with an enforced contract. */
const props = (config: string, columns: string, extra = '') => `version: 2
models:
  - name: m
    config: {${config}, contract: {enforced: true}}
${extra}    columns:
${columns}`;

const typedColumns = `      - name: id
        data_type: int
        constraints:
          - type: not_null
          - type: primary_key
      - name: name
        data_type: varchar
        constraints:
          - type: unique
          - type: check
            expression: "length(name) > 0"
      - name: amount
        data_type: decimal(10,2)
`;

const mismatchTable = `This model has an enforced contract that failed.
Please ensure the name, data_type, and number of columns in your contract match the columns in your model's definition.

| column_name | definition_type | contract_type | mismatch_reason       |
| ----------- | --------------- | ------------- | --------------------- |
| amount      |                 | DECIMAL(10,2) | missing in definition |
| extra       | INTEGER         |               | missing in contract   |
| id          | VARCHAR         | INTEGER       | data type mismatch    |`;

/** Statements of model `name`, without the cache's catalog queries. */
const statementsOf = (r: Awaited<ReturnType<typeof run>>, name: string) => r.results.find((x) => x.node.name === name)!.statements.filter((s) => !s.startsWith('select table_'));

const columnsOf = (p: TestProject, table: string) =>
  p.query(`select column_name, data_type, is_nullable from duckdb_columns() where table_name = '${table}' order by column_index`);

async function parseError(p: TestProject): Promise<TsdbtError[]> {
  try {
    await run(p.opts);
  } catch (e) {
    if (e instanceof TsdbtErrorList) return e.errors;
    if (e instanceof TsdbtError) return [e];
    throw e;
  }
  throw new Error('expected the parse to fail');
}

describe('model contracts on DuckDB: tables', () => {
  it('creates the table from the declared columns and constraints, then inserts in YAML order', async () => {
    const p = makeProject({
      'models/m.sql': "select 'a' as name, 1 as id, 2.5::decimal(10,2) as amount",
      'models/m.yml': props('materialized: table', typedColumns),
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ m: 'success' });
    expect(statementsOf(r, 'm')).toEqual([
      "select * from (\n    select 'a' as name, 1 as id, 2.5::decimal(10,2) as amount\n  ) as __dbt_sbq\n  where false\n  limit 0",
      'select * from (\n    select\n    cast(null as int) as id,\n    cast(null as varchar) as name,\n    cast(null as decimal(10,2)) as amount\n  ) as __dbt_sbq\n  where false\n  limit 0',
      'begin',
      'create or replace table "dev"."main"."m" (\n' +
        '    id int not null primary key,\n' +
        '    name varchar unique check (length(name) > 0),\n' +
        '    amount decimal(10,2)\n' +
        '  );\n' +
        '    insert into "dev"."main"."m" (id, name, amount)\n' +
        '    select id, name, amount\n' +
        '  from (\n' +
        "    select 'a' as name, 1 as id, 2.5::decimal(10,2) as amount\n" +
        '  ) as model_subq',
      'commit',
    ]);
    expect(await columnsOf(p, 'm')).toEqual([
      { column_name: 'id', data_type: 'INTEGER', is_nullable: false },
      { column_name: 'name', data_type: 'VARCHAR', is_nullable: true },
      { column_name: 'amount', data_type: 'DECIMAL(10,2)', is_nullable: true },
    ]);
    expect(await p.query('select * from main.m')).toEqual([{ id: 1, name: 'a', amount: 2.5 }]);
    const constraints = await p.query("select constraint_type from duckdb_constraints() where table_name = 'm' order by all");
    expect(constraints.map((c) => c.constraint_type)).toEqual(['CHECK', 'NOT NULL', 'PRIMARY KEY', 'UNIQUE']);
  });

  it('rows that break a constraint fail the model and leave the previous table as it was', async () => {
    const p = makeProject({
      'models/m.sql': "select 'a' as name, 1 as id, 2.5::decimal(10,2) as amount",
      'models/m.yml': props('materialized: table', typedColumns),
    });
    await run(p.opts);
    p.write({ 'models/m.sql': "select * from (values ('b', 1, 1.0::decimal(10,2)), ('c', 1, 2.0::decimal(10,2))) as t(name, id, amount)" });
    const dup = await run(p.opts);
    expect(statuses(dup.results)).toEqual({ m: 'error' });
    expect(dup.results[0]!.message).toMatch(/Constraint Error: PRIMARY KEY or UNIQUE constraint violation: duplicate key "1"/);
    p.write({ 'models/m.sql': "select '' as name, 2 as id, 1.0::decimal(10,2) as amount" });
    const check = await run(p.opts);
    expect(check.results[0]!.message).toMatch(/CHECK constraint failed on table m with expression CHECK\(\(length\(\"name\"\) > 0\)\)/);
    p.write({ 'models/m.sql': "select 'd' as name, null::int as id, 1.0::decimal(10,2) as amount" });
    const nulls = await run(p.opts);
    expect(nulls.results[0]!.message).toMatch(/NOT NULL constraint failed: m\.id/);
    expect(await p.query('select * from main.m')).toEqual([{ id: 1, name: 'a', amount: 2.5 }]);
  });

  it('a query that does not match the contract fails with dbt\'s table of mismatches; nothing is built', async () => {
    const p = makeProject({
      'models/m.sql': "select 'a' as name, 1 as id, 2.5::decimal(10,2) as amount",
      'models/m.yml': props('materialized: table', typedColumns),
    });
    await run(p.opts);
    p.write({ 'models/m.sql': "select 'x' as name, 'oops' as id, 3 as extra" });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ m: 'error' });
    const err = r.results[0]!.error!;
    expect(err.code).toBe('CONTRACT_ERROR');
    expect(err.file).toBe('models/m.sql');
    expect(err.message).toBe(mismatchTable);
    expect(statementsOf(r, 'm').some((s) => s.includes('create'))).toBe(false);
    expect(await p.query('select * from main.m')).toEqual([{ id: 1, name: 'a', amount: 2.5 }]);
  });

  it('types are compared as the database names them (int = INTEGER, text = VARCHAR); names match exactly', async () => {
    const p = makeProject({
      'models/m.sql': "select 1 as id, 'a' as label",
      'models/m.yml': props('materialized: table', '      - name: id\n        data_type: integer\n      - name: label\n        data_type: text\n'),
    });
    expect(statuses((await run(p.opts)).results)).toEqual({ m: 'success' });
    p.write({ 'models/m.yml': props('materialized: table', '      - name: ID\n        data_type: integer\n      - name: label\n        data_type: text\n') });
    const r = await run(p.opts);
    expect(r.results[0]!.message).toContain('| ID          |                 | INTEGER       | missing in definition |');
    expect(r.results[0]!.message).toContain('| id          | INTEGER         |               | missing in contract   |');
  });

  it('model-level constraints: a composite primary key, a named check, a foreign key by expression', async () => {
    const p = makeProject({
      'models/parent.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/setup.sql': "{{ config(materialized='table', post_hook='alter table {{ this }} add primary key (id)') }}select 1 as id",
      'models/m.sql': "-- depends_on: {{ ref('setup') }}\nselect 1 as a, 2 as b, 1 as parent_id",
      'models/m.yml': props(
        'materialized: table',
        '      - name: a\n        data_type: int\n      - name: b\n        data_type: int\n      - name: parent_id\n        data_type: int\n',
        `    constraints:
      - type: primary_key
        columns: [a, b]
      - type: check
        name: b_positive
        expression: "b > 0"
      - type: foreign_key
        columns: [parent_id]
        expression: "main.setup (id)"
`,
      ),
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ parent: 'success', setup: 'success', m: 'success' });
    expect(statementsOf(r, 'm').find((s) => s.startsWith('create'))!.split(';')[0]).toBe(
      'create or replace table "dev"."main"."m" (\n    a int,\n    b int,\n    parent_id int,\n    primary key (a, b),\n    constraint b_positive check (b > 0),\n    foreign key (parent_id) references main.setup (id)\n  )',
    );
    const constraints = await p.query("select constraint_type, constraint_text from duckdb_constraints() where table_name = 'm' and constraint_type <> 'NOT NULL' order by all");
    expect(constraints.map((c) => c.constraint_type)).toEqual(['CHECK', 'FOREIGN KEY', 'PRIMARY KEY']);
  });

  it('a quoted column keeps its spelling in the DDL and the select', async () => {
    const p = makeProject({
      'models/m.sql': 'select 1 as "Order Id"',
      'models/m.yml': props('materialized: table', '      - name: Order Id\n        quote: true\n        data_type: int\n        constraints: [{type: not_null}]\n'),
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ m: 'success' });
    expect(statementsOf(r, 'm').find((s) => s.startsWith('create'))).toBe(
      'create or replace table "dev"."main"."m" (\n    "Order Id" int not null\n  );\n    insert into "dev"."main"."m" ("Order Id")\n    select "Order Id"\n  from (\n    select 1 as "Order Id"\n  ) as model_subq',
    );
  });
});

describe('model contracts on DuckDB: foreign keys', () => {
  it('a column-level foreign key (to + to_columns) references the parent, and DuckDB enforces it', async () => {
    const p = makeProject({
      'models/parent.sql': "{{ config(materialized='table', post_hook='alter table {{ this }} add primary key (id)') }}select 1 as id",
      'models/m.sql': "-- depends_on: {{ ref('parent') }}\nselect 1 as parent_id",
      'models/m.yml': props('materialized: table', '      - name: parent_id\n        data_type: int\n        constraints: [{type: foreign_key, to: main.parent, to_columns: [id]}]\n'),
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ parent: 'success', m: 'success' });
    expect(statementsOf(r, 'm').find((s) => s.startsWith('create'))!.split(';')[0]).toBe('create or replace table "dev"."main"."m" (\n    parent_id int references main.parent (id)\n  )');
    p.write({ 'models/m.sql': "-- depends_on: {{ ref('parent') }}\nselect 2 as parent_id" });
    const bad = await run({ ...p.opts, select: ['m'] });
    expect(bad.results[0]!.message).toMatch(/Violates foreign key constraint because key "id: 2" does not exist in the referenced table/);
  });
});

describe('the contract error table', () => {
  it('cuts cells wider than 50 characters as dbt prints them', () => {
    const long = `STRUCT(${'a'.repeat(60)} INTEGER)`;
    expect(printTable(['column_name', 'definition_type'], [['x', long]])).toBe(
      `| column_name | definition_type                                    |\n| ----------- | -------------------------------------------------- |\n| x           | ${long.slice(0, 47)}... |`,
    );
  });

  it('without YAML columns it says the columns specification is missing', () => {
    expect(contractErrorMessage([], [{ name: 'id', data_type: 'INTEGER' }])).toBe("This model has an enforced contract, and its 'columns' specification is missing");
  });
});

describe('model contracts on DuckDB: views and incremental models', () => {
  it('a view is only checked: created as usual when it matches, and kept when it does not', async () => {
    const p = makeProject({
      'models/m.sql': 'select 1 as id',
      'models/m.yml': props('materialized: view', '      - name: id\n        data_type: integer\n'),
    });
    const ok = await run(p.opts);
    expect(statuses(ok.results)).toEqual({ m: 'success' });
    expect(statementsOf(ok, 'm').filter((s) => s.includes('create'))).toEqual(['create or replace view "dev"."main"."m" as (\nselect 1 as id\n    )']);
    p.write({ 'models/m.sql': 'select 1::bigint as id' });
    const bad = await run(p.opts);
    expect(bad.results[0]!.error!.message).toBe(
      'This model has an enforced contract that failed.\n' +
        "Please ensure the name, data_type, and number of columns in your contract match the columns in your model's definition.\n\n" +
        '| column_name | definition_type | contract_type | mismatch_reason    |\n' +
        '| ----------- | --------------- | ------------- | ------------------ |\n' +
        '| id          | BIGINT          | INTEGER       | data type mismatch |',
    );
    expect(await p.query("select data_type from duckdb_columns() where table_name = 'm'")).toEqual([{ data_type: 'INTEGER' }]);
  });

  it('constraints on a view are ignored with dbt\'s warning (silenced by warn_unsupported: false)', async () => {
    const p = makeProject({
      'models/m.sql': 'select 1 as id',
      'models/m.yml': props('materialized: view', '      - name: id\n        data_type: integer\n        constraints: [{type: not_null}]\n'),
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ m: 'success' });
    expect(r.warnings).toContain(
      "models/m.yml: Constraint types are not supported for view materializations and will be ignored.  Set 'warn_unsupported: false' on this constraint to ignore this warning.",
    );
    p.write({ 'models/m.yml': props('materialized: view', '      - name: id\n        data_type: integer\n        constraints: [{type: not_null, warn_unsupported: false}]\n') });
    expect((await run(p.opts)).warnings.some((w) => w.includes('Constraint types are not supported'))).toBe(false);
  });

  it('an incremental model: built with its constraints, its new rows checked on every run', async () => {
    const model = (body: string) => ({ 'models/m.sql': `{{ config(materialized='incremental', unique_key='id') }}\n${body}` });
    const p = makeProject({
      ...model('select 1 as id, \'a\' as name'),
      'models/m.yml': props('on_schema_change: append_new_columns', '      - name: id\n        data_type: int\n        constraints: [{type: not_null}, {type: primary_key}]\n      - name: name\n        data_type: varchar\n'),
    });
    const first = await run(p.opts);
    expect(statuses(first.results)).toEqual({ m: 'success' });
    expect(statementsOf(first, 'm').find((s) => s.includes('create'))!.trim().split('\n')[0]).toBe('create table "dev"."main"."m" (');
    p.write(model("select 2 as id, 'b' as name"));
    const second = await run(p.opts);
    expect(statuses(second.results)).toEqual({ m: 'success' });
    expect(await p.query('select id, name from main.m order by id')).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    p.write(model("select '3' as id, 'c' as name"));
    const changed = await run(p.opts);
    expect(changed.results[0]!.error!.message).toContain('| id          | VARCHAR         | INTEGER       | data type mismatch |');
    p.write(model("select null::int as id, 'c' as name"));
    const nulls = await run(p.opts);
    expect(nulls.results[0]!.message).toMatch(/NOT NULL constraint failed: m\.id/);
    expect(await p.query('select count(*)::int as n from main.m')).toEqual([{ n: 2 }]);
  });
});

describe('model contracts: parse-time errors', () => {
  it('columns without data_type: dbt\'s message, at the YAML file and the column\'s line', async () => {
    const p = makeProject({
      'models/m.sql': 'select 1 as id, 2 as b',
      'models/m.yml': props('materialized: table', '      - name: id\n        data_type: int\n      - name: b\n        description: no type here\n'),
    });
    const [err] = await parseError(p);
    expect(err!.code).toBe('CONTRACT_ERROR');
    expect(err!.format()).toBe(
      "models/m.yml:8: Contracted models require data_type to be defined for each column. Please ensure that the column name and data_type are defined within the YAML configuration for the ['b'] column(s).\n  Add `data_type:` (e.g. `data_type: integer`) to column 'b' of model 'm'.",
    );
  });

  it('a contract without YAML columns, and an ephemeral contracted model, are errors reported together', async () => {
    const p = makeProject({
      'models/m.sql': 'select 1 as id',
      'models/e.sql': "{{ config(materialized='ephemeral') }}select 1 as id",
      'models/m.yml': `version: 2
models:
  - name: m
    config: {materialized: table, contract: {enforced: true}}
  - name: e
    config: {contract: {enforced: true}}
    columns:
      - name: id
        data_type: int
`,
    });
    const errors = await parseError(p);
    expect(errors.map((e) => e.format())).toEqual([
      "models/m.yml:5: Contract enforcement failed for: (models/e.sql)\nContracts are not supported for ephemeral models: 'e' is materialized as 'ephemeral'.\n  Materialize it as a table, view or incremental model, or remove `contract: {enforced: true}` from it.",
      "models/m.yml:3: Contract enforcement failed for: (models/m.sql)\nConstraints must be defined in a `yml` schema configuration file like `schema.yml`.\n  List the model's columns, each with a data_type, under `columns:` of 'm' in a properties YAML file.",
    ]);
  });

  it('an unknown constraint type and two column-level primary keys', async () => {
    const p = makeProject({
      'models/m.sql': 'select 1 as a, 2 as b',
      'models/m.yml': props('materialized: table', '      - name: a\n        data_type: int\n        constraints: [{type: primary_key}]\n      - name: b\n        data_type: int\n        constraints: [{type: primary_key}, {type: not_nul}]\n'),
    });
    const errors = await parseError(p);
    expect(errors.map((e) => e.format())).toEqual([
      "models/m.yml:9: Invalid constraint type on model m: Type must be one of ['check', 'not_null', 'unique', 'primary_key', 'foreign_key', 'custom']\n  A constraint of column 'b' has type 'not_nul'; use one of check, not_null, unique, primary_key, foreign_key, custom.",
      "models/m.yml:6: Primary key constraint error: (models/m.sql)\nFound 2 columns (['a', 'b']) with primary key constraints defined. Primary keys for multiple columns must be defined as a model level constraint.\n  Declare a multi-column primary key once, under the model's `constraints:` with `columns: [...]`.",
    ]);
  });
});
