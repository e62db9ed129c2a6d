/**
 * The subset of dbt's manifest v12 JSON schema that tools reading
 * target/manifest.json rely on; tests validate what tsdbt writes against it.
 * v12 forbids members it does not name on seeds and unit tests (tools reading
 * it through generated models reject them), so those are checked closely.
 */
const strings = { type: 'array', items: { type: 'string' } };

const dependsOn = {
  type: 'object',
  required: ['nodes', 'macros'],
  properties: { nodes: strings, macros: strings },
};

/** A seed (dbt's Seed): no refs, sources, language or compiled members, and a depends_on of macros only. */
const seed = {
  not: { anyOf: ['language', 'refs', 'sources', 'seed_file', 'compiled_code', 'compiled_path'].map((key) => ({ required: [key] })) },
  properties: { depends_on: { type: 'object', required: ['macros'], properties: { macros: strings }, additionalProperties: false }, root_path: { type: 'string' } },
};

const node = {
  type: 'object',
  required: ['unique_id', 'resource_type', 'package_name', 'name', 'path', 'original_file_path', 'fqn', 'alias', 'schema', 'database', 'config', 'tags', 'raw_code', 'depends_on', 'columns', 'description', 'checksum'],
  properties: {
    unique_id: { type: 'string', pattern: '^(model|seed|snapshot|test|analysis|operation)\\.' },
    resource_type: { enum: ['model', 'seed', 'snapshot', 'test', 'analysis', 'operation', 'sql_operation'] },
    fqn: { type: 'array', items: { type: 'string' }, minItems: 2 },
    config: { type: 'object', required: ['enabled', 'materialized', 'tags'] },
    tags: { type: 'array', items: { type: 'string' } },
    refs: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, package: { type: ['string', 'null'] }, version: { type: ['string', 'number', 'null'] } }, additionalProperties: false } },
    sources: { type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 } },
    columns: { type: 'object', additionalProperties: { type: 'object', required: ['name', 'description'] } },
    checksum: { type: 'object', required: ['name', 'checksum'] },
    compiled_code: { type: 'string' },
    relation_name: { type: ['string', 'null'] },
  },
  if: { properties: { resource_type: { const: 'seed' } } },
  then: seed,
  else: { required: ['refs', 'sources'], properties: { depends_on: dependsOn } },
};

const fixture = { type: 'object', required: ['rows', 'format', 'fixture'], properties: { rows: { type: ['array', 'string', 'null'] }, format: { enum: ['dict', 'csv', 'sql'] }, fixture: { type: ['string', 'null'] } }, additionalProperties: false };

/** A unit test (dbt's UnitTestDefinition): these members and no others. */
const unitTestKeys = ['model', 'given', 'expect', 'name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'fqn', 'description', 'overrides', 'depends_on', 'config', 'checksum', 'schema', 'created_at', 'versions', 'version'];
const unitTest = {
  type: 'object',
  required: unitTestKeys,
  propertyNames: { enum: unitTestKeys },
  properties: {
    unique_id: { type: 'string', pattern: '^unit_test\\.' },
    resource_type: { const: 'unit_test' },
    given: { type: 'array', items: { ...fixture, required: ['input', ...fixture.required], properties: { ...fixture.properties, input: { type: 'string' } } } },
    expect: fixture,
    depends_on: { type: 'object', required: ['macros', 'nodes'], properties: { macros: strings, nodes: strings }, additionalProperties: false },
    config: { type: 'object', required: ['tags', 'meta', 'enabled'] },
    checksum: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    created_at: { type: 'number' },
  },
};

export const manifestSchema = {
  type: 'object',
  required: ['metadata', 'nodes', 'sources', 'macros', 'docs', 'exposures', 'unit_tests', 'parent_map', 'child_map', 'group_map', 'disabled'],
  properties: {
    metadata: {
      type: 'object',
      required: ['dbt_schema_version', 'dbt_version', 'generated_at', 'invocation_id'],
      properties: { dbt_schema_version: { const: 'https://schemas.getdbt.com/dbt/manifest/v12.json' } },
    },
    nodes: { type: 'object', additionalProperties: node },
    sources: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['unique_id', 'source_name', 'name', 'identifier', 'schema', 'relation_name', 'fqn', 'columns'],
        properties: { unique_id: { type: 'string', pattern: '^source\\.' }, resource_type: { const: 'source' } },
      },
    },
    macros: {
      type: 'object',
      additionalProperties: { type: 'object', required: ['unique_id', 'name', 'package_name', 'macro_sql', 'original_file_path'] },
    },
    exposures: { type: 'object', additionalProperties: { type: 'object', required: ['unique_id', 'name', 'type', 'depends_on'] } },
    unit_tests: { type: 'object', additionalProperties: unitTest },
    parent_map: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    child_map: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    group_map: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
  },
} as const;
