import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compiledManifestCopies } from '../../src/api/compiled-manifest.js';
import { cacheSpliceCount } from '../../src/api/parse-splice.js';
import { mappedReadCounts } from '../../src/api/mapped-cache-body.js';
import { runCli } from '../../src/cli/main.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { blankedCreatedAt } from './blanked-artifact.js';
import { filesUnder } from './files-under.js';
import { captureStreams, makeProject, MEMORY_PROFILE } from './project-fixture.js';
// @ts-expect-error: the bench's project generators are plain ES modules without types.
import { generateProject } from '../../bench/generate-project.mjs';

/**
 * Command sequences run with the fast paths on and off (the differential
 * tests of reading the parse cache as used, copying manifests from it and
 * splicing edits into it).
 */

export async function cli(dir: string, args: string[]) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
  return { code, out: io.stdout.join('') + io.stderr.join('') };
}

/** target/ file with generated_at, invocation_id, timings and unit tests' created_at blanked (the only bytes that may differ). */
export function artifact(dir: string, file: string): string | null {
  if (!existsSync(join(dir, 'target', file))) return null;
  return blankedCreatedAt(readFileSync(join(dir, 'target', file), 'utf8'))
    .replace(/"generated_at": ?"[^"]*"/g, '"generated_at":"-"')
    .replace(/"invocation_id": ?"[^"]*"/g, '"invocation_id":"-"')
    .replace(/"(started_at|completed_at)": "[^"]*"/g, '"$1": "-"')
    .replace(/"(execution_time|elapsed_time)": [0-9.e-]+/g, '"$1": 0')
    .replace(/"thread_id": "[^"]*"/g, '"thread_id": "-"');
}

/** Every file under target/compiled, by path. */
function compiledFiles(dir: string): Record<string, string> {
  return filesUnder(join(dir, 'target', 'compiled'), dir);
}

/**
 * `steps` from a fresh target/ (and a fresh database file), with the fast paths on and off: exit codes, console
 * output, manifest.json, run_results.json and target/compiled's files after the last step, and, fast, how many bodies and nodes were read
 * from the parse cache as used and how many manifests were copied.
 */
export async function bothWays(dir: string, steps: (string[] | (() => void))[]) {
  const runs = [];
  for (const on of [true, false]) {
    rmSync(join(dir, 'target'), { recursive: true, force: true });
    rmSync(join(dir, 'bench.duckdb'), { force: true });
    setFastPaths(on);
    const codes: number[] = [];
    let out = '';
    let read = mappedReadCounts();
    let copies = compiledManifestCopies();
    let splices = cacheSpliceCount();
    for (const [i, step] of steps.entries()) {
      if (i === steps.length - 1) {
        read = mappedReadCounts();
        copies = compiledManifestCopies();
        splices = cacheSpliceCount();
      }
      if (typeof step === 'function') {
        step();
        continue;
      }
      const r = await cli(dir, step);
      codes.push(r.code);
      out = r.out.replace(/\d+\.\d+ seconds/g, 'N seconds').replace(/\d+\.\d+s/g, 'Ns').replace(/\d{2}:\d{2}:\d{2}/g, 'T').replace(/ in \d+(\.\d+)? ?m?s/g, ' in N');
    }
    const after = mappedReadCounts();
    runs.push({
      codes,
      out,
      manifest: artifact(dir, 'manifest.json'),
      runResults: artifact(dir, 'run_results.json'),
      compiled: compiledFiles(dir),
      lazily: { bodies: after.bodies - read.bodies, nodes: after.nodes - read.nodes },
      copied: compiledManifestCopies() - copies,
      spliced: cacheSpliceCount() - splices,
    });
  }
  setFastPaths(true);
  return { fast: runs[0]!, plain: runs[1]! };
}

export const fileProfile = (dir: string) => writeFileSync(join(dir, 'profiles.yml'), MEMORY_PROFILE.replace('test_profile', 'bench').replace(':memory:', join(dir, 'bench.duckdb')));

/** A new project of `models` generated models (the scale bench's shape, 3 tests a model) with a DuckDB file profile. */
export function generatedProject(models: number): string {
  const dir = makeProject({});
  generateProject(dir, models);
  fileProfile(dir);
  return dir;
}
