import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { findFiles } from '../src/util/files.js';
import { parseBlockYaml, type BlockYaml } from '../src/util/yaml-block.js';
import { composeWithYaml, parseYaml } from '../src/util/yaml.js';
import * as yamlPackage from 'yaml';

describe('parseYaml', () => {
  it('returns plain values and the line of each map and key', () => {
    const y = parseYaml('version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n', 'models/schema.yml');
    const v = y.value as { models: { name: string; columns: { name: string }[] }[] };
    expect(v.models[0]!.columns[0]!.name).toBe('id');
    expect(y.lineOf(v.models[0])).toBe(3);
    expect(y.lineOf(v.models[0]!.columns[0])).toBe(5);
    expect(y.keyLine(v.models[0], 'columns')).toBe(4);
    const tests = parseYaml('tests:\n  - unique\n  - not_null\n', 'x.yml');
    const list = (tests.value as { tests: string[] }).tests;
    expect([tests.itemLine(list, 0), tests.itemLine(list, 1)]).toEqual([2, 3]);
  });

  it('reports a syntax error with file and line', () => {
    expect(() => parseYaml('models:\n  - name: a\n   bad: [\n', 'models/x.yml')).toThrowError(
      expect.objectContaining({ code: 'YAML_SYNTAX', file: 'models/x.yml', line: 3 }),
    );
  });

  it('resolves anchors and merge keys', () => {
    const y = parseYaml('base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n', 'a.yml');
    expect(y.value).toEqual({ base: { x: 1 }, other: { x: 1, y: 2 } });
  });

  it("an alias names the last node before it with its anchor, as yaml's own resolve does, on random documents", () => {
    const { parseDocument } = yamlPackage;
    expect(parseYaml('y0: &y 0\na: &x 1\nb: *x\nc: &x [2, *y]\nd: *x\ne: {k: &y v, l: *y}\nf: *y\n', 'a.yml').value).toEqual({ y0: 0, a: 1, b: 1, c: [2, 0], d: [2, 0], e: { k: 'v', l: 'v' }, f: 'v' });
    expect(() => parseYaml('a: *x\nb: &x 1\n', 'a.yml')).toThrow('alias *x names no anchor defined before it');
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let doc = 0; doc < 200; doc++) {
      const defined: string[] = [];
      const lines: string[] = [];
      for (let i = 0; i < 30; i++) {
        const name = `n${rand(4)}`;
        if (defined.length > 0 && rand(2) === 0) lines.push(`k${i}: [${rand(100)}, *${defined[rand(defined.length)]}]`);
        else {
          const others = defined.filter((d) => d !== name);
          lines.push(`k${i}: &${name} {v: ${rand(100)}${others.length > 0 ? `, w: *${others[rand(others.length)]}` : ''}}`);
          defined.push(name);
        }
      }
      const text = `${lines.join('\n')}\n`;
      expect(composeWithYaml(text, 'r.yml').value).toEqual(parseDocument(text).toJS({ maxAliasCount: -1 }));
    }
  });

  it('merges as YAML 1.1: own keys win wherever they are written, earlier merged maps win over later ones', () => {
    const text = [
      'a: &a {p: 1, q: 1}',
      'b: &b {p: 2, q: 2, r: 2}',
      'c:',
      '  q: own',
      '  <<: [*a, *b]',
      'd:',
      '  <<: *b',
      '  r: own',
      'e:',
      '  "<<": not a merge',
      'models:',
      '  - &m',
      '    name: x',
      '    config: {materialized: view}',
      '  - <<: *m',
      '    name: y',
    ].join('\n');
    expect(parseYaml(text, 'a.yml').value).toEqual({
      a: { p: 1, q: 1 },
      b: { p: 2, q: 2, r: 2 },
      c: { q: 'own', p: 1, r: 2 },
      d: { r: 'own', p: 2, q: 2 },
      e: { '<<': 'not a merge' },
      models: [
        { name: 'x', config: { materialized: 'view' } },
        { name: 'y', config: { materialized: 'view' } },
      ],
    });
  });

  it('stops an alias bomb quickly with a located error', () => {
    // The classic "billion laughs": 9 levels of 9 aliases each (549 bytes here would be ~387M nodes).
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const started = Date.now();
    expect(() => parseYaml(lines.join('\n'), 'models/bomb.yml')).toThrowError(
      expect.objectContaining({ code: 'YAML_ALIAS_LIMIT', file: 'models/bomb.yml', line: expect.any(Number) }),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    // Moderate reuse stays fine.
    expect((parseYaml('a: &a [1, 2]\nb: [*a, *a, *a]\n', 'x.yml').value as { b: unknown[] }).b).toHaveLength(3);
  });

  it('a self-referencing alias is a located error, not a stack overflow', () => {
    expect(() => parseYaml('top: 1\na: &x\n  b: *x\n', 'models/self.yml')).toThrowError(
      expect.objectContaining({ code: 'YAML_ALIAS_CYCLE', file: 'models/self.yml', line: 3 }),
    );
    expect(() => parseYaml('a: &x [1, *x]\n', 'models/self.yml')).toThrowError(expect.objectContaining({ code: 'YAML_ALIAS_CYCLE', line: 1 }));
    expect(() => parseYaml('a: *nope\n', 'models/u.yml')).toThrowError(expect.objectContaining({ file: 'models/u.yml', line: 1 }));
  });

  it('a key written twice is a warning with file and line, and the last value wins, in both readers', () => {
    const block = parseYaml('name: a\nother: 1\nname: b\n', 'models/dup.yml');
    expect(block.value).toEqual({ name: 'b', other: 1 });
    expect(block.keyLine(block.value, 'name')).toBe(3);
    expect(block.warnings).toEqual(["models/dup.yml:3: duplicate key 'name' in a mapping (first at line 1); the last value is used."]);
    // Through the yaml package (an anchor sends the file there): the same value, line and warning, once.
    const slow = parseYaml('x: &x 1\nname: a\nother: *x\nname: b\n', 'models/dup.yml');
    expect(slow.value).toEqual({ x: 1, name: 'b', other: 1 });
    expect(slow.warnings).toEqual(["models/dup.yml:4: duplicate key 'name' in a mapping (first at line 2); the last value is used."]);
    expect(parseYaml('a: {k: 1, k: 2}\n', 'f.yml').warnings).toHaveLength(1);
  });

  it('only space and tab are white space: a trailing no-break space is data', () => {
    expect(parseYaml('a: x\u00a0\nb: [y\u00a0]\nc\u00a0: 1\n', 'x.yml').value).toEqual({ a: 'x\u00a0', b: ['y\u00a0'], 'c\u00a0': 1 });
    expect(parseYaml('a: x  \n', 'x.yml').value).toEqual({ a: 'x' });
  });

  it('a __proto__ key is data, never the prototype', () => {
    const v = parseYaml('__proto__:\n  polluted: 1\n', 'x.yml').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    const slow = parseYaml('x: &x 1\n__proto__: {polluted: *x}\n', 'x.yml').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(slow)).toBe(Object.prototype);
  });
});

