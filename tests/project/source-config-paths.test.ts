import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

// dbt applies dbt_project.yml's `sources:` along the source's fqn, [project, <folders of its properties file>,
// source, table] (schemas.py add_source_definitions), and keeps a disabled source in manifest.disabled.
// dbt-external-tables' integration tests enable each adapter's folder of sources for that adapter only.
describe("dbt_project.yml's sources: config", () => {
  it('matches the folders of the properties file, and a disabled source is in manifest.disabled', async () => {
    const source = (name: string) => `sources:\n  - name: ${name}\n    schema: raw\n    tables:\n      - name: people\n`;
    const dir = makeProject({
      'dbt_project.yml': [
        'name: ext', 'profile: test_profile', 'config-version: 2',
        'sources:', '  ext:',
        '    plugins:',
        `      redshift:\n        +enabled: "{{ target.type == 'redshift' }}"`,
        `      duckdb:\n        +enabled: "{{ target.type == 'duckdb' }}"`,
        // Not a path of either file's sources: [ext, plugins, ...] never has the source name second.
        '    top_level_name:', '      +enabled: false',
      ].join('\n'),
      'models/plugins/redshift/redshift_external.yml': source('redshift_external'),
      'models/plugins/duckdb/duckdb_external.yml': source('duckdb_external'),
      'models/plugins/duckdb/more.yml': source('top_level_name'),
    }, 'ext');
    const io = captureStreams();
    expect(await runCli(['parse', '--project-dir', dir], io.streams, {})).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.sources).sort()).toEqual(['source.ext.duckdb_external.people', 'source.ext.top_level_name.people']);
    const [off] = manifest.disabled['source.ext.redshift_external.people'];
    expect({ enabled: off.config.enabled, fqn: off.fqn, relation_name: off.relation_name }).toEqual({
      enabled: false, fqn: ['ext', 'plugins', 'redshift', 'redshift_external', 'people'], relation_name: '"memory"."raw"."people"',
    });
    expect(io.stdout.join('')).toMatch(/Found 2 sources, \d+ macros/);
  });
});

describe('a test on a disabled source', () => {
  it("is disabled with dbt's InvalidDisabledTargetInTestNode warning", async () => {
    const dir = makeProject({
      'dbt_project.yml': 'name: ext\nprofile: test_profile\nconfig-version: 2\nsources:\n  ext:\n    plugins:\n      +enabled: false\n',
      'models/plugins/ext.yml': 'sources:\n  - name: raw\n    tables:\n      - name: people\n        columns:\n          - name: id\n            data_tests: [not_null]\n',
    }, 'ext');
    const io = captureStreams();
    expect(await runCli(['parse', '--project-dir', dir], io.streams, {})).toBe(0);
    const out = io.stdout.join('') + io.stderr.join('');
    expect(out).toMatch(/\[WARNING\]: Test 'test\.ext\.source_not_null_raw_people_id\.[0-9a-f]{10}' \(models\/plugins\/ext\.yml\) depends on a source named 'raw\.people' which is disabled\n/);
    expect(out).not.toContain('which was not found');
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.disabled).sort()).toEqual([expect.stringMatching(/^source\.ext\.raw\.people$/), expect.stringMatching(/^test\.ext\.source_not_null_raw_people_id\./)]);
  });
});
