/**
 * MacroResolver memoises dispatch targets and namespace members (a parse
 * resolves `dbt.type_string()` thousands of times); a macro file added to the
 * registry afterwards is seen at once, and the answers are those of the plain
 * search (fast paths off).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MacroRegistry } from '../../src/context/macro-registry.js';
import { MacroResolver } from '../../src/context/macro-resolver.js';
import { JinjaEnvironment, callJinja, type RenderContext } from '../../src/jinja/index.js';
import type { Macro } from '../../src/manifest/types.js';
import { setFastPaths } from '../../src/util/fast-paths.js';

afterEach(() => {
  setFastPaths(true);
});

function macro(pkg: string, name: string, file: string, sql: string): Macro {
  return {
    unique_id: `macro.${pkg}.${name}`,
    resource_type: 'macro',
    package_name: pkg,
    name,
    path: file,
    original_file_path: file,
    macro_sql: sql,
    description: '',
    meta: {},
    arguments: [],
    depends_on: { macros: [] },
  };
}

function addFile(registry: MacroRegistry, pkg: string, file: string, defs: Record<string, string>): void {
  const source = Object.entries(defs)
    .map(([name, body]) => `{% macro ${name}() %}${body}{% endmacro %}`)
    .join('\n');
  registry.addFile(`/p/${pkg}/${file}`, source, Object.keys(defs).map((name) => macro(pkg, name, file, source)));
}

function resolverOver(registry: MacroRegistry, searchOrder: Record<string, string[]> = {}): MacroResolver {
  const context: RenderContext = { vars: {} };
  const resolver = new MacroResolver(new JinjaEnvironment(), registry, { searchOrder, adapterChain: ['duckdb'] }, 'root', () => context);
  context.resolve = resolver.resolve;
  return resolver;
}

describe('MacroResolver memo of dispatch and namespace lookups', () => {
  for (const fast of [true, false]) {
    it(`sees macros added after a lookup (fast paths ${fast ? 'on' : 'off'})`, () => {
      setFastPaths(fast);
      const registry = new MacroRegistry('root', ['dbt']);
      addFile(registry, 'dbt', 'macros/types.sql', { type_string: 'x', default__type_string: 'text' });
      addFile(registry, 'utils', 'macros/u.sql', { default__thing: 'default thing' });
      const resolver = resolverOver(registry);
      const ns = resolver.resolve('utils') as Record<string, unknown>;
      // The same answers asked twice (the second from the memo), misses included.
      for (let i = 0; i < 2; i++) {
        expect(resolver.dispatchTarget('type_string', 'dbt')?.unique_id).toBe('macro.dbt.default__type_string');
        expect(resolver.dispatchTarget('thing', 'utils')?.unique_id).toBe('macro.utils.default__thing');
        expect(resolver.dispatchTarget('nothing', 'utils')).toBeUndefined();
        expect(ns.later).toBeUndefined();
        expect(callJinja(resolver.dispatch('thing', 'utils'), [], {})).toBe('default thing');
      }
      // Files added since: the adapter's own implementation wins, the root project's override wins, a new member appears.
      addFile(registry, 'dbt', 'macros/duckdb.sql', { duckdb__type_string: 'varchar' });
      addFile(registry, 'root', 'macros/over.sql', { default__thing: 'root thing' });
      addFile(registry, 'utils', 'macros/later.sql', { later: 'later', default__nothing: 'found' });
      expect(resolver.dispatchTarget('type_string', 'dbt')?.unique_id).toBe('macro.dbt.duckdb__type_string');
      expect(resolver.dispatchTarget('thing', 'utils')?.unique_id).toBe('macro.root.default__thing');
      expect(resolver.dispatchTarget('nothing', 'utils')?.unique_id).toBe('macro.utils.default__nothing');
      expect(callJinja(ns.later as never, [], {})).toBe('later');
      expect(() => resolver.dispatch('missing', 'utils')).toThrow(/No macro named 'missing' found within namespace: 'utils'/);
    });
  }
});
