/**
 * The renderer is a sandbox: every escape shape of the corpus is refused
 * with Jinja2's SecurityError, located, and no JavaScript ever runs; writes
 * never change a prototype; legitimate access keeps working.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';
import { pythonModules } from '../../../src/jinja/python/modules/index.js';
import { ESCAPES } from './escape-corpus.js';

const g = globalThis as { __tsdbtCanary?: unknown };
afterEach(() => {
  expect(g.__tsdbtCanary).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

function render(t: string, vars: Record<string, unknown> = {}): string {
  return new JinjaEnvironment().renderString(t, 'models/m.sql', { vars: { modules: pythonModules, ...vars } });
}

function failure(t: string): TsdbtError {
  try {
    render(`select 1\n${t}`);
  } catch (e) {
    expect(e).toBeInstanceOf(TsdbtError);
    return e as TsdbtError;
  }
  throw new Error(`rendered: ${t}`);
}

describe('sandbox escape corpus', () => {
  it.each(ESCAPES.filter((e) => e.blocked))('$t', ({ t, blocked, of }) => {
    const e = failure(t);
    expect([e.code, e.file, e.line, e.message]).toEqual(['JINJA_RENDER', 'models/m.sql', 2, `SecurityError: access to attribute '${blocked}' of '${of}' object is unsafe.`]);
  });

  it.each(ESCAPES.filter((e) => !e.blocked))('$t shows nothing internal', ({ t }) => {
    expect(render(t)).toBe('');
  });

  it('has dozens of shapes', () => {
    expect(ESCAPES.length).toBeGreaterThanOrEqual(60);
  });
});

describe('writes never change a prototype', () => {
  it('keeps __proto__ a plain key of dicts, kwargs and JSON', () => {
    expect(render("{% set d = {} %}{% do d.update({'__proto__': {'polluted': 1}}) %}{{ d.keys() | list }} {{ d['__proto__'] }} {{ d.polluted is defined }}")).toBe(
      "['__proto__'] {'polluted': 1} False",
    );
    expect(render("{{ dict(__proto__={'polluted': 1}).items() | list }}")).toBe("[('__proto__', {'polluted': 1})]");
    expect(render("{% set d = {} %}{% do d.setdefault('__proto__', {'polluted': 1}) %}{{ d | tojson }}")).toBe('{"__proto__": {"polluted": 1}}');
    expect(render("{% set d = {} %}{% do d.update([('__proto__', 2)]) %}{% do d.update(__proto__=3) %}{{ d }}")).toBe("{'__proto__': 3}");
  });
});

describe('legitimate access keeps working', () => {
  it('reads dict keys of any name, members of Python values and host objects', () => {
    expect(render("{{ d.constructor }} {{ d['__proto__'] }} {{ d._private }} {{ d.items() | list }}", { d: JSON.parse('{"constructor": 1, "__proto__": 2, "_private": 3}') })).toBe(
      "1 2 3 [('constructor', 1), ('__proto__', 2), ('_private', 3)]",
    );
    expect(render("{% set ns = namespace(a=1) %}{% set ns.b = 2 %}{{ ns.a }}{{ ns.b }}{% for x in 'ab' %}{{ loop.index }}{{ loop.cycle('x', 'y') }}{% endfor %}")).toBe('121x2y');
    expect(render("{{ modules.datetime.datetime(2024, 1, 2).strftime('%Y') }} {{ modules.re.match('(a)', 'ab').group(1) }}")).toBe('2024 a');
    expect(render("{{ [{'n': 2}, {'n': 1}] | sort(attribute='n') | map(attribute='n') | join(',') }}")).toBe('1,2');
    expect(render("{{ '{0.year}'.format(modules.datetime.date(2020, 1, 1)) }}")).toBe('2020');
  });
});
