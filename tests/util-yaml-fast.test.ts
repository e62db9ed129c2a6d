import { describe, expect, it } from 'vitest';
import { parseBlockYaml } from '../src/util/yaml-block.js';
import { parseYaml } from '../src/util/yaml.js';
import { typedJson, yamlDisagreement } from './support/fuzz/yaml-differential.js';

/**
 * The fast YAML reader's constructs beyond one-line scalars, held to the
 * `yaml` package (composeWithYaml): the same values with the same JS types,
 * the same lines of maps, keys and items and the same duplicate-key warnings,
 * or a decline. Each construct has cases the fast reader must read and edge
 * cases it must leave to `yaml` (mostly yaml's errors).
 */

/** 'fast' when the fast reader reads `text` (and agrees with yaml), 'declined' when it leaves it to yaml. */
function outcome(text: string): 'fast' | 'declined' {
  const why = yamlDisagreement(text);
  if (why) throw new Error(`${why}\n--- document ---\n${JSON.stringify(text)}`);
  return parseBlockYaml(text) ? 'fast' : 'declined';
}

function expectAll(docs: string[], expected: 'fast' | 'declined'): void {
  for (const d of docs) expect(outcome(d), JSON.stringify(d)).toBe(expected);
}

describe('block scalars', () => {
  it('reads literal and folded scalars with every chomping indicator as yaml does', () => {
    expectAll(
      [
        'a: |\n  x\n  y\n',
        'a: |\n  x\n  y',
        'a: |-\n  x\n\n\n',
        'a: |+\n  x\n\n\n',
        'a: |+\n  x\n\nb: 1\n',
        'a: |+\n  x',
        'a: |+\n  x\n  ',
        'a: >+\n  a\n\n',
        'a: >-\n  a\n\n\n  b\n',
        'a: >\n  x\n  y\n\n  z\n   more\n  w\n',
        'a: >\n  a\n\n    b\n\n  c\n',
        'a: >\n  a\n    b\n    c\n  d\n',
        'a: >\n  \n  a  \n  b\n',
        'a: |\n\n  x\n',
        'a: >\n\n\n  x\n',
        'a: |\n  x\n\n  y\n',
        'a: |\n  x\n  \n  y\n',
        'a: |\n  x  \n',
        'a: |\n  # not a comment\n  key: value\n  - item\n  "quoted"  # still text\n',
        'a: | # comment\n  x\n',
        'a: >-   # comment\n  x\n',
        'a: |\nb: 1\n',
        'a: |-\nb: 1\n',
        'a: >\n',
        'a: |\n  x\n # a less indented comment ends it\nb: 1\n',
        'a: |\n    deep\n  # comment\n',
        '- |\n  x\n- >\n  y\n',
        '- a: |\n    x\n  b: 1\n',
        'a:\n  b: >\n    folded\n    text\n  c: 1\n',
        'a:\n- |\n x\n',
        '  a: |\n   x\n  b: 1\n',
        'a: |\n  \u00a0x\u3000\n',
        'a: |\n  x\n      \n  y\n', // a whitespace-only line deeper than the content: its extra spaces
        'a: >\n  x\n      \n  y\n',
        'a: >\n  x\n\n      \n\n  y\n',
        'a: |\n  x\n    \n',
        'a: >+\n  x\n    \n\n',
        'a: |-\n  x\n   \n  \nb: 1\n',
      ],
      'fast',
    );
  });

  it('builds the values yaml builds (chomping, folding, more-indented lines)', () => {
    expect(parseBlockYaml('a: |+\n  x\n\nb: 1\n')!.value).toEqual({ a: 'x\n\n', b: 1 });
    expect(parseBlockYaml('a: |-\n  x\n\n')!.value).toEqual({ a: 'x' });
    expect(parseBlockYaml('a: |\n  x\n  y')!.value).toEqual({ a: 'x\ny\n' });
    expect(parseBlockYaml('a: >\n  x\n  y\n\n  z\n   more\n  w\n')!.value).toEqual({ a: 'x y\nz\n more\nw\n' });
    expect(parseBlockYaml('a: |\nb: 1\n')!.value).toEqual({ a: '', b: 1 });
    const y = parseYaml('models:\n  - name: m\n    description: |\n      Line one.\n      Line two.\n    columns:\n      - name: id\n', 'm.yml');
    const model = (y.value as { models: Record<string, unknown>[] }).models[0]!;
    expect(model.description).toBe('Line one.\nLine two.\n');
    expect([y.keyLine(model, 'description'), y.keyLine(model, 'columns')]).toEqual([3, 6]);
  });

  it('leaves indentation indicators, more-indented blank lines and bad headers to yaml', () => {
    expectAll(
      [
        'a: |2\n   x\n',
        'a: >-1\n  x\n',
        'a: |\n    \n  x\n', // a leading blank line longer than the content: yaml's error
        'a: |x\n  y\n',
        'a: |#c\n  y\n',
        'a: |+\nb: 1\n', // empty and keeping
        'a: |\n   x\n  y\n', // under-indented line after the content: yaml's error
        'x:\n  a: |\n  x\n', // content not deeper than its collection: yaml's error
        '- |\nx\n',
      ],
      'declined',
    );
  });
});

