import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

describe('tsdbt deps output', () => {
  it('warns once when the project declares no packages (dbt prints DepsNoPackagesFound once)', async () => {
    const dir = makeProject({ 'models/a.sql': 'select 1 as id' });
    const io = captureStreams();
    const code = await runCli(['deps', '--project-dir', dir], io.streams, {});
    const out = io.stdout.join('') + io.stderr.join('');
    expect(code).toBe(0);
    expect(out.match(/No packages were found/g)).toEqual(['No packages were found']);
  });
});
