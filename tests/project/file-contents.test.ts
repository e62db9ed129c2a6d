import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { pyStrip } from '../../src/util/py-strip.js';
import { makeProject } from '../support/project-fixture.js';

const parse = (dir: string) => parseLoaded(loadProject({ projectDir: dir, env: {} }));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('node files are read as dbt reads them: contents stripped', () => {
  it('raw_code and checksum of models, analyses, singular tests come from the stripped file; snapshots hash their file; seeds their stripped CSV', () => {
    const snapshotFile = "\n\n{% snapshot snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n\n";
    const dir = makeProject({
      'models/m.sql': '\n\n  select 1 as id  \n\n',
      'analyses/a.sql': '\t select 2\n',
      'tests/t.sql': '\nselect 1 where false\n',
      'snapshots/s.sql': snapshotFile,
      'seeds/sd.csv': 'id\n1\n\n',
    });
    const { manifest } = parse(dir);
    const m = manifest.nodes['model.test_project.m']!;
    expect(m.raw_code).toBe('select 1 as id');
    expect(m.checksum).toEqual({ name: 'sha256', checksum: sha('select 1 as id') });
    expect(manifest.nodes['analysis.test_project.a']!.raw_code).toBe('select 2');
    expect(manifest.nodes['test.test_project.t']!.raw_code).toBe('select 1 where false');
    expect(manifest.nodes['snapshot.test_project.snap']!.checksum).toEqual({ name: 'sha256', checksum: sha(snapshotFile.trim()) });
    expect(manifest.nodes['seed.test_project.sd']!.checksum).toEqual({ name: 'sha256', checksum: sha('id\n1') });
  });

  it('errors keep the line numbers of the file on disk', () => {
    const dir = makeProject({ 'models/m.sql': "\n\n\nselect 1\n{{ ref('nope') }}\n" });
    let err: unknown;
    try {
      parse(dir);
    } catch (e) {
      err = e;
    }
    expect((err as { format(): string }).format()).toContain('models/m.sql:5');
  });

  it('pyStrip strips what Python str.strip() strips (not a byte-order mark)', () => {
    expect(pyStrip('\x1c\x85 a b \u3000\n')).toEqual({ text: 'a b', leadingLines: 0 });
    expect(pyStrip('\n\r\n\t x\n')).toEqual({ text: 'x', leadingLines: 2 });
    expect(pyStrip('\uFEFFx ').text).toBe('\uFEFFx');
  });
});