describe('plain and quoted scalars over several lines', () => {
  it('folds plain scalars as yaml does', () => {
    expectAll(
      [
        'a: x\n  y\n',
        'a: x\n y\n',
        'a: x\n\n  y\n',
        'a: x  \n\n\n   y  \n  z\nb: 1\n',
        '- x\n  y\n',
        '- x\n - y\n',
        '- a: x\n    y\n  b: 1\n',
        'a:\n  x\n  y\nb: 1\n',
        'a: x\n  y # comment\nb: 1\n',
        'a: x\n  - y\n',
        'a: x\n  ---\n',
        'a: 12\n  34\n',
        'a: true\n  x\n',
        'a: x\n  # comment\nb: 1\n',
        'a: x\n  y#z\n  [w] {v} &u *t !s |r >q\n',
        'a: ref(\'m\')\n  is fine\n',
      ],
      'fast',
    );
    expect(parseBlockYaml('a: x  \n\n\n   y  \n  z\nb: 1\n')!.value).toEqual({ a: 'x\n\ny z', b: 1 });
  });

  it('decodes quoted scalars (escapes, folding, escaped line breaks) as yaml does', () => {
    expectAll(
      [
        'a: "x\n  y"\n',
        'a: "x  \n\n   y"\n',
        'a: "x\\\n    y"\n',
        'a: "x\\  \n  y"\n',
        'a: "a\\n\n  b\\t"\n',
        'a: "\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\0\\a\\b\\e\\f\\r\\v\\/\\ \\"\\\\"\n',
        'a: "\\ud83d\\ude00"\n',
        "a: 'it''s\n  here'\n",
        "a: 'x\n\n\n  y  '\n",
        "a: 'x\n   '\n",
        'a: "x\n  #y" # comment\n',
        '- "x\n  y"\n',
        '- a: "x\n     y"\n',
        'a:\n  "x\n  y"\nb: 1\n',
        '"quoted key": "multi\n  line"\n',
      ],
      'fast',
    );
    expect(parseBlockYaml('a: "x\\\n    y"\n')!.value).toEqual({ a: 'xy' });
    expect(parseBlockYaml("a: 'x\n\n\n  y  '\n")!.value).toEqual({ a: 'x\n\ny  ' });
  });

  it('leaves continuations yaml rejects, and escapes it does not know, to yaml', () => {
    expectAll(
      [
        'a: x # comment\n  y\n',
        'a: x\n  y: 1\n',
        'a: x\n  # comment\n  y\n',
        'a: "x\ny"\n',
        '- a: "x\n  y"\n',
        'a: "\\q"\n',
        'a: "\\x4"\n',
        'a: "\\U00110000"\n',
        'a: "open\n',
        "a: 'x\n  y' z\n",
      ],
      'declined',
    );
  });
});

