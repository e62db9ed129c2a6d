import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/fast-and-plain.js';
import { makeProject } from '../support/project-fixture.js';

/**
 * dbt-core's own manifest v12 JSON schema (schemas/dbt/manifest/v12.json of
 * dbt-core 1.10), which tools generate their readers from: not part of this
 * repository, so the test runs when DBT_MANIFEST_V12_SCHEMA names a copy.
 */
const schemaPath = process.env.DBT_MANIFEST_V12_SCHEMA;

type Schema = { properties: Record<string, { additionalProperties?: { anyOf?: Schema[] } & Record<string, unknown> }>; $defs?: unknown };

/** Every node against its resource type's definition, and every unit test: the failures, as `<id> <path> <message>`. */
function failures(schema: Schema, manifest: { nodes: Record<string, { resource_type: string }>; unit_tests: Record<string, unknown> }): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  const byType = new Map<string, ReturnType<typeof ajv.compile>>();
  for (const alt of schema.properties.nodes!.additionalProperties!.anyOf!) byType.set((alt as { properties: { resource_type: { const: string } } }).properties.resource_type.const, ajv.compile(alt));
  const unitTest = ajv.compile({ ...schema.properties.unit_tests!.additionalProperties, $defs: schema.$defs });
  const out: string[] = [];
  const check = (id: string, validate: ReturnType<typeof ajv.compile> | undefined, value: unknown) => {
    if (!validate) out.push(`${id} has no definition`);
    else if (!validate(value)) for (const e of validate.errors ?? []) out.push(`${id} ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
  for (const [id, node] of Object.entries(manifest.nodes)) check(id, byType.get(node.resource_type), node);
  for (const [id, entry] of Object.entries(manifest.unit_tests)) check(id, unitTest, entry);
  return out;
}

describe.skipIf(!schemaPath)("manifest.json against dbt-core's v12 schema (DBT_MANIFEST_V12_SCHEMA)", () => {
  it('seeds, unit tests, models, tests and analyses validate, after parse and after build', async () => {
    const schema = JSON.parse(readFileSync(schemaPath!, 'utf8')) as Schema;
    const dir = makeProject({
      'seeds/people.csv': 'id,name\n1,Ann\n',
      'models/stg.sql': "select * from {{ ref('people') }}",
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: stg',
        '    columns: [{name: id, data_tests: [unique]}]',
        'unit_tests:',
        '  - name: keeps_rows',
        '    model: stg',
        '    config: {tags: [u], meta: {a: 1}}',
        "    given: [{input: \"ref('people')\", format: csv, rows: \"id,name\\n1,\\n\"}]",
        '    expect: {rows: [{id: 1, name: null}]}',
      ].join('\n'),
      'analyses/a.sql': "select * from {{ ref('stg') }}",
    });
    for (const command of ['parse', 'build']) {
      const r = await cli(dir, [command]);
      expect(r.code, r.out).toBe(0);
      const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
      expect(Object.keys(manifest.unit_tests)).toEqual(['unit_test.test_project.stg.keeps_rows']);
      expect(failures(schema, manifest), command).toEqual([]);
    }
  });
});