/** Every map, key and list item of `value` with the line each reader gives it. */
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
      out.push(`${path}.${k} @${y.keyLines.get(value)?.get(k)}`);
      lineTable(y, v, `${path}.${k}`, out);
    }
  }
  return out;
}

/** The block reader's result must be the yaml package's, value for value (key order too) and line for line. */
function expectSameAsYaml(text: string): 'fast' | 'fallback' {
  const fast = parseBlockYaml(text);
  let slow: BlockYaml | undefined;
  try {
    slow = composeWithYaml(text, 'x.yml');
  } catch {
    slow = undefined;
  }
  if (!fast) return 'fallback';
  expect(slow, `yaml rejects what the block reader accepted:\n${text}`).toBeDefined();
  expect(JSON.stringify(fast.value), text).toBe(JSON.stringify(slow!.value));
  expect(fast.value, text).toEqual(slow!.value);
  expect(lineTable(fast, fast.value), text).toEqual(lineTable(slow!, slow!.value));
  return 'fast';
}

describe('parseBlockYaml (the fast reader behind parseYaml)', () => {
  it('reads a properties file exactly as the yaml package does, lines included', () => {
    const text = [
      '# properties',
      'version: 2',
      '',
      'models:',
      '  - name: orders   # trailing comment',
      '    description: "Orders, one row per order: with a \\"quote\\" and \\u00e9"',
      "    config: {materialized: table}",
      '',
      'sources:',
      '  - name: raw',
      "    description: 'it''s raw'",
      '    tables:',
      '      -   name: events',
      '          loaded_at_field: _loaded_at',
      '          freshness:',
      '            warn_after: {count: 12, period: hour}',
    ].join('\n');
    expect(expectSameAsYaml(text)).toBe('fast');
    // A block scalar is read too; an anchor sends the file to yaml.
    expect(expectSameAsYaml(text.replace("    description: 'it''s raw'", '    description: >\n      it is raw'))).toBe('fast');
    expect(expectSameAsYaml(text.replace("    description: 'it''s raw'", '    description: &d raw'))).toBe('fallback');
  });

  it('resolves plain scalars as PyYAML does (dbt), the fast reader as the yaml fallback', () => {
    const scalars = ['null', 'Null', 'NULL', '~', 'true', 'True', 'FALSE', 'yes', 'no', 'on', '0', '-0', '+12', '007', '0x1F', '0o17', '0b11', '1.50', '-.5', '1e3', '6.02E+23', '.inf', '-.Inf', '.NaN', '1_000', '12:30', '2024-01-01', 'v1.2', 'a#b', 'a # comment', 'ref(\'orders\')', '-x', '?x', 'x?', 'café', '9007199254740993', '1.'];
    const text = scalars.map((s, i) => `k${i}: ${s}`).join('\n') + '\nlist:\n' + scalars.map((s) => `  - ${s}`).join('\n') + '\n';
    expect(expectSameAsYaml(text)).toBe('fast');
    expect(expectSameAsYaml('null: 1\n1.0: a\n0x10: b\ntrue: c\n"quoted key": d\n\'single\': e\n')).toBe('fast');
  });

  it('handles compact lists, items on their own lines, empty values and comments between entries', () => {
    const docs = [
      'tests:\n- unique\n- not_null\nname: x\n',
      'models:\n-\n  name: a\n  columns:\n  - name: id\n    tests:\n      -\n        relationships:\n          to: ref(\'b\')\n          field: id\n',
      'a:\nb: # nothing here\nc: 1\n',
      'a:\n  # a comment before the first key\n  b: 1\n\n    # odd indent comment\n  c: 2\n',
      '  indented: 1\n  top: 2\n',
      'list:\n  - - nested\n',
      '# only a comment\n',
      '',
      'a: 1 # c\nb: "x" # c\nc: \'y\'   # c\n',
      'a: [1, "x, y", \'z\', null, a b]  # c\nb: {k: v, "q": 2.5, t : true}\nc: []\nd: {}\ne:\n  - [x]\n',
    ];
    expect(docs.map(expectSameAsYaml)).toEqual(['fast', 'fast', 'fast', 'fast', 'fast', 'fallback', 'fast', 'fast', 'fast', 'fast']);
  });

  it('reads block scalars, multi-line scalars, nested and multi-line flow collections and document markers as yaml does', () => {
    const docs = [
      'a: |\n  line one\n  line two\n', // block scalars
      'a: >-\n  folded\n', // folded scalars
      'a: first\n  continued\n', // multi-line plain scalar
      'a: "open\n  quote"\n', // multi-line quoted scalar
      'a: [1, [2]]\n', // nested flow collections
      'a: [1, 2,]\n', // trailing comma
      'a: [1,\n  2]\n', // multi-line flow
      '---\na: 1\n', // document markers
      '---\na: 1\n...\n',
    ];
    for (const d of docs) expect(expectSameAsYaml(d), d).toBe('fast');
  });

  it('leaves everything else to the yaml package (and so its errors)', () => {
    const docs = [
      'base: &b\n  x: 1\nother:\n  <<: *b\n', // anchors, aliases, merge keys
      'a: !!str 1\n', // tags
      'a: |2\n   indented\n', // indentation indicators
      'a: [1,, 2]\n', // empty entry
      'a: {k: }\n', // flow key without a value
      'a: {k:1}\n',
      'a: [1]x\n',
      'a: b: c\n', // nested compact mapping: yaml's error
      'a: 1\n---\nb: 2\n', // several documents
      'a:\tb\n', // tabs
      'a: 1\rb: 2\r', // lone CRs
      'a: "\\q"\n', // an escape YAML does not have
      'a: 1\n b: 2\n', // bad indentation: yaml's error
      'just a scalar\n',
      '- a\nb: 1\n', // a list then a key at the same level: yaml's error
      '? complex\n: key\n',
      "a: 'x' trailing\n",
      'a: x # c\n  y\n', // a continuation after a comment: yaml's error
      'a: "x\ny"\n', // a quoted continuation not indented: yaml's error
    ];
    for (const d of docs) expect(parseBlockYaml(d), d).toBeUndefined();
    // And parseYaml still reads them, or reports yaml's error with a line.
    expect(parseYaml('a: |2\n   x\n', 'x.yml').value).toEqual({ a: ' x\n' });
  });

  it('agrees with yaml on every YAML file of the bundled project and the built-in packages', () => {
    const files = [...findFiles(process.cwd(), ['project', 'src/include'], ['.yml', '.yaml'])];
    expect(files.length).toBeGreaterThan(10);
    const outcomes = files.map((f) => expectSameAsYaml(readFileSync(f.absolute, 'utf8')));
    expect(outcomes.filter((o) => o === 'fast').length).toBeGreaterThan(files.length / 2);
  });

  it('agrees with yaml on generated documents (random shapes, scalars, comments and spacing)', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const scalars = ['x', 'null', '~', 'true', 'False', '12', '-3', '0x1A', '1.5', '.inf', '1e2', "'q''uote'", '"dq \\" \\n"', 'a b c', 'a#b', 'ref(\'m\')', 'x # comment', '""', "''", '-y', '3.', 'é', '[a, 1, "q"]', '{k: v, n: null}', '[]', '{ }'];
    const keys = ['name', 'description', 'k1', 'true', '"quoted key"', "'sq'", 'with space', 'null', '1', '2.0', 'a_b', '+tag'];
    const gen = (depth: number, indent: number): string[] => {
      const pad = ' '.repeat(indent);
      if (depth > 3 || rand(3) === 0) return [];
      const out: string[] = [];
      const asList = rand(2) === 0;
      const n = 1 + rand(4);
      const used = new Set<string>();
      for (let i = 0; i < n; i++) {
        if (rand(6) === 0) out.push(rand(2) ? '' : `${' '.repeat(rand(6))}# note`);
        const child = depth < 3 && rand(3) === 0;
        if (asList) {
          if (child) {
            const inner = gen(depth + 1, indent + 2 + rand(2));
            if (inner.length === 0) out.push(`${pad}- ${scalars[rand(scalars.length)]}`);
            else if (rand(2) === 0) out.push(`${pad}-`, ...inner);
            else out.push(`${pad}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
          } else out.push(`${pad}- ${scalars[rand(scalars.length)]}`);
        } else {
          let key = keys[rand(keys.length)]!;
          if (used.has(key)) key = `${key.replace(/['"]/g, '')}_${i}`;
          used.add(key);
          if (child) {
            const inner = gen(depth + 1, rand(4) === 0 ? indent : indent + 2 + rand(3));
            out.push(`${pad}${key}:${rand(3) === 0 ? ' # c' : ''}`, ...inner);
          } else out.push(`${pad}${key}:${' '.repeat(1 + rand(2))}${scalars[rand(scalars.length)]}`);
        }
      }
      return out;
    };
    let fast = 0;
    for (let i = 0; i < 1500; i++) if (expectSameAsYaml(`${gen(0, 0).join('\n')}\n`) === 'fast') fast++;
    expect(fast).toBeGreaterThan(500);
  });
});
