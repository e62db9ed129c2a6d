/**
 * Python's str.maketrans and str.translate: the translation table is a dict
 * of code points (ints) to a code point, a str or None (deleted).
 * dbt_activity_schema strips punctuation so:
 * `s.translate(s.maketrans("", "", punc))`.
 */
import { pyError } from './errors.js';
import { PyDictMap } from './py-dict-map.js';
import { isDict, pyTypeName, strText as text } from './types.js';

/** str.maketrans(x[, y[, z]]): a dict from one dict argument, or from two strs of equal length (and a third whose characters map to None). */
export function maketrans(args: unknown[]): PyDictMap {
  const [x, y, z] = args;
  const table = new PyDictMap();
  if (args.length === 1) {
    const entries = x instanceof PyDictMap ? [...x.entries()] : isDict(x) ? Object.entries(x) : undefined;
    if (!entries) throw pyError('TypeError', 'if you give only one argument to maketrans it must be a dict');
    for (const [k, v] of entries) {
      const key = typeof k === 'number' && Number.isInteger(k) ? k : text(k);
      if (typeof key === 'number') table.set(key, v);
      else if (key !== undefined && [...key].length === 1) table.set(key.codePointAt(0)!, v);
      else if (key !== undefined) throw pyError('ValueError', 'string keys in translate table must be of length 1');
      else throw pyError('TypeError', 'keys in translate table must be strings or integers');
    }
    return table;
  }
  const from = text(x);
  const to = text(y);
  if (from === undefined || to === undefined) throw pyError('TypeError', `maketrans() argument must be str, not ${pyTypeName(from === undefined ? x : y)}`);
  const a = [...from];
  const b = [...to];
  if (a.length !== b.length) throw pyError('ValueError', 'the first two maketrans arguments must have equal length');
  a.forEach((ch, i) => table.set(ch.codePointAt(0)!, b[i]!.codePointAt(0)!));
  if (args.length > 2) {
    const drop = text(z);
    if (drop === undefined) throw pyError('TypeError', `maketrans() argument 3 must be str, not ${pyTypeName(z)}`);
    for (const ch of drop) table.set(ch.codePointAt(0)!, null);
  }
  return table;
}

/** s.translate(table): each character looked up by its code point; a miss keeps it, None drops it, an int or a str replaces it. */
export function translate(s: string, table: unknown): string {
  const lookup = (code: number): { found: boolean; value?: unknown } => {
    if (table instanceof PyDictMap) return table.has(code) ? { found: true, value: table.get(code) } : { found: false };
    if (isDict(table)) return Object.hasOwn(table, String(code)) ? { found: true, value: table[String(code)] } : { found: false };
    if (Array.isArray(table)) return code < table.length ? { found: true, value: table[code] } : { found: false };
    throw pyError('TypeError', `'${pyTypeName(table)}' object is not subscriptable`);
  };
  let out = '';
  for (const ch of s) {
    const hit = lookup(ch.codePointAt(0)!);
    if (!hit.found) out += ch;
    else if (hit.value === null || hit.value === undefined) continue;
    else if (typeof hit.value === 'number' && Number.isInteger(hit.value)) out += String.fromCodePoint(hit.value);
    else if (text(hit.value) !== undefined) out += text(hit.value);
    else throw pyError('TypeError', 'character mapping must return integer, None or str');
  }
  return out;
}
