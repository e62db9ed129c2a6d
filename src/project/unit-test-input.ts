import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';

/** What a unit test's `given:` input names: `ref('m')`, `ref('pkg', 'm')`, `ref('m', v=2)`, `source('s', 't')` or `this`. */
export type InputTarget = { kind: 'ref'; name: string; package: string | null; version: string | null } | { kind: 'source'; source: string; table: string } | { kind: 'this' };

const REF = /^\s*ref\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?(?:,\s*(?:v|version)\s*=\s*['"]?([^'")\s]+)['"]?\s*)?\)\s*$/;
const SOURCE = /^\s*source\(\s*(['"])([^'"]+)\1\s*,\s*(['"])([^'"]+)\3\s*\)\s*$/;

/** The target `input` names, or undefined when it is none of those forms. */
export function inputTarget(input: string): InputTarget | undefined {
  if (input.trim() === 'this') return { kind: 'this' };
  const r = REF.exec(input);
  if (r) return r[4] ? { kind: 'ref', package: r[2]!, name: r[4], version: r[5] ?? null } : { kind: 'ref', package: null, name: r[2]!, version: r[5] ?? null };
  const s = SOURCE.exec(input);
  if (s) return { kind: 'source', source: s[2]!, table: s[4]! };
  return undefined;
}

/** inputTarget, or the error of unit test `unitTest` naming something else. */
export function parseInputTarget(input: string, unitTest: CompiledNode): InputTarget {
  const target = inputTarget(input);
  if (target) return target;
  throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${unitTest.name}' has a given input '${input}' that is not a ref, source or this`, {
    file: unitTest.original_file_path,
    hint: "Write the input as `ref('model_name')`, `source('source_name', 'table_name')` or `this`.",
  });
}
