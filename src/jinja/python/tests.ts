/**
 * Jinja2 3.1's `is` tests with Python's notion of each type: `x is defined`,
 * `x is divisibleby(3)`, `x is number` (bools count, as in Python), ...
 */
import { pyMod, pyCompare, pyEq, pyIn } from './operators.js';
import { isFloatValue, isNumeric, PyFloat } from './py-float.js';
import { PyDecimal } from './py-decimal.js';
import { pyStr } from './repr.js';
import { strMethod } from './str-methods.js';
import { isDict, isMappingLike, isSafeString } from './types.js';

type Test = (...args: unknown[]) => boolean;

export interface TestRegistry {
  /** Whether a filter of that name exists (`'upper' is filter`). */
  hasFilter(name: string): boolean;
  /** Whether a test of that name exists (`'odd' is test`). */
  hasTest(name: string): boolean;
}

function isStr(v: unknown): boolean {
  return typeof v === 'string' || isSafeString(v);
}

export function createPythonTests(reg?: TestRegistry): Record<string, Test> {
  const tests: Record<string, Test> = {
    odd: (v) => pyEq(pyMod(v, 2), 1),
    even: (v) => pyEq(pyMod(v, 2), 0),
    divisibleby: (v, n) => pyEq(pyMod(v, n), 0),
    defined: (v) => v !== undefined,
    undefined: (v) => v === undefined,
    filter: (v) => typeof v === 'string' && (reg ? reg.hasFilter(v) : false),
    test: (v) => typeof v === 'string' && (reg ? reg.hasTest(v) : v in tests),
    none: (v) => v === null,
    boolean: (v) => typeof v === 'boolean',
    false: (v) => v === false,
    true: (v) => v === true,
    integer: (v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)),
    float: (v) => isFloatValue(v),
    lower: (v) => Boolean(strMethod(pyStr(v), 'islower')!()),
    upper: (v) => Boolean(strMethod(pyStr(v), 'isupper')!()),
    string: isStr,
    mapping: (v) => isDict(v) || v instanceof Map || isMappingLike(v),
    number: (v) => isNumeric(v) || v instanceof PyFloat || v instanceof PyDecimal,
    // Jinja2's Undefined has __len__ and __getitem__ and __call__, so it passes these two.
    sequence: (v) => v === undefined || isStr(v) || Array.isArray(v) || isDict(v) || v instanceof Map || isMappingLike(v),
    iterable: (v) => v === undefined || isStr(v) || Array.isArray(v) || isDict(v) || (v !== null && typeof v === 'object' && Symbol.iterator in v),
    callable: (v) => v === undefined || typeof v === 'function' || (v !== null && typeof v === 'object' && typeof (v as { __call__?: unknown }).__call__ === 'function'),
    sameas: (v, other) => v === other,
    escaped: (v) => isSafeString(v),
    in: (v, seq) => pyIn(v, seq),
    '==': (a, b) => pyCompare(a, '==', b),
    eq: (a, b) => pyCompare(a, '==', b),
    equalto: (a, b) => pyCompare(a, '==', b),
    '!=': (a, b) => pyCompare(a, '!=', b),
    ne: (a, b) => pyCompare(a, '!=', b),
    '>': (a, b) => pyCompare(a, '>', b),
    gt: (a, b) => pyCompare(a, '>', b),
    greaterthan: (a, b) => pyCompare(a, '>', b),
    ge: (a, b) => pyCompare(a, '>=', b),
    '>=': (a, b) => pyCompare(a, '>=', b),
    '<': (a, b) => pyCompare(a, '<', b),
    lt: (a, b) => pyCompare(a, '<', b),
    lessthan: (a, b) => pyCompare(a, '<', b),
    '<=': (a, b) => pyCompare(a, '<=', b),
    le: (a, b) => pyCompare(a, '<=', b),
  };
  return tests;
}

/** The builtin tests, `filter`/`test` answering from the builtin filters and tests. */
export const pythonTests: Record<string, (...args: unknown[]) => boolean> = createPythonTests({
  hasFilter: (name) => name in builtinFilterNames(),
  hasTest: (name) => name in pythonTests,
});

let filterNames: Record<string, true> | undefined;
function builtinFilterNames(): Record<string, true> {
  if (!filterNames) {
    filterNames = {};
    for (const n of BUILTIN_FILTER_NAMES) filterNames[n] = true;
  }
  return filterNames;
}

/** Jinja2 3.1's builtin filter names, for `is filter` without an engine registry. */
export const BUILTIN_FILTER_NAMES = [
  'abs', 'attr', 'batch', 'capitalize', 'center', 'count', 'd', 'default', 'dictsort', 'e', 'escape', 'filesizeformat',
  'first', 'float', 'forceescape', 'format', 'groupby', 'indent', 'int', 'items', 'join', 'last', 'length', 'list', 'lower',
  'map', 'max', 'min', 'pprint', 'random', 'reject', 'rejectattr', 'replace', 'reverse', 'round', 'safe', 'select',
  'selectattr', 'slice', 'sort', 'string', 'striptags', 'sum', 'title', 'tojson', 'trim', 'truncate', 'unique', 'upper',
  'urlencode', 'urlize', 'wordcount', 'wordwrap', 'xmlattr',
];
