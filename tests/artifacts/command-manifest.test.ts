import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { makeProject, type TestProject } from '../execute/harness.js';

// dbt writes target/manifest.json for every command that loads the manifest (cli/requires.py
// `manifest`, write=True by default): run-operation, show and source freshness too, before the
// command runs, so with the parse's nodes (no compiled members).

async function cli(p: TestProject, args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, {}, p.dir);
  return { code, out: out.join('\n') };
}

const manifestPath = (p: TestProject) => join(p.dir, 'target', 'manifest.json');
const manifest = (p: TestProject) => JSON.parse(readFileSync(manifestPath(p), 'utf8')) as { metadata: { invocation_id: string }; nodes: Record<string, Record<string, unknown>> };
const withoutMetadata = (m: ReturnType<typeof manifest>) => ({ ...m, metadata: { ...m.metadata, invocation_id: '-', generated_at: '-' } });

const FILES = {
  'models/a.sql': 'select 1 as id\n',
  'models/b.sql': "select * from {{ ref('a') }}\n",
  'macros/hello.sql': "{% macro hello() %}{{ log('hello', info=True) }}{% endmacro %}\n",
};

describe('manifest.json from commands that compile no node', () => {
  for (const fast of [true, false]) {
    it(`run-operation and show write it as parse does, before they run (fast paths ${fast ? 'on' : 'off'})`, async () => {
      const p = makeProject(FILES);
      const was = setFastPaths(fast);
      try {
        expect((await cli(p, ['parse'])).code).toBe(0);
        const parsed = manifest(p);
        rmSync(manifestPath(p));
        expect((await cli(p, ['run-operation', 'hello'])).code).toBe(0);
        const afterOp = manifest(p);
        expect(withoutMetadata(afterOp)).toEqual(withoutMetadata(parsed));
        expect(afterOp.metadata.invocation_id).not.toBe(parsed.metadata.invocation_id);
        // A compile leaves compiled members in manifest.json; show's is the parse's again, as dbt's.
        expect((await cli(p, ['compile'])).code).toBe(0);
        expect(manifest(p).nodes['model.proj.b']!.compiled_code).toBe('select * from "dev"."main"."a"');
        const shown = await cli(p, ['show', '--select', 'a']);
        expect(shown.code).toBe(0);
        expect(shown.out).toContain('| id |');
        const afterShow = manifest(p);
        expect(withoutMetadata(afterShow)).toEqual(withoutMetadata(parsed));
        expect(afterShow.nodes['model.proj.b']).not.toHaveProperty('compiled_code');
      } finally {
        setFastPaths(was);
      }
    });
  }

  it("after parse, only its generated_at and invocation_id are rewritten in place (the same file)", async () => {
    const p = makeProject(FILES);
    expect((await cli(p, ['parse'])).code).toBe(0);
    const before = statSync(manifestPath(p), { bigint: true });
    const parsed = manifest(p);
    expect((await cli(p, ['show', '--inline', 'select 2 as two'])).code).toBe(0);
    const after = statSync(manifestPath(p), { bigint: true });
    expect(after.ino).toBe(before.ino);
    expect(after.size).toBe(before.size);
    const shown = manifest(p);
    expect(shown.metadata.invocation_id).not.toBe(parsed.metadata.invocation_id);
    expect(withoutMetadata(shown)).toEqual(withoutMetadata(parsed));
  });
});
