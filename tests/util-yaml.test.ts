import { describe, expect, it } from 'vitest';
import { parseYaml } from '../src/util/yaml.js';

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
});
