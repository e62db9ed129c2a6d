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

const grantsOn = async (name: string) =>
  (await sfQuery(double, `show grants on ${name}`)).filter((g) => g.privilege !== 'OWNERSHIP').map((g) => `${g.privilege}:${g.grantee_name}`);

describe('Snowflake per-model query_tag and grants', () => {
  it('a model\'s query_tag is the session\'s for its statements only; the profile\'s tag comes back after', async () => {
    const p = makeSnowflakeProject(
      {
        'models/a.sql': "{{ config(materialized='table', query_tag='nightly_a') }}\nselect 1 as id",
        'models/b.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('a') }}",
      },
      double.port,
      { schema: 'TAGS', query_tag: 'from_profile' },
    );
    await double.clearLog();
    expect((await run(p.opts)).success).toBe(true);
    const { queries, queryTags } = await double.log();
    const tagOf = (prefix: string) => queryTags[queries.findIndex((q) => q.startsWith(prefix))];
    expect(tagOf('create or replace transient table ANALYTICS.TAGS.a ')).toBe('nightly_a');
    expect(tagOf('create or replace transient table ANALYTICS.TAGS.b ')).toBe('from_profile');
    expect(queries).toContain("alter session set query_tag = 'from_profile'");
  });

  it('get_current_query_tag() is dbt-snowflake\'s public macro: a project overriding set_query_tag (as dbt_snowflake_query_tags does) reads the session\'s tag with it', async () => {
    const p = makeSnowflakeProject(
      {
        'macros/tags.sql': [
          '{% macro set_query_tag() -%}',
          '  {% set original = get_current_query_tag() %}',
          '  {% set tag = {} %}{% do tag.update(fromjson(original) if original.startswith("{") else {}) %}{% do tag.update(app="dbt", was=original) %}',
          '  {% do run_query("alter session set query_tag = \'" ~ tojson(tag) ~ "\'") %}',
          '  {{ return(original) }}',
          '{%- endmacro %}',
        ].join('\n'),
        'models/q.sql': "{{ config(materialized='table') }}\nselect 1 as id",
      },
      double.port,
      { schema: 'QTAG', query_tag: 'from_profile' },
    );
    await double.clearLog();
    expect((await run(p.opts)).success).toBe(true);
    const { queries, queryTags } = await double.log();
    // run_query's statements carry dbt's query comment (appended on Snowflake), as dbt-snowflake sends them.
    expect(queries.some((q) => q.startsWith("show parameters like 'query_tag' in session\n/* {"))).toBe(true);
    expect(queryTags[queries.findIndex((q) => q.startsWith('create or replace transient table ANALYTICS.QTAG.q '))]).toBe('{"app": "dbt", "was": "from_profile"}');
  });

  it('grants: granted after each build; with copy_grants the grants no longer configured are revoked', async () => {
    const model = (grantees: string, copy: boolean) => `{{ config(materialized='table', copy_grants=${copy ? 'true' : 'false'}, grants={'select': [${grantees}]}) }}\nselect 1 as id`;
    const p = makeSnowflakeProject({ 'models/g.sql': model("'reporter', 'analyst'", false) }, double.port, { schema: 'GRANTS' });
    await run(p.opts);
    expect(await grantsOn('analytics.grants.g')).toEqual(['SELECT:ANALYST', 'SELECT:REPORTER']);
    // without copy_grants `create or replace` drops the grants: they are all granted again
    p.write({ 'models/g.sql': model("'reporter'", false) });
    await run(p.opts);
    expect(await grantsOn('analytics.grants.g')).toEqual(['SELECT:REPORTER']);
    // with copy_grants the old grants survive the replace, so the extra one is revoked
    p.write({ 'models/g.sql': model("'reporter', 'analyst'", true) });
    await run(p.opts);
    p.write({ 'models/g.sql': model("'analyst'", true) });
    const r = await run(p.opts);
    expect(r.results[0]!.statements.filter((s) => /^(grant|revoke|show grants)/.test(s.trim())).map((s) => s.trim())).toEqual([
      'show grants on table ANALYTICS.GRANTS.g',
      'revoke select on table ANALYTICS.GRANTS.g from role REPORTER',
    ]);
    expect(await grantsOn('analytics.grants.g')).toEqual(['SELECT:ANALYST']);
  });
});
