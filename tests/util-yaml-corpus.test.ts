import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBlockYaml } from '../src/util/yaml-block.js';
import { yamlDisagreement } from './support/fuzz/yaml-differential.js';

/**
 * Every YAML file of the real dbt projects checked out under EXT_DIR
 * (default /work/ext; absent on CI, where this skips): the fast reader's
 * result is composeWithYaml's, or it declines.
 */
const extDir = process.env.EXT_DIR ?? '/work/ext';

function* yamlFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'target') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* yamlFiles(p);
    else if (/\.ya?ml$/.test(e.name)) yield p;
  }
}

describe.skipIf(!existsSync(extDir))('the fast YAML reader on the real projects under EXT_DIR', () => {
  it('agrees with yaml on every file it reads, and reads most of them', () => {
    const files = [...yamlFiles(extDir)];
    const declined = new Map<string, string>();
    const wrong: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const why = yamlDisagreement(text);
      if (why) wrong.push(`${f}: ${why.slice(0, 2000)}`);
      parseBlockYaml(text, (reason) => declined.set(f, reason));
    }
    expect(wrong).toEqual([]);
    const reasons = [...declined].map(([f, r]) => `${r}: ${f}`).sort();
    console.log(`${files.length} files, ${files.length - declined.size} read by the fast reader; declined:\n${reasons.join('\n')}`);
    expect(declined.size).toBeLessThan(files.length / 10);
  }, 300_000);
});
