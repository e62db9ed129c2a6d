import type * as Yaml from 'yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { duplicateKeyWarning } from './duplicate-key-warning.js';
import { fastPaths } from './fast-paths.js';
import { parseBlockYaml, setKey, type BlockYaml, type DuplicateKey } from './yaml-block.js';
import { yamlLib } from './yaml-lib.js';
import { pyYamlTags } from './yaml-scalars.js';

/**
 * YAML parsed to plain JS, remembering the 1-based line each map and list
 * started on, so later phases can point errors at `file:line` without
 * carrying YAML nodes around.
 */
export interface ParsedYaml {
  value: unknown;
  file: string;
  /** Line of a map/list object from `value` (identity lookup), or undefined. */
  lineOf(obj: unknown): number | undefined;
  /** Line of the value stored under `key` in `obj` (the key's own line). */
  keyLine(obj: unknown, key: string): number | undefined;
  /** Line of item `index` of a list from `value` (works for scalars too, e.g. `- unique`). */
  itemLine(list: unknown, index: number): number | undefined;
  /** `file:line: ...` warnings (a key written twice in one mapping: the last value wins, as dbt 1.10). */
  warnings: string[];
}

/**
 * A dbt project's YAML (dbt_project.yml, properties, selectors, packages,
 * profiles, --vars) is read as dbt reads it, with PyYAML's YAML 1.1 scalars
 * (`on` is true, `017` is 15: see yaml-scalars.ts resolvePlain); tsdbt's own
 * files (`schema: 'core'`: extract.yml, where `on:` is a key) as YAML 1.2.
 */
export function parseYaml(text: string, file: string, options: { schema?: 'pyyaml' | 'core' } = {}): ParsedYaml {
  if (options.schema === 'core') return withLines(composeWithYaml(text, file, 'core'), file);
  // Block YAML as projects write it (nearly every file) is read by a fast
  // reader that gives the same values and lines; anything else goes through
  // `yaml`, and everything does with the fast paths off (TSDBT_FAST_PATHS=0).
  const block = fastPaths() ? parseBlockYaml(text) : undefined;
  return withLines(block ?? composeWithYaml(text, file), file);
}

/** A reader's result (parseBlockYaml's, say, from a worker: util/prefetched-yaml.ts) as parseYaml gives it for `file`. */
export function withLines(y: BlockYaml, file: string): ParsedYaml {
  const { lines, keyLines, itemLines } = y;
  return {
    value: y.value,
    file,
    lineOf: (obj) => (obj !== null && typeof obj === 'object' ? lines.get(obj) : undefined),
    keyLine: (obj, key) => (obj !== null && typeof obj === 'object' ? keyLines.get(obj)?.get(key) : undefined),
    itemLine: (list, index) => (Array.isArray(list) ? itemLines.get(list)?.[index] : undefined),
    warnings: (y.duplicates ?? []).map((d) => duplicateKeyWarning(file, d.line, d.key, d.first)),
  };
}

/** Most nodes alias expansion may produce per document (the `yaml` package's own limit is 100 aliases of aliases). */
export const MAX_ALIAS_NODES = 100_000;

/**
 * Each alias node of a document and the node it names: the last node before it, in document order, that has
 * its anchor (yaml's Alias.resolve), or undefined when none does.
 */
function anchorsOfAliases(doc: Yaml.Document, visit: typeof Yaml.visit, isAlias: typeof Yaml.isAlias): Map<object, unknown> {
  const latest = new Map<string, unknown>();
  const found = new Map<object, unknown>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) found.set(node, latest.get(node.source));
      else if (node.anchor) latest.set(node.anchor, node);
    },
  });
  return found;
}

/**
 * Any YAML, through the `yaml` package; throws YAML_SYNTAX naming the first
 * error's line. Exported so tests can hold the fast reader to it.
 *
 * Aliases are expanded (each use is a fresh copy, as `yaml`'s toJS gives),
 * but bounded: an alias inside its own anchor is YAML_ALIAS_CYCLE, and a
 * document whose aliases would expand past MAX_ALIAS_NODES nodes (a
 * "billion laughs" bomb) is YAML_ALIAS_LIMIT, both at the alias's line.
 * Merge keys follow YAML 1.1: `<<: *a` or `<<: [*a, *b]` adds the keys the
 * mapping does not set itself, earlier maps in the list winning. A key
 * written twice is a warning (dbt 1.10) and the last value wins.
 */
