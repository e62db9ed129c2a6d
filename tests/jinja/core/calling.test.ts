/** The calling convention between templates and TypeScript: pyFunction, callJinja, values crossing over. */
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment, callJinja, pyFunction, type RenderContext } from '../../../src/jinja/index.js';

describe('calling between templates and TypeScript', () => {
  const env = new JinjaEnvironment();

  it('pyFunction receives positional and keyword arguments with Python semantics', () => {
    const seen: [unknown[], Record<string, unknown>][] = [];
    const f = pyFunction((args, kwargs) => {
      seen.push([args, kwargs]);
      return args.length;
    });
    const out = env.renderString("{{ f(1, 'two', none, three=3) }} {{ f(*[1, 2], **{'k': true}) }} {{ f() }} {{ f(x=nothing) }}", 'a.sql', { vars: { f } });
    expect(out).toBe('3 2 0 0');
    expect(seen).toEqual([
      [[1, 'two', null], { three: 3 }],
      [[1, 2], { k: true }],
      [[], {}],
      [[], { x: undefined }],
    ]);
  });

  it('callJinja calls macros with kwargs, and TS functions get the same shape', () => {
    const ctx: RenderContext = { vars: {} };
    const m = env.bindMacro('macros/a.sql', '{% macro m(a, b=2) %}{{ a }}+{{ b }}{% endmacro %}', 'm', ctx);
    expect(callJinja(m, [1])).toBe('1+2');
    expect(callJinja(m, [], { a: 5, b: 6 })).toBe('5+6');
    const f = pyFunction((args, kwargs) => `${args.join(',')}|${Object.keys(kwargs).join(',')}`);
    expect(callJinja(f, [1, 2], { z: 1 })).toBe('1,2|z');
  });

  it('methods of context objects are called with their object as `this`', () => {
    class Relation {
      constructor(readonly schema: string, readonly name: string) {}
      render(): string {
        return `"${this.schema}"."${this.name}"`;
      }
      incorporate(...raw: unknown[]): Relation {
        const kw = raw[raw.length - 1] as { name?: string };
        return new Relation(this.schema, kw.name ?? this.name);
      }
      toString(): string {
        return this.render();
      }
    }
    const rel = new Relation('main', 'orders');
    const out = env.renderString("{{ rel.render() }} {{ rel.incorporate(name='x').name }} {{ rel.schema }} {{ rel }}", 'a.sql', { vars: { rel } });
    expect(out).toBe('"main"."orders" x main "main"."orders"');
  });

  it('names resolve: template locals, then vars, then resolve(), then builtins, then the file macros', () => {
    const asked: string[] = [];
    const ctx: RenderContext = {
      vars: { a: 'var-a', range: 'var-range' },
      resolve: (name) => {
        asked.push(name);
        if (name === 'joiner') return pyFunction(() => 'project-joiner');
        return name === 'pkg' ? { hello: pyFunction(() => 'from-pkg') } : undefined;
      },
    };
    const out = env.renderString(
      "{% macro local() %}file-macro{% endmacro %}{{ a }} {{ range }} {{ dict(x=1) }} {{ joiner() }} {{ pkg.hello() }} {{ local() }} [{{ nope }}] {% set a = 'local-a' %}{{ a }}",
      'models/r.sql',
      ctx,
    );
    expect(out).toBe("var-a var-range {'x': 1} project-joiner from-pkg file-macro [] local-a");
    expect(asked).toEqual(['dict', 'joiner', 'pkg', 'local', 'nope']);
  });

  it("has dbt's extra filters and takes custom filters and tests", () => {
    const e = new JinjaEnvironment();
    e.addFilter('shout', (v, ...rest) => `${String(v).toUpperCase()}${rest.length ? String(rest[0]) : '!'}`);
    e.addTest('positive', (v) => typeof v === 'number' && v > 0);
    const out = e.renderString("{{ [1] | is_list }} {{ 'a' | is_list }} {{ (1,) | is_list }} {{ 'x' | as_text }} {{ 'hi' | shout }} {{ 'hi' | shout('?') }} {{ 3 is positive }} {{ -3 is positive }}", 'a.sql', { vars: {} });
    expect(out).toBe('True False False x HI! HI? True False');
  });

  it('an undefined result of a call is reported when used', () => {
    const f = pyFunction(() => undefined);
    expect(() => env.renderString('{{ f().x }}', 'a.sql', { vars: { f } })).toThrow("'f()' returned no value (undefined)");
    expect(env.renderString('[{{ f() }}]', 'a.sql', { vars: { f } })).toBe('[]');
  });
});
