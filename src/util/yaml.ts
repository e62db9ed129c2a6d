import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { parseBlockYaml, type BlockYaml } from './yaml-block.js';

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
}

export function parseYaml(text: string, file: string): ParsedYaml {
  // Plain block YAML (nearly every properties file) is read by a fast reader
  // that gives the same values and lines; everything else goes through `yaml`.
  const block = parseBlockYaml(text);
  return withLines(block ?? composeWithYaml(text, file), file);
}

function withLines(y: BlockYaml, file: string): ParsedYaml {
  const { lines, keyLines, itemLines } = y;
  return {
    value: y.value,
    file,
    lineOf: (obj) => (obj !== null && typeof obj === 'object' ? lines.get(obj) : undefined),
    keyLine: (obj, key) => (obj !== null && typeof obj === 'object' ? keyLines.get(obj)?.get(key) : undefined),
    itemLine: (list, index) => (Array.isArray(list) ? itemLines.get(list)?.[index] : undefined),
  };
}

/**
 * Any YAML, through the `yaml` package; throws YAML_SYNTAX naming the first
 * error's line. Exported so tests can hold the fast reader to it.
 */
export function composeWithYaml(text: string, file: string): BlockYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, merge: true });
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
  const lineAt = (node: YamlNode | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;

  const toJs = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (isScalar(node)) return node.value;
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const keys = new Map<string, number>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const keyNode = item.key as YamlNode | null;
        if (isScalar(keyNode) && (keyNode.value === '<<' || typeof keyNode.value === 'symbol')) {
          const merged = toJs(item.value);
          for (const m of Array.isArray(merged) ? merged : [merged]) if (isRecord(m)) Object.assign(out, m);
          continue;
        }
        const key = isScalar(keyNode) ? String(keyNode.value) : String(toJs(keyNode));
        out[key] = toJs(item.value);
        const line = lineAt(keyNode);
        if (line !== undefined) keys.set(key, line);
      }
      const line = lineAt(node as YamlNode);
      if (line !== undefined) lines.set(out, line);
      keyLines.set(out, keys);
      return out;
    }
    if (isSeq(node)) {
      const out = node.items.map((item) => toJs(item));
      const line = lineAt(node as YamlNode);
      if (line !== undefined) lines.set(out, line);
      itemLines.set(out, node.items.map((item) => lineAt(item as YamlNode)));
      return out;
    }
    if (isPair(node)) return toJs(node.value);
    if (isAlias(node)) return toJs(node.resolve(doc));
    return null;
  };

  return { value: toJs(doc.contents), lines, keyLines, itemLines };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
