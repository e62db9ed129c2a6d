import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams } from '../support/project-fixture.js';
import { cleanupTempDirs, makeProject, packageFiles, writeFiles } from './deps-fixtures.js';

afterEach(cleanupTempDirs);

describe('tsdbt deps output', () => {
  it('reports each installed package once, as dbt does', async () => {
    const project = makeProject({ 'packages.yml': 'packages:\n  - local: ../shared/utils_pkg\n' });
    writeFiles(path.join(project, '../shared/utils_pkg'), packageFiles('my_utils'));
    const io = captureStreams();
    expect(await runCli(['deps', '--project-dir', project], io.streams, {})).toBe(0);
    const lines = io.stdout.join('').split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d\s+/, ''));
    expect(lines.filter((l) => l.includes('my_utils'))).toEqual(['Installed my_utils from <local @ ../shared/utils_pkg>']);
  });
});
