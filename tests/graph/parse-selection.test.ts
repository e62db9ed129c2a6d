import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { parseCriterion, parseSelection } from '../../src/graph/index.js';

function errorOf(fn: () => unknown): TsdbtError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TsdbtError) return e;
    throw e;
  }
  throw new Error('expected a TsdbtError');
}

describe('parseCriterion', () => {
  it('reads graph operators, depths, method and arguments', () => {
    expect(parseCriterion('2+config.meta.owner:alice+1')).toEqual({
      kind: 'criterion',
      raw: '2+config.meta.owner:alice+1',
      method: 'config',
      methodArgs: ['meta', 'owner'],
      value: 'alice',
      defaultMethod: false,
      parents: true,
      parentsDepth: 2,
      children: true,
      childrenDepth: 1,
      childrensParents: false,
    });
    expect(parseCriterion('@stg_a')).toMatchObject({ method: 'fqn', value: 'stg_a', defaultMethod: true, childrensParents: true, parents: false, children: false });
    expect(parseCriterion('+tag:nightly')).toMatchObject({ method: 'tag', value: 'nightly', parents: true, children: false });
    expect(parseCriterion('+tag:nightly')).not.toHaveProperty('parentsDepth');
  });

  it('chooses path, file or fqn when no method is written', () => {
    expect(parseCriterion('models/staging')).toMatchObject({ method: 'path', defaultMethod: false });
    expect(parseCriterion('stg_a.sql')).toMatchObject({ method: 'file' });
    expect(parseCriterion('my_pkg.staging.*')).toMatchObject({ method: 'fqn', defaultMethod: true });
  });

  it.each([
    ['foo:bar', "Invalid selector 'foo:bar': 'foo' is not a valid method name"],
    ['tag:', "Invalid selector 'tag:': the 'tag' method needs a value"],
    ['a+x', "Invalid selector 'a+x': 'a+x' is not a node name; graph operator depths must be whole numbers"],
    ['x+stg_a', "Invalid selector 'x+stg_a': 'x+stg_a' is not a node name; graph operator depths must be whole numbers"],
    ['-1+stg_a', "Invalid selector '-1+stg_a': '-1+stg_a' is not a node name; graph operator depths must be whole numbers"],
    ['@+stg_a', "Invalid selector '@+stg_a': '@' and a leading '+' cannot be combined"],
    ['state:modified.bodies', "Invalid selector 'state:modified.bodies': 'modified.bodies' is not a valid state selector"],
    ['wildcard:x', "Invalid selector 'wildcard:x': the 'wildcard' method is not supported by tsdbt"],
    ['test_type:bogus', "Invalid selector 'test_type:bogus': 'bogus' is not a valid test type"],
    ['resource_type:modle', "Invalid selector 'resource_type:modle': 'modle' is not a valid resource type"],
    ['config:table', "Invalid selector 'config:table': the config method needs a config key"],
    ['tag.x:y', "Invalid selector 'tag.x:y': the 'tag' method takes no '.x' argument"],
    ['source:a.b.c.d', "Invalid selector 'source:a.b.c.d': 'a.b.c.d' has too many parts"],
    ['+', "Invalid selector '+': no node name or value"],
  ])('rejects %s', (text, message) => {
    const e = errorOf(() => parseSelection({ select: [text] }));
    expect(e.code).toBe('SELECTOR_INVALID');
    expect(e.message).toBe(message);
    expect(e.hint).toBeTruthy();
  });

  it('gives a hint that says what to write', () => {
    expect(errorOf(() => parseCriterion('tag:')).hint).toBe("Write 'tag:<value>', e.g. 'tag:nightly'.");
    expect(errorOf(() => parseCriterion('a+x')).hint).toBe(
      "Write depths as 'N+name' or 'name+N' (for example '2+stg_orders+1'), and '@' only at the start.",
    );
  });

  it('quotes the whole comma term and rejects an empty part', () => {
    expect(errorOf(() => parseSelection({ select: ['tag:a,,tag:b'] })).message).toBe(
      "Invalid selector 'tag:a,,tag:b': an empty selection term",
    );
    expect(errorOf(() => parseSelection({ select: ['stg_a,foo:x'] })).message).toBe(
      "Invalid selector 'stg_a,foo:x': 'foo' is not a valid method name",
    );
  });
});

describe('parseSelection', () => {
  it('builds union-of-intersections minus the eager exclude union', () => {
    const spec = parseSelection({ select: ['a  b,tag:x', 'c'], exclude: ['d'] });
    expect(spec.kind).toBe('difference');
    if (spec.kind === 'criterion') throw new Error('unreachable');
    const [include, exclude] = spec.components;
    expect(include).toMatchObject({ kind: 'union', raw: 'a b,tag:x c', expectExists: false });
    const terms = (include as { components: { raw: string; expectExists: boolean; components: { value: string }[] }[] }).components;
    expect(terms.map((t) => [t.raw, t.expectExists, t.components.map((c) => c.value)])).toEqual([
      ['a', true, ['a']],
      ['b,tag:x', true, ['b', 'x']],
      ['c', true, ['c']],
    ]);
    expect(exclude).toMatchObject({ kind: 'union', indirectSelection: 'eager', components: [{ raw: 'd', indirectSelection: 'eager' }] });
  });

  it('selects everything without a warning when no select is given', () => {
    const spec = parseSelection({});
    if (spec.kind === 'criterion') throw new Error('unreachable');
    const include = spec.components[0] as { components: { raw: string; expectExists: boolean }[] };
    expect(include.components.map((c) => [c.raw, c.expectExists])).toEqual([
      ['fqn:*', false],
      ['source:*', false],
      ['exposure:*', false],
      ['metric:*', false],
      ['semantic_model:*', false],
    ]);
  });
});
