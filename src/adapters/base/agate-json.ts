import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PyDictMap, pyError, pyStr, pyToJson } from '../../jinja/python/index.js';
import { AgateDataType } from './agate-types.js';

/**
 * agate's Table.to_json(path, key=None, newline=False, indent=None), which
 * dbt's query results have (re_data writes its overview so): each row a
 * dict of the column names to each value as its column's type jsonifies it
 * (a Number a float, a date ISO text), written as Python's json.dump writes
 * with ensure_ascii off. With `key`, one dict keyed by that column's values;
 * with `newline`, a line of JSON per row.
 */
export interface AgateJsonTable {
  readonly column_names: readonly string[];
  readonly column_types: readonly unknown[];
  readonly cells: readonly (readonly unknown[])[];
}

/** Where a relative path is written from: the project folder (dbt moves there before a command runs). */
let fileBase: string | undefined;

/** The folder relative paths given to `to_json` are taken from (the project's; the process's when none is set). */
export function setAgateFileBase(dir: string | undefined): void {
  fileBase = dir;
}

export function writeTableJson(table: AgateJsonTable, path: unknown, opts: { key?: unknown; newline?: unknown; indent?: unknown }): void {
  if (typeof path !== 'string') throw pyError('TypeError', `to_json() takes a path as str, not ${pyStr(path)}`);
  const { key, newline, indent } = opts;
  const names = table.column_names;
  const keyAt = key === null || key === undefined ? -1 : names.indexOf(String(key));
  if (key !== null && key !== undefined && keyAt < 0) throw pyError('KeyError', `Column ${pyStr(key)} does not exist.`);
  if (newline && indent !== null && indent !== undefined) throw pyError('ValueError', 'newline and indent may not be specified together.');
  const types = table.column_types.map((t) => (t instanceof AgateDataType ? t : undefined));
  const rowDict = (row: readonly unknown[]) => new PyDictMap(names.map((n, i) => [n, types[i] ? types[i].jsonify(row[i]) : row[i]] as const));
  const dump = (data: unknown) => asciiOff(pyToJson(data, indent as number | string | null | undefined));
  let text: string;
  if (keyAt >= 0) {
    const out = new PyDictMap();
    for (const row of table.cells) {
      const k = row[keyAt];
      if (out.has(k)) throw pyError('ValueError', `Value ${pyStr(k)} is not unique in the key column.`);
      out.set(k, rowDict(row));
    }
    text = dump(out);
  } else if (newline) text = table.cells.map((row) => `${dump(rowDict(row))}\n`).join('');
  else text = dump(table.cells.map(rowDict));
  const target = resolve(fileBase ?? process.cwd(), path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}

/** json.dumps's text with ensure_ascii=False: the \uXXXX escapes of characters past ASCII written as the characters (control characters stay escaped). */
function asciiOff(json: string): string {
  return json.replace(/\\(\\|u([0-9a-f]{4}))/g, (all, _esc: string, hex: string | undefined) => (hex !== undefined && parseInt(hex, 16) >= 0x7f ? String.fromCharCode(parseInt(hex, 16)) : all));
}
