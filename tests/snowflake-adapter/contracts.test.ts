import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject, sfQuery } from './sf-harness.js';

let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker();
});
afterAll(async () => {
  await double?.close();
});

const props = (materialized: string, columns: string) => `version: 2
models:
  - name: m
    config: {materialized: ${materialized}, contract: {enforced: true}}
    columns:
${columns}`;

const typed = `      - name: id
        data_type: int
        constraints: [{type: not_null}, {type: primary_key}, {type: check, expression: "id > 0"}, {type: unique, warn_unenforced: false}]
      - name: name
        data_type: varchar
`;

function collecting() {
  const warnings: string[] = [];
  return { warnings, logger: { info: () => {}, debug: () => {}, warn: (m: string) => void warnings.push(m) } };
}

describe('model contracts on Snowflake (through the double)', () => {
  it('a contracted table: one atomic create or replace with the declared columns; not null enforced, other constraints warned about', async () => {
    const { warnings, logger } = collecting();
    const p = makeSnowflakeProject({ 'models/m.sql': "select 'a' as name, 1 as id", 'models/m.yml': props('table', typed) }, double.port, { schema: 'CONTRACTS' });
    const r = await run({ ...p.opts, logger });
    const ddl = r.results[0]!.statements.find((s) => s.startsWith('create or replace'));
    expect(ddl).toBe(
      'create or replace transient table ANALYTICS.CONTRACTS.m (\n' +
        '    id int not null primary key unique,\n' +
        '    name varchar\n' +
        '  ) as (\n' +
        '    select id, name\n' +
        '  from (\n' +
        "    select 'a' as name, 1 as id\n" +
        '  ) as model_subq\n' +
        '  );',
    );
    expect(warnings).toEqual([
      "The constraint type primary_key is not enforced by snowflake. The constraint will be included in this model's DDL statement, but it will not guarantee anything about the underlying data. Set 'warn_unenforced: false' on this constraint to ignore this warning.",
      "The constraint type check is not supported by snowflake, and will be ignored. Set 'warn_unsupported: false' on this constraint to ignore this warning.",
    ]);
  });

  it('a contracted table builds with its declared columns; a null in a not_null column fails the model and keeps the previous table', async () => {
    const p = makeSnowflakeProject({ 'models/m.sql': "select 'a' as name, 1 as id", 'models/m.yml': props('table', typed) }, double.port, { schema: 'CONTRACTS_BUILD' });
    const first = await run(p.opts);
    expect(first.results.map((x) => x.status)).toEqual(['success']);
    expect(await sfQuery(double, 'select id, name from analytics.contracts_build.m')).toEqual([{ ID: 1, NAME: 'a' }]);
    p.write({ 'models/m.sql': "select 'b' as name, cast(null as int) as id" });
    const second = await run(p.opts);
    expect(second.results.map((x) => x.status)).toEqual(['error']);
    expect(second.results[0]!.message).toMatch(/NOT NULL constraint failed/i);
    expect(await sfQuery(double, 'select id, name from analytics.contracts_build.m')).toEqual([{ ID: 1, NAME: 'a' }]);
  });

  it('a query that breaks the contract fails with dbt\'s table (names and types as Snowflake reports them); nothing is created', async () => {
    const p = makeSnowflakeProject(
      {
        'models/m.sql': "select 'a' as name, 'x' as id, 2.5 as amount",
        'models/m.yml': props('table', `${typed}      - name: amount\n        data_type: number(10,2)\n`),
      },
      double.port,
      { schema: 'CONTRACTS_BAD' },
    );
    const r = await run(p.opts);
    expect(r.results[0]!.status).toBe('error');
    expect(r.results[0]!.error!.message).toBe(
      'This model has an enforced contract that failed.\n' +
        "Please ensure the name, data_type, and number of columns in your contract match the columns in your model's definition.\n\n" +
        '| column_name | definition_type | contract_type | mismatch_reason    |\n' +
        '| ----------- | --------------- | ------------- | ------------------ |\n' +
        '| AMOUNT      | NUMBER(2,1)     | NUMBER(10,2)  | data type mismatch |\n' +
        '| ID          | VARCHAR         | NUMBER(38,0)  | data type mismatch |',
    );
    expect(r.results[0]!.statements.some((s) => s.startsWith('create'))).toBe(false);
  });

  it('a contracted view is checked, then created as usual', async () => {
    const p = makeSnowflakeProject({ 'models/m.sql': 'select 1 as id', 'models/m.yml': props('view', '      - name: id\n        data_type: int\n') }, double.port, { schema: 'CONTRACTS_VIEW' });
    const r = await run(p.opts);
    expect(r.results[0]!.status).toBe('success');
    expect(r.results[0]!.statements.filter((s) => s.startsWith('create'))).toEqual(['create or replace view ANALYTICS.CONTRACTS_VIEW.m as (\n    select 1 as id\n  );']);
    expect(await sfQuery(double, 'select id from analytics.contracts_view.m')).toEqual([{ ID: 1 }]);
    p.write({ 'models/m.sql': "select 'one' as id" });
    const bad = await run(p.opts);
    expect(bad.results[0]!.error!.message).toContain('| ID          | VARCHAR         | NUMBER(38,0)  | data type mismatch |');
  });
});
