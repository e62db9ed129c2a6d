/**
 * Analyses as dbt 1.10 parses them: configured from dbt_project.yml's
 * `models:` block, matched on their fqn (`<package>, analysis, <folders>,
 * <name>`), an `analyses:` block ignored; their manifest path starts with
 * `analysis/`, and they compile to target/compiled/<package>/analyses/...
 * (dbt_recharge's `models: recharge: +materialized: table` reaches its
 * churn analysis).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

describe('analysis configs', () => {
  it('come from models:, not analyses:', async () => {
    const dir = makeProject({
      'dbt_project.yml': [
        'name: test_project', 'version: "1.0"', 'profile: test_profile', 'config-version: 2',
        'models:', '  test_project:', '    +materialized: table', '    +tags: [from_models]', '    staging:', '      +tags: [staging_only]',
        'analyses:', '  +tags: [from_analyses]',
      ].join('\n'),
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: d.duckdb\n',
      'models/m.sql': 'select 1 as id',
      'analyses/sub/churn.sql': "select * from {{ ref('m') }}",
    });
    expect(await runCli(['compile', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const node = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).nodes['analysis.test_project.churn'];
    expect([node.fqn, node.path, node.original_file_path]).toEqual([['test_project', 'analysis', 'sub', 'churn'], 'analysis/sub/churn.sql', 'analyses/sub/churn.sql']);
    expect([node.config.materialized, node.tags, node.unrendered_config]).toEqual(['table', ['from_models'], { materialized: 'table', tags: ['from_models'] }]);
    expect(existsSync(join(dir, 'target/compiled/test_project/analyses/sub/churn.sql'))).toBe(true);
  });
});
