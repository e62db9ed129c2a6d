/**
 * flags.PROFILES_DIR, LOG_PATH and TARGET_PATH as dbt 1.10 fills them
 * (cli/params.py, cli/flags.py): the profiles folder as given or where
 * profiles.yml was found; the log folder resolved (default: the project's
 * logs/); the target path only when given (dbt's flag has no default).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { makeProject } from './harness.js';

const MODEL = `{{ config(materialized='table') }}
select '{{ flags.PROFILES_DIR }}' as profiles_dir, '{{ flags.LOG_PATH }}' as log_path, '{{ flags.TARGET_PATH }}' as target_path,
  '{{ invocation_args_dict.profiles_dir }}' as args_profiles_dir`;

describe('path flags', () => {
  it('given: as given (log path resolved); the same at parse time (the alias)', async () => {
    const p = makeProject({ 'models/paths.sql': MODEL.replace("materialized='table'", "materialized='table', alias='paths_' ~ flags.TARGET_PATH") });
    await run({ ...p.opts, profilesDir: p.dir, logPath: 'mylogs', targetPath: 'out' } as never);
    expect(await p.query('select * from main.paths_out')).toEqual([
      { profiles_dir: p.dir, log_path: join(p.dir, 'mylogs'), target_path: 'out', args_profiles_dir: p.dir },
    ]);
  });

  it("not given: where profiles.yml was found, the project's logs/, and None for the target path", async () => {
    const p = makeProject({ 'models/paths.sql': MODEL });
    await run({ projectDir: p.dir, env: { HOME: '/nonexistent' } } as never);
    expect(await p.query('select * from main.paths')).toEqual([
      { profiles_dir: p.dir, log_path: join(p.dir, 'logs'), target_path: 'None', args_profiles_dir: p.dir },
    ]);
  });
});
