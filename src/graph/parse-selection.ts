import { TsdbtError } from '../errors/tsdbt-error.js';
import { globProblem } from './fnmatch.js';
import {
  DEFAULT_INCLUDES,
  type IndirectSelection,
  type MethodName,
  type SelectionCriterion,
  type SelectionSet,
  type SelectionSpec,
} from './selection-spec.js';
import { SOURCE_STATUS_SELECTORS, STATE_SELECTORS } from './previous-state.js';

const METHODS: ReadonlySet<string> = new Set<MethodName>([
  'fqn',
  'tag',
  'path',
  'file',
  'package',
  'config',
  'resource_type',
  'source',
  'exposure',
  'metric',
  'semantic_model',
  'saved_query',
  'test_name',
  'test_type',
  'group',
  'access',
  'version',
  'state',
  'result',
  'source_status',
]);

/** dbt methods tsdbt knows of but does not evaluate; named so the error can say so. */
const UNSUPPORTED_METHODS: ReadonlySet<string> = new Set([
  'unit_test',
  'wildcard',
]);

export const TEST_TYPES = ['generic', 'singular', 'data', 'unit', 'schema'] as const;
export const VERSION_SELECTORS = ['latest', 'prerelease', 'old', 'none'] as const;
export const RESOURCE_TYPES = [
  'model',
  'seed',
  'snapshot',
  'test',
  'unit_test',
  'analysis',
  'operation',
  'sql_operation',
  'source',
  'exposure',
  'metric',
  'semantic_model',
  'saved_query',
] as const;

/** Where a selector came from, so errors can point at a selectors.yml line. */
export interface SelectorOrigin {
  file?: string;
  line?: number;
}

/**
 * Parse `--select` / `--exclude` into one spec: the union of the select terms
 * (or every resource when none is given) minus the union of the exclude terms.
 *
 * Each argument may hold several space-separated terms; a term's
 * comma-separated parts intersect. `--exclude` always pulls in attached tests
 * eagerly, as dbt does. Throws TsdbtError 'SELECTOR_INVALID'.
 */
export function parseSelection(args: { select?: string[]; exclude?: string[] }): SelectionSpec {
  const select = nonEmpty(args.select);
  const include = select ? parseUnion(select, true) : parseUnion(DEFAULT_INCLUDES, false);
  const exclude = parseUnion(nonEmpty(args.exclude) ?? [], true, 'eager');
  return { kind: 'difference', components: [include, exclude], raw: describe(select, args.exclude), expectExists: false };
}

/** `['a b', 'c,d']` → union(intersection(a), intersection(b), intersection(c, d)). */
export function parseUnion(
  args: readonly string[],
  expectExists: boolean,
  indirectSelection?: IndirectSelection,
  origin: SelectorOrigin = {},
): SelectionSet {
  const terms = args.flatMap((a) => a.split(/\s+/)).filter((t) => t !== '');
  const components: SelectionSpec[] = terms.map((term) => {
    const parts = term.split(',');
    return {
      kind: 'intersection',
      components: parts.map((part) => parseCriterion(part, term, origin, indirectSelection)),
      raw: term,
      expectExists,
      ...(indirectSelection ? { indirectSelection } : {}),
    } satisfies SelectionSet;
  });
  return {
    kind: 'union',
    components,
    raw: terms.join(' '),
    expectExists: false,
    ...(indirectSelection ? { indirectSelection } : {}),
  };
}

/**
 * One criterion: `[@][N+][method[.arg...]:]value[+N]`.
 * `term` is the whole comma-joined term it came from, quoted in errors.
 */
