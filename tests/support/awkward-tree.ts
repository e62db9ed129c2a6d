import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Two project roots for file-walk tests: `a` has a nested folder, hidden
 * entries, a link to a file, a link to a folder, a dangling link, a fifo and a
 * link to that fifo; `b` has one model. File i of `files` (relative to `a`)
 * holds `sizeOf(i)` bytes; `b/models/p.sql` holds one.
 */
export function awkwardTree(prefix: string, sizeOf: (i: number) => number): { a: string; b: string; files: string[] } {
  const a = mkdtempSync(join(tmpdir(), `${prefix}-a-`));
  const b = mkdtempSync(join(tmpdir(), `${prefix}-b-`));
  for (const d of ['models/sub/deeper', 'models/.hidden', 'macros', 'elsewhere']) mkdirSync(join(a, d), { recursive: true });
  const files = ['dbt_project.yml', 'models/m1.sql', 'models/sub/m2.sql', 'models/sub/deeper/m3.sql', 'models/.hidden/x.sql', 'models/.dot.sql', 'macros/m.sql', 'elsewhere/target.sql'];
  files.forEach((f, i) => writeFileSync(join(a, f), 'x'.repeat(sizeOf(i))));
  symlinkSync(join(a, 'elsewhere/target.sql'), join(a, 'models/link_file.sql'));
  symlinkSync(join(a, 'elsewhere'), join(a, 'models/link_dir'));
  symlinkSync(join(a, 'nothing_here.sql'), join(a, 'models/dangling.sql'));
  execFileSync('mkfifo', [join(a, 'models/a_fifo')]);
  symlinkSync(join(a, 'models/a_fifo'), join(a, 'macros/link_fifo'));
  mkdirSync(join(b, 'models'));
  writeFileSync(join(b, 'models/p.sql'), 'p');
  return { a, b, files };
}