describe('flow collections', () => {
  it('reads nested flow collections, over several lines, with comments and trailing commas', () => {
    expectAll(
      [
        'a: [1, [2, 3], {b: c}]\n',
        'a: [1, 2,]\n',
        'a: {b: 1,}\n',
        'a: [\n  1,\n  2\n]\n',
        'a: [\n  1,\n  2\n ]\n',
        '- {\n    id: 1,\n    name: "x",\n  }\n',
        '- {\n  a: 1\n}\n',
        'x:\n  a: [a,\n   b\n  ]\n',
        'a: [x # c\n  , y]\n',
        'a: [a, # c\n  b]\n',
        'a: {"b":1, \'c\': [d]}\n',
        'a: [a:b, http://x, -1, x#y]\n',
        'a: {b: [1, 2], c: {d: e}}\n',
        'a: [ ]\n',
        'a: {  }\n',
        'a: [a, b c , d  ]\n',
        'a: [.inf, ~, 0x1f, 1e3, -.5, .NaN, -0]\n',
        "a: ['x''y', \"z\\n\"]\n",
        'a: [[[]], {b: {c: {}}}]  # comment\n',
        'a: {b: 1, b: 2}\n',
        'rows:\n  - {\n      id: 1,\n      name: "Vice City",\n      tax_rate: 0.2,\n    }\n',
      ],
      'fast',
    );
    const y = parseBlockYaml('a: [\n  x,\n  {b: 1,\n   c: 2}\n]\n')!;
    const a = (y.value as { a: unknown[] }).a;
    expect(typedJson(a)).toBe('["x",{"b":num:1,"c":num:2}]');
    expect([y.lines.get(a), ...y.itemLines.get(a)!, y.keyLines.get(a[1] as object)!.get('c')]).toEqual([1, 2, 3, 4]);
    expect(parseBlockYaml('a: {b: 1, b: 2}\n')!.duplicates).toEqual([{ key: 'b', line: 1, first: 1 }]);
  });

  it('leaves empty entries, keys without values, pairs in lists and under-indented lines to yaml', () => {
    expectAll(
      [
        'a: [a, , b]\n',
        'a: [,]\n',
        'a: {b}\n',
        'a: {b: }\n',
        'a: {b:1}\n',
        'a: [b: 1]\n',
        'a: [a\n  b]\n', // a plain scalar over two lines
        'x:\n  a: [a,\n  b]\n', // yaml's error
        '"x": {"x": {x: {}\n}}\n', // an inner collection closing at the block indent: yaml's error
        'a: [1, 2]x\n',
        'a: [a,# c\n  b]\n',
        'a: [&x 1]\n',
        'a: {<<: {b: 1}}\n',
        'a: {? b: 1}\n',
        'a: [1, 2\n',
      ],
      'declined',
    );
  });
});

describe('documents', () => {
  it('reads one document with its markers, and leaves several documents and directives to yaml', () => {
    expectAll(['---\na: 1\n', '--- # c\na: 1\n...\n', '# c\n---\na: 1\n', '---\n', 'a: 1\n...\n# c\n'], 'fast');
    // Windows line ends read as LF ones; a lone CR is left to yaml.
    expectAll(['a: |\r\n  x\r\n\r\n  y\r\nb: "p\r\n  q\\\r\n  r"\r\nc: [1,\r\n  2]\r\nd: e\r\n  f\r\n'], 'fast');
    expectAll(['a: 1\rb: 2\n', 'a: "x\ry"\n'], 'declined');
    expectAll(['---\na: 1\n---\nb: 2\n', '--- a: 1\n', '--- {a: 1}\n', '%YAML 1.2\n---\na: 1\n', 'a: 1\n...\nb: 2\n', '---\n- a\n---\n'], 'declined');
  });
});

