import { hexDigest } from '../util/digest.js';
import { plainCopy } from '../util/plain-copy.js';
import type { TestMetadata } from '../manifest/types.js';
import type { TestDecl } from './properties.js';
import { pyReprString, pyStr } from './py-repr.js';
import { sortStrings } from './sort-strings.js';

const md5 = (s: string) => hexDigest('md5', s);

/** A generic test's two names, as dbt synthesises them. */
export interface GenericTestNames {
  /** The node's name, fqn and unique id part: `accepted_values_orders_status__placed__shipped`. */
  full: string;
  /**
   * The compiled file's name and the default alias (the store_failures
   * table): the full name when under 64 characters, else its first 30
   * identifying characters, `_`, and the md5 of the full name.
   */
  short: string;
}

/**
 * dbt's names for a generic test: `<test>_<target>_<args>`, where `<test>`
 * is prefixed `source_` on sources and `<namespace>_` when namespaced
 * (`dbt_utils_source_accepted_range`), `<target>` is the model (`m_v2` for
 * a version) or `<source>_<table>`, and `<args>` is every argument but
 * `model`, sorted by name, each flattened (list items, mapping values),
 * `str()`-ed as Python would, non-word runs replaced by `_`, joined by `__`.
 * A custom `name:` is used as is for both.
 */
export function genericTestNames(decl: TestDecl, args: Record<string, unknown> = testArgs(decl)): GenericTestNames {
  if (decl.customName) return { full: decl.customName, short: decl.customName };
  const [namespace, name] = splitTestName(decl.testName);
  let testType = decl.target.kind === 'source' ? `source_${name}` : name;
  if (namespace) testType = `${namespace}_${testType}`;
  let targetName = decl.target.kind === 'source' ? `${decl.target.sourceName}_${decl.target.name}` : decl.target.name;
  if (decl.target.kind === 'model' && decl.target.version !== undefined && decl.target.version !== null) targetName = `${targetName}_v${decl.target.version}`;
  const flat: string[] = [];
  for (const key of sortStrings(Object.keys(args))) {
    if (key === 'model') continue;
    const v = args[key];
    const parts = Array.isArray(v) ? v : v !== null && typeof v === 'object' ? Object.values(v) : [v];
    for (const p of parts) flat.push(pyStr(p).replace(/[^0-9a-zA-Z_]+/g, '_'));
  }
  const identifier = `${testType}_${targetName}`;
  const full = `${identifier}_${flat.join('__')}`;
  const short = full.length >= 64 ? `${identifier.slice(0, 30)}_${md5(full)}` : full;
  return { full, short };
}

/** `dbt_utils.accepted_range` → ['dbt_utils', 'accepted_range']; `unique` → [null, 'unique']. */
export function splitTestName(testName: string): [string | null, string] {
  const dot = testName.indexOf('.');
  return dot < 0 ? [null, testName] : [testName.slice(0, dot), testName.slice(dot + 1)];
}

/** The arguments the test macro receives (column_name included; `model` is added by the node). */
export function testArgs(decl: TestDecl): Record<string, unknown> {
  const args: Record<string, unknown> = plainCopy(decl.args);
  if (decl.columnName !== null) args.column_name = decl.columnName;
  return args;
}

/** `get_where_subquery(ref('m'))` as dbt writes it in the test's `model` argument. */
export function modelArgument(decl: TestDecl): string {
  const t = decl.target;
  let target: string;
  if (t.kind === 'source') target = `source('${t.sourceName}', '${t.name}')`;
  else if (t.kind === 'model' && t.version !== undefined && t.version !== null) target = `ref('${t.name}', version='${t.version}')`;
  else target = `ref('${t.name}')`;
  return `{{ get_where_subquery(${target}) }}`;
}

/**
 * The last 10 hex digits of md5(name + repr(metadata)), where the metadata
 * (name, namespace, kwargs) has its mappings sorted by key and every scalar
 * turned into `str()`, as dbt hashes generic test unique ids.
 */
export function genericTestHash(name: string, metadata: TestMetadata): string {
  return md5(name + hashableRepr(metadata)).slice(-10);
}

/** `repr()` of the value with mappings sorted by key and every scalar as its `str()`, in one pass. */
function hashableRepr(v: unknown): string {
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ', ') + hashableRepr(v[i]);
    return out + ']';
  }
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    const keys = jsSortedKeys(o);
    let out = '{';
    for (let i = 0; i < keys.length; i++) out += (i === 0 ? '' : ', ') + pyReprString(keys[i]!) + ': ' + hashableRepr(o[keys[i]!]);
    return out + '}';
  }
  return pyReprString(pyStr(v));
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The keys sorted, in the order a JS object built from them keeps (integer
 * keys first, ascending): the order these hashes have always used.
 */
function jsSortedKeys(o: Record<string, unknown>): string[] {
  const keys = sortStrings(Object.keys(o));
  for (const k of keys) {
    const c = k.charCodeAt(0);
    if (c >= 48 && c <= 57 && ARRAY_INDEX.test(k) && Number(k) < 4294967295) return Object.keys(Object.fromEntries(keys.map((x) => [x, true])));
  }
  return keys;
}
