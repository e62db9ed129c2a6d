/**
 * A node's `docs` as dbt 1.10 keeps it: in the config, merged across
 * dbt_project.yml, the properties entry (whose top-level `docs:` moves into
 * its config) and config() in the file, both fields always present; the
 * node's own `docs` is its config's. Fivetran's integration projects hide
 * their seeds with `+docs: {show: false}`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

describe('docs config on nodes', () => {
  it('project, properties and config() docs reach config.docs and the node docs', async () => {
    const dir = makeProject({
      'dbt_project.yml': [
        'name: test_project', 'version: "1.0"', 'profile: test_profile', 'config-version: 2',
        'seeds:', '  +docs: {show: false}',
        'models:', '  +docs: {node_color: "#123456"}',
      ].join('\n'),
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: d.duckdb\n',
      'seeds/s.csv': 'id\n1\n',
      'models/plain.sql': 'select 1 as id',
      'models/hidden.sql': "{{ config(docs={'show': false}) }}select 1 as id",
      'models/colored.sql': 'select 1 as id',
      'models/m.yml': 'version: 2\nmodels:\n  - name: colored\n    docs:\n      node_color: red\n',
    });
    expect(await runCli(['parse', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const nodes = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).nodes;
    const docsOf = (id: string) => [nodes[id].docs, nodes[id].config.docs];
    expect(docsOf('seed.test_project.s')).toEqual([{ show: false, node_color: null }, { show: false, node_color: null }]);
    expect(docsOf('model.test_project.plain')).toEqual([{ show: true, node_color: '#123456' }, { show: true, node_color: '#123456' }]);
    expect(docsOf('model.test_project.hidden')).toEqual([{ show: false, node_color: '#123456' }, { show: false, node_color: '#123456' }]);
    expect(docsOf('model.test_project.colored')).toEqual([{ show: true, node_color: 'red' }, { show: true, node_color: 'red' }]);
  });
});
