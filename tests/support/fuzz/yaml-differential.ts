import fc from 'fast-check';
import { parseBlockYaml, type BlockYaml } from '../../../src/util/yaml-block.js';
import { composeWithYaml } from '../../../src/util/yaml.js';

/**
 * The differential property behind the YAML fuzz test and bench/fuzz-yaml:
 * whatever the fast block reader accepts, the `yaml` package (through
 * composeWithYaml) reads to the same value, key order, lines and duplicate
 * keys. Documents are built line by line from pieces that hit the reader's
 * edges: Unicode spaces (data, not white space), quotes, comments, flow
 * collections, odd indents, duplicate keys, merge keys and `__proto__`; and
 * values over several lines (their continuation lines are indented relative
 * to the entry, from under it to well past it): literal and folded block
 * scalars (chomping, blank and whitespace-only lines, more-indented lines,
 * comment-like lines), plain and quoted scalars (escapes, trailing spaces,
 * escaped line breaks) and nested flow collections split over lines.
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
const offset = fc.constantFrom(0, 1, 2, 2, 2, 3, 4, 6);
const blockText = fc.constantFrom('x', 'a b', 'x  ', '# not a comment', 'key: v', '- item', '"q"', 'end.', '\u00a0', '---', '...', '|', '', '', '(empty)');
const blockScalar = fc
  .tuple(
    fc.constantFrom('|', '>'),
    fc.constantFrom('', '', '-', '+'),
    fc.constantFrom('', '', '', '', ' # c', '  #c', '2', '#c', ' x', ' '),
    fc.integer({ min: 0, max: 4 }),
    fc.array(fc.tuple(fc.constantFrom(0, 0, 0, 0, 1, 2, -1, -2), blockText), { maxLength: 6 }),
    fc.array(fc.constantFrom('', '', ' ', '  ', '    ', '      '), { maxLength: 3 }),
  )
  .map(([style, chomp, header, n, lines, trail]) =>
    [`${style}${chomp}${header}`, ...lines.map(([d, t]) => (t === '(empty)' ? '' : `${' '.repeat(Math.max(0, n + d))}${t}`)), ...trail].join('\n'),
  );
const continuation = fc.constantFrom('x', 'y z', '', '', '  ', '# c', 'a: b', 'w #c', '- i', 'q:', '"q"', '[a]', 'k:v', '12', '\u00a0');
const multiPlain = fc
  .tuple(fc.constantFrom(...plainWords), fc.array(fc.tuple(offset, continuation), { minLength: 1, maxLength: 4 }))
  .map(([first, lines]) => [first, ...lines.map(([o, t]) => (t === '' ? '' : `${' '.repeat(o)}${t}`))].join('\n'));
const dqText = fc.constantFrom('a', 'b c ', '\\"', '\\\\', '\\n', '\\ ', 'x\\', '\\x41', '\\t', '  ', '', '#h', "it's", 'e\\u00e9', '\\q', '\\U0001F600');
const sqText = fc.constantFrom('a', 'b c ', "''", '  ', '', '#h', '\\', 'x: y');
const multiQuoted = fc.oneof(
  fc.tuple(dqText, fc.array(fc.tuple(offset, dqText), { minLength: 1, maxLength: 4 })).map(([first, lines]) => `"${first}\n${lines.map(([o, t]) => `${' '.repeat(o)}${t}`).join('\n')}"`),
  fc.tuple(sqText, fc.array(fc.tuple(offset, sqText), { minLength: 1, maxLength: 4 })).map(([first, lines]) => `'${first}\n${lines.map(([o, t]) => `${' '.repeat(o)}${t}`).join('\n')}'`),
);
const flowBreak = fc.constantFrom(', ', ', ', ', ', ',', ' , ', ',\n  ', ',\n', ', # c\n   ', '\n  , ', ',\n\n    ', ',\n # c\n  ');
const flowOpen = fc.constantFrom('', '', '', ' ', '\n  ', '\n    ', '\n');
const flowClose = fc.constantFrom('', '', '', ' ', '\n', '\n ', '\n  ', ',', ',\n  ', ' # c\n  ');
const flowNested: fc.Memo<string> = fc.memo((depth) => {
  const item = depth <= 1 ? fc.oneof(word, quoted) : fc.oneof({ weight: 3, arbitrary: fc.oneof(word, quoted) }, { weight: 1, arbitrary: flowNested(depth - 1) });
  const join = (xs: string[], seps: string[]) => xs.map((x, i) => (i === 0 ? x : `${seps[i % seps.length]}${x}`)).join('');
  return fc.oneof(
    fc.tuple(fc.array(item, { maxLength: 3 }), fc.array(flowBreak, { minLength: 1, maxLength: 3 }), flowOpen, flowClose).map(([xs, seps, o, c]) => `[${o}${join(xs, seps)}${xs.length ? c : ''}]`),
    fc
      .tuple(fc.array(fc.tuple(fc.oneof(word, quoted), fc.constantFrom(': ', ': ', ':', ' : ', ':\n    '), item), { maxLength: 3 }), fc.array(flowBreak, { minLength: 1, maxLength: 3 }), flowOpen, flowClose)
      .map(([kv, seps, o, c]) => `{${o}${join(kv.map(([k, s, v]) => `${k}${s}${v}`), seps)}${kv.length ? c : ''}}`),
  );
});
const scalar = fc.oneof(
  { weight: 6, arbitrary: word },
  { weight: 2, arbitrary: quoted },
  { weight: 1, arbitrary: flow },
  { weight: 2, arbitrary: blockScalar },
  { weight: 1, arbitrary: multiPlain },
  { weight: 1, arbitrary: multiQuoted },
  { weight: 1, arbitrary: flowNested(3) },
);
const comment = fc.constantFrom('', '', '', '', '', ' # c', '  #c', '#x', ' #\u00a0');
const trailing = fc.oneof(
  { weight: 40, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.constantFrom(' ', '  ') },
  { weight: 1, arbitrary: fc.constantFrom('\u00a0', '\u3000', '\t') },
);
/** Mostly `common`, now and then one of `rare` (so most documents stay readable by the fast reader). */
const mostly = (common: string[], rare: string[]) => fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...common) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });

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
        if (inner.length === 0) out.push(...`- ${value}${c}${t}`.split('\n'));
        else if (inline) out.push(`- ${inner[0]!}`, ...inner.slice(1).map((l) => `  ${l}`));
        else out.push('-', ...indented);
      } else if (inner.length === 0 || inline) out.push(...`${key}:${noise === 2 ? '  ' : ' '}${value}${c}${t}`.split('\n'));
      else out.push(`${key}:${c}`, ...(noise === 3 ? inner : indented));
    }
    return out;
  });
});

/** A generated document: block lines, sometimes with a duplicate key or a stray line. */
export const yamlDocument: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(block(1), block(2), block(3), block(4)),
    mostly(['', 'name: dup'], ['<<: {a: 1}', '- stray', '  bad: indent', '\u00a0']),
    fc.boolean(),
    mostly(['', '', '', '---\n', '--- # c\n', '# c\n---\n'], ['--- x\n', '%YAML 1.2\n---\n']),
    mostly(['\n', '\n', '\n', '', '\n\n', '\n  \n', '\n...\n', '\n...\n# c\n'], ['\n---\n', '\n...\nx: 1\n']),
    fc.integer({ min: 0, max: 9 }),
  )
  .map(([lines, extra, dupFirst, head, tail, crlf]) => {
    const all = extra === '' ? lines : dupFirst ? [extra, ...lines, extra] : [...lines, extra];
    const text = `${head}${all.join('\n')}${tail}`;
    // Now and then with Windows line ends.
    return crlf === 0 ? text.replaceAll('\n', '\r\n') : text;
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
