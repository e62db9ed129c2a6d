import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

/**
 * dbt 1.10 warns about a YAML file's duplicate keys when it reads the file
 * (DuplicateYAMLKeysDeprecation); partial parsing does not read the files
 * that did not change, so the warning comes with a full parse or a change
 * to that file, not on every command.
 */
const SCHEMA = 'version: 2\nmodels:\n  - name: a\n    description: x\n    description: y\n';
const DUP = "models/schema.yml:5: duplicate key 'description' in a mapping (first at line 4); the last value is used.";

async function warningsOf(args: string[], dir: string): Promise<number> {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir], io.streams, {});
  expect(code).toBe(0);
  const text = io.stdout.join('') + io.stderr.join('');
  return text.split(DUP).length - 1;
}

describe('duplicate-key YAML warnings and the parse cache', () => {
  it('are printed by a full parse and by a parse that re-reads the file, not when the cache is reused', async () => {
    const dir = makeProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': 'select 2 as id', 'models/schema.yml': SCHEMA });
    expect(await warningsOf(['parse'], dir)).toBe(1); // no cache yet: dbt's full parse
    expect(await warningsOf(['parse'], dir)).toBe(0); // nothing changed
    expect(await warningsOf(['ls'], dir)).toBe(0);
    expect(await warningsOf(['compile'], dir)).toBe(0);
    writeFileSync(join(dir, 'models/b.sql'), 'select 3 as id');
    expect(await warningsOf(['parse'], dir)).toBe(0); // a model changed: the YAML is not read again
    writeFileSync(join(dir, 'models/c.sql'), 'select 4 as id');
    expect(await warningsOf(['parse'], dir)).toBe(0); // a file added (tsdbt parses fully, dbt partially)
    writeFileSync(join(dir, 'models/schema.yml'), `${SCHEMA}  - name: b\n`);
    expect(await warningsOf(['parse'], dir)).toBe(1); // the file itself changed
    expect(await warningsOf(['parse', '--no-partial-parse'], dir)).toBe(1);
    expect(await warningsOf(['parse'], dir)).toBe(0);
  });
});