export function parseCriterion(
  text: string,
  term: string = text,
  origin: SelectorOrigin = {},
  indirectSelection?: IndirectSelection,
): SelectionCriterion {
  const fail = (why: string, hint: string): never => {
    throw new TsdbtError('SELECTOR_INVALID', `Invalid selector '${term}': ${why}`, { ...origin, hint });
  };
  if (text === '') fail('an empty selection term', "Remove the stray comma, e.g. 'tag:a,tag:b'.");

  let rest = text;
  const childrensParents = rest.startsWith('@');
  if (childrensParents) rest = rest.slice(1);
  const lead = /^(\d*)\+/.exec(rest);
  if (lead) rest = rest.slice(lead[0].length);
  if (childrensParents && lead) fail("'@' and a leading '+' cannot be combined", `Use '@${rest}' or '+${rest}'.`);
  const trail = /\+(\d*)$/.exec(rest);
  if (trail) rest = rest.slice(0, trail.index);

  let method: string | undefined;
  let methodArgs: string[] = [];
  const m = /^([\w.]+):/.exec(rest);
  if (m) {
    const [name, ...margs] = m[1]!.split('.');
    method = name!;
    methodArgs = margs;
    rest = rest.slice(m[0].length);
  }
  const value = rest;

  if (/[+@]/.test(value)) {
    fail(
      `'${value}' is not a node name; graph operator depths must be whole numbers`,
      "Write depths as 'N+name' or 'name+N' (for example '2+stg_orders+1'), and '@' only at the start.",
    );
  }
  if (method !== undefined) {
    if (UNSUPPORTED_METHODS.has(method)) {
      fail(`the '${method}' method is not supported by tsdbt`, `Select with one of: ${[...METHODS].join(', ')}.`);
    }
    if (!METHODS.has(method)) {
      fail(`'${method}' is not a valid method name`, `Use one of: ${[...METHODS].join(', ')} (as 'method:value').`);
    }
    if (method === 'config' && (methodArgs.length === 0 || methodArgs.some((a) => a === ''))) {
      fail('the config method needs a config key', "Name the key after 'config.', e.g. 'config.materialized:table'.");
    }
    if (method !== 'config' && methodArgs.length > 0) {
      fail(`the '${method}' method takes no '.${methodArgs.join('.')}' argument`, `Write '${method}:${value || '<value>'}'.`);
    }
  }
  if (value === '') {
    fail(
      method ? `the '${method}' method needs a value` : 'no node name or value',
      method ? `Write '${method}:<value>', e.g. ${exampleFor(method)}.` : "Name a node, e.g. 'stg_orders'.",
    );
  }
  const resolved = (method ?? defaultMethod(value)) as MethodName;
  validateValue(resolved, value, fail);
  return {
    kind: 'criterion',
    raw: text,
    method: resolved,
    methodArgs,
    value,
    defaultMethod: method === undefined && resolved === 'fqn',
    parents: lead !== null,
    ...(lead && lead[1] !== '' ? { parentsDepth: Number(lead[1]) } : {}),
    children: trail !== null,
    ...(trail && trail[1] !== '' ? { childrenDepth: Number(trail[1]) } : {}),
    childrensParents,
    ...(indirectSelection ? { indirectSelection } : {}),
  };
}

/** dbt's default method: a path when it looks like one, a file by extension, else a qualified name. */
export function defaultMethod(value: string): MethodName {
  if (value.includes('/') || value.includes('\\')) return 'path';
  if (/\.(sql|py|csv)$/i.test(value)) return 'file';
  return 'fqn';
}

/** Reject values that can never match, at parse time rather than silently selecting nothing. */
/** Methods whose value is a wildcard pattern (fnmatch, or a path glob). */
const GLOB_METHODS = new Set<string>(['fqn', 'tag', 'path', 'file', 'package', 'source', 'exposure', 'test_name']);

export function validateValue(method: MethodName, value: string, fail: (why: string, hint: string) => never): void {
  const oneOf = (allowed: readonly string[], what: string): void => {
    if (!allowed.includes(value)) fail(`'${value}' is not a valid ${what}`, `Use one of: ${allowed.join(', ')}.`);
  };
  if (method === 'test_type') oneOf(TEST_TYPES, 'test type');
  else if (method === 'resource_type') oneOf(RESOURCE_TYPES, 'resource type');
  else if (method === 'version') oneOf(VERSION_SELECTORS, 'version selector');
  else if (method === 'state') oneOf(STATE_SELECTORS, 'state selector');
  else if (method === 'source_status') oneOf(SOURCE_STATUS_SELECTORS, 'source_status selector');
  else if (method === 'source' && value.split('.').length > 3) {
    fail(`'${value}' has too many parts`, "Write 'source:<source>', 'source:<source>.<table>' or 'source:<package>.<source>.<table>'.");
  } else if (method === 'exposure' && value.split('.').length > 2) {
    fail(`'${value}' has too many parts`, "Write 'exposure:<name>' or 'exposure:<package>.<name>'.");
  }
  if (GLOB_METHODS.has(method)) {
    const bad = globProblem(value);
    if (bad !== undefined) fail(`bad glob '${value}': ${bad}`, "Write ranges low to high ('[a-z]'), or match a literal '[' with '[[]'.");
  }
}

function exampleFor(method: string): string {
  const examples: Record<string, string> = {
    tag: "'tag:nightly'",
    path: "'path:models/staging'",
    file: "'file:stg_orders.sql'",
    source: "'source:raw.orders'",
    config: "'config.materialized:table'",
    resource_type: "'resource_type:seed'",
    test_type: "'test_type:generic'",
  };
  return examples[method] ?? `'${method}:x'`;
}

function nonEmpty(list: readonly string[] | undefined): string[] | undefined {
  const kept = (list ?? []).filter((s) => s.trim() !== '');
  return kept.length > 0 ? kept : undefined;
}

function describe(select: readonly string[] | undefined, exclude: readonly string[] | undefined): string {
  const parts = [`--select ${select ? select.join(' ') : '(all)'}`];
  if (exclude && exclude.length > 0) parts.push(`--exclude ${exclude.join(' ')}`);
  return parts.join(' ');
}
