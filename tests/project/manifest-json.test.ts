import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { manifestSchema } from '../../src/artifacts/manifest-schema.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

describe('target/manifest.json', () => {
  it('validates against the manifest v12 subset, for models, seeds, sources, exposures, unit tests and docs', async () => {
    const dir = makeProject({
      'models/stg.sql': "select * from {{ source('raw', 'events') }}",
      'models/mart.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('stg') }}",
      'models/docs.md': '{% docs mart_doc %}\nThe mart, documented.\n{% enddocs %}',
      'models/schema.yml': [
        'version: 2',
        'sources:',
        '  - name: raw',
        '    tables: [{name: events}]',
        'models:',
        '  - name: mart',
        '    description: "{{ doc(\'mart_doc\') }}"',
        '    columns: [{name: id, description: the key}]',
        'exposures:',
        '  - name: dash',
        '    type: dashboard',
        '    owner: {name: A, email: a@example.com}',
        "    depends_on: [ref('mart')]",
        'unit_tests:',
        '  - name: stg_rows',
        '    model: stg',
        "    given: [{input: \"source('raw', 'events')\", rows: [{id: 1}]}]",
        '    expect: {rows: [{id: 1}]}',
      ].join('\n'),
      'seeds/s.csv': 'a\n1\n',
      'macros/cents.sql': '{% macro cents(col) %}({{ col }} * 100){% endmacro %}',
      'macros/cents.yml': 'version: 2\nmacros:\n  - name: cents\n    description: Dollars to cents.\n    arguments:\n      - name: col\n        type: column\n        description: the dollar column\n',
    });
    const io = captureStreams();
    expect(await runCli(['parse', '--project-dir', dir], io.streams, {})).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(manifestSchema);
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
    expect(Object.keys(manifest.unit_tests)).toEqual(['unit_test.test_project.stg.stg_rows']);
    // The shapes tsdbt wrote before: a seed with refs, sources, language, seed_file and depends_on.nodes; a unit test as a node.
    const seed = manifest.nodes['seed.test_project.s'];
    const unitTest = { ...manifest.unit_tests['unit_test.test_project.stg.stg_rows'], raw_code: '', checksum: { name: 'sha256', checksum: 'x' } };
    const old = { ...manifest, nodes: { 'seed.test_project.s': { ...seed, language: 'sql', refs: [], sources: [], seed_file: '/s.csv', depends_on: { nodes: [], macros: [] } } }, unit_tests: { [unitTest.unique_id]: unitTest } };
    expect(validate(old)).toBe(false);
    expect(validate.errors!.map((e) => `${e.instancePath} ${e.message}`)).toEqual([
      '/nodes/seed.test_project.s must NOT be valid',
      '/nodes/seed.test_project.s/depends_on must NOT have additional properties',
      '/nodes/seed.test_project.s must match "then" schema',
      '/unit_tests/unit_test.test_project.stg.stg_rows must be equal to one of the allowed values',
      '/unit_tests/unit_test.test_project.stg.stg_rows property name must be valid',
      '/unit_tests/unit_test.test_project.stg.stg_rows/checksum must be string',
    ]);
    expect(manifest.nodes['model.test_project.mart'].description).toBe('The mart, documented.');
    expect(manifest.exposures['exposure.test_project.dash'].depends_on.nodes).toEqual(['model.test_project.mart']);
    expect(manifest.child_map['model.test_project.mart']).toEqual(['exposure.test_project.dash']);
    expect(manifest.macros['macro.test_project.cents'].description).toBe('Dollars to cents.');
    expect(manifest.macros['macro.test_project.cents'].arguments).toEqual([{ name: 'col', type: 'column', description: 'the dollar column' }]);
    // v12 has `root_path` on seeds only (the package's folder), and no `line` on macros.
    const withRoot = (section: Record<string, { unique_id: string }>) => Object.values(section).filter((x) => 'root_path' in x).map((x) => x.unique_id);
    expect(withRoot(manifest.nodes)).toEqual(['seed.test_project.s']);
    expect(manifest.nodes['seed.test_project.s'].root_path).toBe(dir);
    for (const section of ['macros', 'sources', 'exposures', 'unit_tests'] as const) expect(withRoot(manifest[section]), section).toEqual([]);
    expect(Object.values(manifest.macros).filter((m) => 'line' in (m as object))).toEqual([]);
    // Manifest v12's Documentation: every member it requires, in dbt's order.
    expect(Object.entries(manifest.docs['doc.test_project.mart_doc'])).toEqual([
      ['name', 'mart_doc'],
      ['resource_type', 'doc'],
      ['package_name', 'test_project'],
      ['path', 'docs.md'],
      ['original_file_path', 'models/docs.md'],
      ['unique_id', 'doc.test_project.mart_doc'],
      ['block_contents', 'The mart, documented.'],
    ]);
  });
});
