import fc from 'fast-check';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';
import { fnmatch } from '../../../src/graph/fnmatch.js';
import type { SelectOptions } from '../../../src/graph/index.js';

/**
 * Selector-grammar fuzz behind tests/graph/selector-fuzz.test.ts and
 * bench/fuzz-selectors: arbitrary `--select`/`--exclude` strings built from
 * the grammar's own pieces (methods, graph operators, globs, commas, spaces)
 * plus noise. Selecting may warn or fail with a TsdbtError; it may never
 * throw a raw JavaScript error or take long.
 */

const methods = ['', '', '', 'tag:', 'path:', 'file:', 'package:', 'source:', 'exposure:', 'test_name:', 'config.materialized:', 'config.:', 'fqn:', 'resource_type:', 'test_type:', 'state:', 'version:', 'result:', 'bogus:', 'group:', 'access:'];
const atoms = ['stg_commits', 'staging', 'proj', 'marts', 'models/staging', 'models/**', '**', 'raw.commits', 'nightly', 'table', 'x.y.z.w', 'latest', 'generic', 'this', ''];
const glob = fc.string({ unit: fc.constantFrom('*', '?', '[', ']', '!', '-', 'a', 'z', 's', 't', 'g', '_', '.', '/', '\\', '^', '(', ')', '$', '\u00e9', '\ud83d\ude00'), maxLength: 12 });
const value = fc.oneof(fc.constantFrom(...atoms), glob, fc.tuple(fc.constantFrom(...atoms), glob).map(([a, g]) => a + g));
const criterion = fc
  .tuple(fc.constantFrom('', '', '', '+', '2+', '@', '@+', '1'), fc.constantFrom(...methods), value, fc.constantFrom('', '', '', '+', '+3', '+x', '@'))
  .map(([pre, m, v, post]) => `${pre}${m}${v}${post}`);
const term = fc.array(criterion, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(','));
const argument = fc.oneof({ weight: 8, arbitrary: fc.array(term, { minLength: 1, maxLength: 3 }).map((ts) => ts.join(' ')) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) });

export const selectOptions: fc.Arbitrary<SelectOptions> = fc.record(
  {
    select: fc.array(argument, { maxLength: 2 }),
    exclude: fc.array(argument, { maxLength: 2 }),
    indirectSelection: fc.constantFrom('eager', 'cautious', 'buildable', 'empty'),
  },
  { requiredKeys: ['select'] },
) as fc.Arbitrary<SelectOptions>;

/** Run `numRuns` selections; each must end in a result or a TsdbtError within `maxMs`. Returns the counts. */
export function fuzzSelectors(run: (opts: SelectOptions) => unknown, numRuns: number, seed: number, maxMs = 500): { ok: number; rejected: number } {
  let ok = 0;
  let rejected = 0;
  fc.assert(
    fc.property(selectOptions, (opts) => {
      const started = performance.now();
      try {
        run(opts);
        ok++;
      } catch (e) {
        if (!(e instanceof TsdbtError)) throw new Error(`raw ${(e as Error).name} for ${JSON.stringify(opts)}: ${(e as Error).message}`);
        if (/undefined|Cannot read|is not a function|Invalid regular/.test(e.message)) throw new Error(`JavaScript text in ${e.message}`);
        rejected++;
      }
      const ms = performance.now() - started;
      if (ms > maxMs) throw new Error(`selection took ${ms.toFixed(0)} ms for ${JSON.stringify(opts)}`);
    }),
    { numRuns, seed },
  );
  return { ok, rejected };
}

/** Python's fnmatch as a RegExp (the reference for short inputs; backtracks, so never for long ones). */
function referenceRegExp(pattern: string): RegExp | undefined {
  let out = '';
  const p = Array.from(pattern);
  for (let i = 0; i < p.length; ) {
    const c = p[i++]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i;
      if (p[j] === '!') j++;
      if (p[j] === ']') j++;
      while (j < p.length && p[j] !== ']') j++;
      if (j >= p.length) out += '\\[';
      else {
        let body = p.slice(i, j).join('');
        i = j + 1;
        const neg = body.startsWith('!');
        if (neg) body = body.slice(1);
        out += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, (ch) => `\\${ch}`)}]`;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/-]/g, (ch) => `\\${ch}`);
  }
  try {
    return new RegExp(`^${out}$`, 'su');
  } catch {
    return undefined; // a backwards range: fnmatch rejects it too
  }
}

/** fnmatch agrees with the reference RegExp on short names and patterns. */
export function fuzzFnmatch(numRuns: number, seed: number): number {
  const unit = fc.constantFrom('a', 'b', '*', '?', '[', ']', '!', '-', '/', '.', '\u00e9', '\ud83d\ude00');
  let compared = 0;
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', '-', '!', ']', '\u00e9', '\ud83d\ude00'), maxLength: 8 }), (pattern, name) => {
      const re = referenceRegExp(pattern);
      if (!re) return;
      compared++;
      const want = re.test(name);
      if (fnmatch(name, pattern) !== want) throw new Error(`fnmatch(${JSON.stringify(name)}, ${JSON.stringify(pattern)}) should be ${want}`);
    }),
    { numRuns, seed },
  );
  return compared;
}
