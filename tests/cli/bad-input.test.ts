import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

async function parse(files: Record<string, string>, extra: string[] = [], env: Record<string, string> = {}) {
  const dir = makeProject(files);
  const io = captureStreams();
  const code = await runCli(['parse', '--project-dir', dir, ...extra], io.streams, env);
  return { code, err: io.stderr.join(''), dir };
}

describe('bad input: exit 2, the file and line, the fix, and no manifest', () => {
  it('reports every broken file of a run at once', async () => {
    const r = await parse({
      'models/a.sql': 'select 1\n{% if x %}\n',
      'models/b.sql': "select * from {{ source('raw', 'evnts') }}",
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables: [{name: events}]\n',
      'models/broken.yml': 'models:\n  - name: a\n   bad: [\n',
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('Encountered 3 errors:');
    expect(r.err).toMatch(/\[JINJA_SYNTAX\] models\/a\.sql:\d+: /);
    expect(r.err).toContain("[SOURCE_NOT_FOUND] models/b.sql:1: source('raw', 'evnts') in 'b' matches no source table.\n    Did you mean source('raw', 'events')?");
    expect(r.err).toContain('[YAML_SYNTAX] models/broken.yml:3: Invalid YAML');
    expect(existsSync(join(r.dir, 'target/manifest.json'))).toBe(false);
  });

  it('names both files of a duplicate model', async () => {
    const r = await parse({ 'models/x/dup.sql': 'select 1', 'models/y/dup.sql': 'select 2' });
    expect(r.code).toBe(2);
    expect(r.err).toContain("[DUPLICATE_NODE] models/y/dup.sql:1: Two models are named 'dup': models/x/dup.sql and models/y/dup.sql");
  });

  it('names an unknown macro with its file and line when the model compiles (dbt: its parse lets the call through)', async () => {
    const r = await parse({ 'models/m.sql': 'select 1\n, {{ not_a_macro(1) }}' });
    expect(r.code).toBe(0);
    const io = captureStreams();
    expect(await runCli(['compile', '--project-dir', r.dir], io.streams, {})).not.toBe(0);
    expect(io.stderr.join('') + io.stdout.join('')).toMatch(/models\/m\.sql:2: 'not_a_macro' is undefined/);
  });

  it('names a missing profile, a missing target and a missing env var', async () => {
    const noProfile = await parse({ 'dbt_project.yml': 'name: p\nprofile: nope\n' });
    expect(noProfile.code).toBe(2);
    expect(noProfile.err).toContain("[PROFILE_NOT_FOUND] profiles.yml: Profile 'nope' not found in profiles.yml");
    const noTarget = await parse({}, ['--target', 'prod']);
    expect(noTarget.err).toContain("[TARGET_NOT_FOUND] profiles.yml:3: Target 'prod' not found in profile 'test_profile'\n  Valid targets: dev.");
    const noEnv = await parse({ 'models/m.sql': "select '{{ env_var(\"MISSING_X\") }}'" });
    expect(noEnv.err).toContain("[ENV_VAR_MISSING] models/m.sql:1: Env var required but not provided: 'MISSING_X'");
  });

  it('rejects unparseable --vars', async () => {
    const r = await parse({}, ['--vars', '{a: [']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('[USAGE] --vars is not valid YAML or JSON');
  });
});