describe('seeded properties files with every construct (differential)', () => {
  it('agrees with yaml on every generated file, and reads most of them', () => {
    // YAML_GEN_RUNS / YAML_GEN_SEED run it longer or from another seed.
    let seed = Number(process.env.YAML_GEN_SEED ?? 20261204);
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), Math.floor((seed / 2147483648) * n));
    const pick = <T,>(xs: readonly T[]): T => xs[rand(xs.length)]!;
    /** Mostly `usual`, one time in `odds` something from `odd`. */
    const mostly = <T,>(usual: readonly T[], odd: readonly T[], odds = 25): T => (rand(odds) === 0 ? pick(odd) : pick(usual));
    const words = ['Orders', 'one row per order', 'x', "it's", 'a: b', '# hash', 'key:', 'ref(\'m\')', '12', 'true', '"q"', '- item', '[x]', '{y}', '\u00a0', 'é', 'x  ', '~', '1.5e3'];
    const safeWords = ['Orders', 'one row per order', 'x', "it's", 'ref(m)', '12', 'true', 'é', 'the id', '~', '1.5e3'];

    /** A value for a key at column `col`: its first line (after `key: `) and the lines under it. */
    const value = (col: number): { first: string; below: string[]; kind: string } => {
      const indentBy = (extra: number) => ' '.repeat(Math.max(0, col + extra));
      const deeper = () => mostly([2, 2, 2, 4, 1], [0, -1, 6]);
      switch (rand(6)) {
        case 0: {
          const n = deeper();
          const lines: string[] = [];
          for (let i = 0, count = 1 + rand(5); i < count; i++) {
            const kind = mostly(['text', 'text', 'text', 'blank', 'more'], ['spaces', 'deeper-spaces', 'less']);
            if (kind === 'blank') lines.push('');
            else if (kind === 'spaces') lines.push(indentBy(n - rand(2)));
            else if (kind === 'deeper-spaces') lines.push(indentBy(n + 2));
            else if (kind === 'more') lines.push(`${indentBy(n + 1 + rand(3))}${pick(words)}`);
            else if (kind === 'less') lines.push(`${indentBy(n - 1)}${pick(words)}`);
            else lines.push(`${indentBy(n)}${pick(words)}`);
          }
          if (rand(3) === 0) lines.push(...Array.from({ length: 1 + rand(2) }, () => (rand(2) ? '' : indentBy(rand(n + 1)))));
          return { first: `${pick(['|', '>'])}${mostly(['', '-', '+'], ['2', '+1'])}${mostly(['', '', ' # c'], ['#c', ' x'])}`, below: lines, kind: 'block scalar' };
        }
        case 1: {
          const lines: string[] = [];
          for (let i = 0, count = 1 + rand(3); i < count; i++) lines.push(rand(4) === 0 ? '' : `${indentBy(deeper())}${mostly(safeWords, words)}`);
          lines.push(`${indentBy(deeper())}${mostly(safeWords, words)}`);
          return { first: mostly(safeWords, words), below: lines, kind: 'multi-line plain' };
        }
        case 2: {
          const q = pick(['"', "'"]);
          const texts = q === '"' ? ['a', 'b c ', '\\"', '\\\\', '\\n', 'x\\', '\\x41', '\\t', '', '#h', "it's", '\\u00e9'] : ['a', 'b c ', "''", '', '#h', '\\', 'x: y'];
          const lines: string[] = [];
          for (let i = 0, count = 1 + rand(3); i < count; i++) lines.push(rand(4) === 0 ? '' : `${indentBy(deeper())}${pick(texts)}`);
          lines[lines.length - 1] = `${indentBy(deeper())}${pick(texts)}${q}${mostly(['', '', ' # c'], [' x', '#c'])}`;
          return { first: `${q}${pick(texts)}`, below: lines, kind: 'multi-line quoted' };
        }
        case 3: {
          // A flow collection over several lines: each break is followed by a line indented deeper than the key.
          const nl = () => (rand(3) === 0 ? `${mostly(['', ' # c'], [' #c,'])}\n${indentBy(deeper())}` : ' ');
          const item = (depth: number): string => {
            const r = rand(depth > 1 ? 3 : 5);
            if (r === 0) {
              const xs = Array.from({ length: rand(3) }, () => item(depth + 1));
              return `[${xs.join(`,${nl()}`)}${xs.length ? mostly([''], [',']) : ''}]`;
            }
            if (r === 1) return `{${Array.from({ length: rand(3) }, (_, i) => `${pick(['k', 'id', 'name'])}${i}: ${item(depth + 1)}`).join(`,${nl()}`)}}`;
            return mostly(['x', '1', '"a, b"', "'c'", 'null', 'a b'], ['', 'a: b', '&a', '-', '#x']);
          };
          const text = `${pick(['[', '{'])}`;
          const body = text === '[' ? Array.from({ length: 1 + rand(3) }, () => item(1)).join(`,${nl()}`) : Array.from({ length: 1 + rand(3) }, (_, i) => `k${i}: ${item(1)}`).join(`,${nl()}`);
          const all = `${text}${nl()}${body}${mostly([''], [','])}${rand(3) === 0 ? `\n${indentBy(mostly([0, 2], [-1, 1]))}` : ''}${text === '[' ? ']' : '}'}`.split('\n');
          return { first: all[0]!, below: all.slice(1), kind: 'flow' };
        }
        default:
          return { first: mostly(safeWords, words), below: [], kind: 'scalar' };
      }
    };

    const kinds = new Map<string, { fast: number; all: number }>();
    let fast = 0;
    const runs = Number(process.env.YAML_GEN_RUNS ?? 1500);
    for (let run = 0; run < runs; run++) {
      const lines = [mostly(['version: 2', '---', '# properties'], ['--- # c', '%TAG x']), 'models:'];
      const used: string[] = [];
      for (let m = 0, models = 1 + rand(3); m < models; m++) {
        lines.push(`  - name: m${m}`);
        const d = value(4);
        used.push(d.kind);
        lines.push(`    description: ${d.first}`, ...d.below);
        lines.push('    columns:');
        for (let c = 0, cols = 1 + rand(2); c < cols; c++) {
          const v = value(8);
          used.push(v.kind);
          lines.push(`      - name: c${c}`, `        ${mostly(['description', 'meta', 'data_type'], ['name', '<<', '? x'])}: ${v.first}`, ...v.below);
          if (rand(2) === 0) lines.push('        tests:', ...(rand(2) ? ['          - unique', '          - not_null'] : ['          [unique, not_null]']));
        }
      }
      const lf = `${lines.join('\n')}${mostly(['\n'], ['', '\n\n', '\n...\n'])}`;
      const text = rand(8) === 0 ? lf.replaceAll('\n', '\r\n') : lf;
      const accepted = outcome(text) === 'fast';
      if (process.env.YAML_DEBUG && !accepted && used.includes(process.env.YAML_DEBUG)) parseBlockYaml(text, (r) => console.log(r, JSON.stringify(text)));
      if (accepted) fast++;
      for (const k of new Set(used)) {
        const e = kinds.get(k) ?? { fast: 0, all: 0 };
        e.all++;
        if (accepted) e.fast++;
        kinds.set(k, e);
      }
    }
    if (process.env.YAML_GEN_RUNS) console.log(`${fast} of ${runs} fast;`, [...kinds].map(([k, e]) => `${k} ${e.fast}/${e.all}`).join(', '));
    // The generator must keep most files on the fast path, and each construct with them.
    expect(fast).toBeGreaterThan(runs * 0.3);
    for (const [kind, e] of kinds) expect(e.fast, `${kind}: ${e.fast} of ${e.all} read fast`).toBeGreaterThan(e.all * 0.2);
  });
});