export function composeWithYaml(text: string, file: string, schema: 'pyyaml' | 'core' = 'pyyaml'): BlockYaml {
  const { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } = yamlLib();
  const lineCounter = new LineCounter();
  // Plain scalars typed as PyYAML types them (dbt's loader), as the fast reader does.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true, merge: true, ...(schema === 'pyyaml' && { customTags: (tags) => pyYamlTags(tags) as never }) });
  if (doc.errors.length > 0) {
    // Later YAML errors are mostly echoes of the first; report the first precisely.
    const errors = doc.errors.slice(0, 1).map((err) => {
      const pos = err.linePos?.[0];
      const msg = (err.message.split('\n')[0] ?? err.message).replace(/ at line \d+, column \d+:?$/, '');
      return new TsdbtError('YAML_SYNTAX', `Invalid YAML: ${msg}`, {
        file,
        line: pos?.line,
        column: pos?.col,
        hint: 'Fix the YAML syntax (indentation, a missing colon or quote) at that line.',
      });
    });
    throw errors[0]!;
  }
  const lines = new WeakMap<object, number>();
  const keyLines = new WeakMap<object, Map<string, number>>();
  const itemLines = new WeakMap<object, (number | undefined)[]>();
  const duplicates: DuplicateKey[] = [];
  const lineAt = (node: Yaml.Node | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const resolving = new Set<unknown>();
  let sources: Map<object, unknown> | undefined;
  let expanded = 0;
  let inAlias = 0;
  let bombLine: number | undefined;

  const toJs = (node: unknown): unknown => {
    if (inAlias > 0 && ++expanded > MAX_ALIAS_NODES) throw aliasLimit(bombLine);
    if (node === null || node === undefined) return null;
    if (isScalar(node)) return node.value;
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const keys = new Map<string, number>();
      const merges: unknown[] = [];
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const keyNode = item.key as Yaml.Node | null;
        // Only a plain `<<` merges (a quoted "<<" is an ordinary key, as in `yaml`).
        if (isScalar(keyNode) && ((keyNode.value === '<<' && (!keyNode.type || keyNode.type === 'PLAIN')) || typeof keyNode.value === 'symbol')) {
          const merged = toJs(item.value);
          merges.push(...(Array.isArray(merged) ? merged : [merged]));
          continue;
        }
        const key = isScalar(keyNode) ? String(keyNode.value) : String(toJs(keyNode));
        const line = lineAt(keyNode);
        if (keys.has(key) && inAlias === 0) duplicates.push({ key, line: line ?? 0, first: keys.get(key)! });
        setKey(out, key, toJs(item.value));
        if (line !== undefined) keys.set(key, line);
      }
      // YAML 1.1 merge: the mapping's own keys win, then the earlier merged maps.
      for (const m of merges) {
        if (!isRecord(m)) continue;
        for (const [k, v] of Object.entries(m)) if (!Object.prototype.hasOwnProperty.call(out, k)) setKey(out, k, v);
      }
      const line = lineAt(node as Yaml.Node);
      if (line !== undefined) lines.set(out, line);
      keyLines.set(out, keys);
      return out;
    }
    if (isSeq(node)) {
      const out = node.items.map((item) => toJs(item));
      const line = lineAt(node as Yaml.Node);
      if (line !== undefined) lines.set(out, line);
      itemLines.set(out, node.items.map((item) => lineAt(item as Yaml.Node)));
      return out;
    }
    if (isPair(node)) return toJs(node.value);
    if (isAlias(node)) {
      // Every alias's anchor, found in one walk of the document the first time an alias is met (yaml's
      // Alias.resolve walks the whole document for each alias: quadratic in a file of many aliases).
      sources ??= anchorsOfAliases(doc, visit, isAlias);
      const source = sources.get(node);
      const line = lineAt(node as unknown as Yaml.Node);
      if (source === undefined) {
        throw new TsdbtError('YAML_SYNTAX', `Invalid YAML: alias *${node.source} names no anchor defined before it`, { file, line, hint: 'Define `&name` before using `*name`.' });
      }
      if (resolving.has(source)) {
        throw new TsdbtError('YAML_ALIAS_CYCLE', `Invalid YAML: alias *${node.source} refers to the anchor it is inside of`, {
          file,
          line,
          hint: 'An alias cannot be used inside its own anchored value; copy the value instead.',
        });
      }
      if (inAlias === 0) bombLine = line;
      resolving.add(source);
      inAlias++;
      try {
        return toJs(source);
      } finally {
        inAlias--;
        resolving.delete(source);
      }
    }
    return null;
  };
  const aliasLimit = (line: number | undefined) =>
    new TsdbtError('YAML_ALIAS_LIMIT', `Invalid YAML: aliases expand to more than ${MAX_ALIAS_NODES} nodes (an alias bomb?)`, {
      file,
      line,
      hint: 'Use fewer nested aliases; this bound stops documents that expand exponentially.',
    });

  return { value: toJs(doc.contents), lines, keyLines, itemLines, duplicates };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
