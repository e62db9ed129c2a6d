import fc from 'fast-check';
import { parseBlockYaml, type BlockYaml } from '../../../src/util/yaml-block.js';
import { composeWithYaml } from '../../../src/util/yaml.js';

/**
 * The differential property behind the YAML fuzz test and bench/fuzz-yaml:
 * whatever the fast block reader accepts, the `yaml` package (through
 * composeWithYaml) reads to the same value, key order, lines and duplicate
 * keys. Documents are built line by line from pieces that hit the reader's
 * edges: Unicode spaces (data, not white space), quotes, comments, flow
 * collections, odd indents, duplicate keys, merge keys and `__proto__`.
 */

const odd = ['\u00a0', '\u2028', '\u2029', '\u3000', '\u200b', '\ufeff', '\u0085', '\t', '\r', '\u000b', '\f'];
const plainWords = ['x', 'name', 'null', '~', 'true', 'False', 'yes', '12', '-3', '0x1A', '0o7', '1.5', '.inf', '1e2', '3.', 'é', 'a b', 'a#b', 'v1.2', '2024-01-01', '12:30', '-y', 'ref(\'m\')', '__proto__', 'constructor', '+tag', 'x?'];
const rareWords = ['?z', '<<', '%x', '@x', '`x', '!x', '&a', '*a', '|', '>'];
const word = fc.oneof(
  { weight: 40, arbitrary: fc.constantFrom(...plainWords) },
  { weight: 1, arbitrary: fc.constantFrom(...rareWords) },
  { weight: 2, arbitrary: fc.constantFrom(...plainWords).chain((w) => fc.constantFrom(...odd).map((o) => `${w}${o}`)) },
  { weight: 1, arbitrary: fc.constantFrom(...odd).map((o) => `${o}x`) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('a', ' ', ':', '#', '-', "'", '"', '\\', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\u00a0', 'é'), maxLength: 6 }) },
);
const quoted = fc.oneof(
  { weight: 5, arbitrary: word.map((w) => `'${w.replaceAll("'", "''")}'`) },
  { weight: 5, arbitrary: word.map((w) => JSON.stringify(w)) },
  { weight: 1, arbitrary: fc.constantFrom('"\\x41"', '"\\u00e9"', '"\\t"', '"unterminated', "'it''s'") },
);
const flow = fc.oneof(
  fc.array(fc.oneof(word, quoted), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
  fc.array(fc.tuple(word, fc.oneof(word, quoted)), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
);
const scalar = fc.oneof({ weight: 6, arbitrary: word }, { weight: 2, arbitrary: quoted }, { weight: 1, arbitrary: flow });
const comment = fc.constantFrom('', '', '', '', '', ' # c', '  #c', '#x', ' #\u00a0');
const trailing = fc.constantFrom('', '', '', '', '', '', '', '', ' ', '  ', '\u00a0', '\u3000', '\t');

type Lines = string[];
const block: fc.Memo<Lines> = fc.memo((depth) => {
  // Unique-ish keys per mapping come from the word pool; repeats are wanted too (duplicate keys).
  const child: fc.Arbitrary<Lines> = depth <= 1 ? fc.constant([]) : block(depth - 1);
  const entry = fc.tuple(fc.boolean(), fc.oneof(word, quoted), scalar, comment, trailing, child, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 9 }));
  return fc.tuple(fc.boolean(), fc.array(entry, { minLength: 1, maxLength: 3 })).map(([asList, entries]) => {
    const out: Lines = [];
    for (const [inline, key, value, c, t, inner, extra, noise] of entries) {
      const indented = inner.map((l) => `${' '.repeat(2 + extra)}${l}`);
      if (noise === 0) out.push('');
      if (noise === 1) out.push(`${' '.repeat(extra)}# note`);
      if (asList) {
        if (inner.length === 0) out.push(`- ${value}${c}${t}`);
        else if (inline) out.push(`- ${inner[0]!}`, ...inner.slice(1).map((l) => `  ${l}`));
        else out.push('-', ...indented);
      } else if (inner.length === 0 || inline) out.push(`${key}:${noise === 2 ? '  ' : ' '}${value}${c}${t}`);
      else out.push(`${key}:${c}`, ...(noise === 3 ? inner : indented));
    }
    return out;
  });
});

/** A generated document: block lines, sometimes with a duplicate key or a stray line. */
export const yamlDocument: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(block(1), block(2), block(3), block(4)), fc.constantFrom('', '', '', '', '', '', 'name: dup', '<<: {a: 1}', '- stray', '  bad: indent', '\u00a0'), fc.boolean())
  .map(([lines, extra, dupFirst]) => {
    const all = extra === '' ? lines : dupFirst ? [extra, ...lines, extra] : [...lines, extra];
    return `${all.join('\n')}\n`;
  });

function lineTable(y: BlockYaml, value: unknown, path = '$', out: string[] = []): string[] {
  if (Array.isArray(value)) {
    out.push(`${path} @${y.lines.get(value)}`);
    value.forEach((v, i) => {
      out.push(`${path}[${i}] @${y.itemLines.get(value)?.[i]}`);
      lineTable(y, v, `${path}[${i}]`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    out.push(`${path} @${y.lines.get(value)}`);
    for (const [k, v] of Object.entries(value)) {
      out.push(`${path}.${k} @${y.keyLines.get(value)?.get(k)} proto=${Object.getPrototypeOf(value) === Object.prototype}`);
      lineTable(y, v, `${path}.${k}`, out);
    }
  }
  return out;
}

/**
 * A value written out with its JS types: numbers by Object.is (-0, NaN and
 * the infinities kept apart), key order, and whether an object has the plain
 * prototype. JSON.stringify would call 1 and 1.0 equal but also NaN and null.
 */
export function typedJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? 'num:-0' : `num:${String(value)}`;
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return `bool:${value}`;
    case 'object':
      if (Array.isArray(value)) return `[${value.map(typedJson).join(',')}]`;
      return `{${Object.getPrototypeOf(value) === Object.prototype ? '' : 'proto!'}${Object.entries(value as object)
        .map(([k, v]) => `${JSON.stringify(k)}:${typedJson(v)}`)
        .join(',')}}`;
    default:
      return `${typeof value}:${String(value)}`;
  }
}

/** Why the two readers disagree on `text`, or undefined when they agree (or the fast reader declines). */
export function yamlDisagreement(text: string): string | undefined {
  const fast = parseBlockYaml(text);
  if (!fast) return undefined;
  let slow: BlockYaml;
  try {
    slow = composeWithYaml(text, 'x.yml');
  } catch (e) {
    return `yaml rejects what the block reader accepted (${(e as Error).message})`;
  }
  const a = typedJson(fast.value);
  const b = typedJson(slow.value);
  if (a !== b) return `values differ: fast ${a} vs yaml ${b}`;
  const la = lineTable(fast, fast.value).join('\n');
  const lb = lineTable(slow, slow.value).join('\n');
  if (la !== lb) return `lines differ:\n${la}\nvs\n${lb}`;
  const da = JSON.stringify(fast.duplicates ?? []);
  const db = JSON.stringify(slow.duplicates ?? []);
  if (da !== db) return `duplicate keys differ: ${da} vs ${db}`;
  return undefined;
}

/** Run the differential property `numRuns` times from `seed`; returns how many documents the fast reader accepted. */
export function fuzzYaml(numRuns: number, seed: number): { accepted: number; runs: number } {
  let accepted = 0;
  fc.assert(
    fc.property(yamlDocument, (text) => {
      if (parseBlockYaml(text)) accepted++;
      const why = yamlDisagreement(text);
      if (why) throw new Error(`${why}\n--- document ---\n${JSON.stringify(text)}`);
    }),
    { numRuns, seed, endOnFailure: false },
  );
  return { accepted, runs: numRuns };
}