describe('plain scalar typing', () => {
  it("types plain scalars by PyYAML's resolvers (as dbt), whatever character they start with", async () => {
    const { pyYamlTags, resolvePlain } = await import('../src/util/yaml-scalars.js');
    type Tag = { default?: unknown; test?: RegExp };
    const tags = (pyYamlTags([]) as Tag[]).filter((t) => t.default === true && t.test);
    const tails = ['', '1', '0', '.5', 'ull', 'ULL', 'rue', 'RUE', 'alse', 'ALSE', 'inf', 'nan', 'NaN', 'e1', 'x1', 'o1', '1e5', '.inf', 'es', 'ES', 'n', 'N', 'ff', 'FF', 'o', 'O', ':30', '_0', 'b1'];
    let typed = 0;
    const wrong: string[] = [];
    for (let code = 0; code < 0x3000; code++) {
      for (const tail of tails) {
        const s = String.fromCharCode(code) + tail;
        const isTyped = tags.some((t) => t.test!.test(s));
        if (isTyped) typed++;
        if ((typeof resolvePlain(s) !== 'string') !== isTyped) wrong.push(s);
      }
    }
    expect(wrong).toEqual([]);
    expect(resolvePlain('')).toBeNull();
    expect(typed).toBeGreaterThan(30);
  });
});
