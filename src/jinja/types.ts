/** Public contracts of the Jinja engine (see index.ts). */

export interface RenderContext {
  /**
   * Names visible to templates (dbt's context: ref, config, this, var, ...).
   * May be replaced between renders: macros bound to the context (bindMacro)
   * then see the new names, except those of a file with top-level statements
   * other than macros, which is run again under the new vars.
   */
  vars: Record<string, unknown>;
  /** Called for a name not found in template locals or vars; resolves macros and package namespaces lazily. Return undefined when unknown. */
  resolve?(name: string): unknown;
  /**
   * dbt's parse-time Undefined (`capture_macros=True`): `x.attr`, `x[k]` and
   * `x()` on an undefined `x` give Undefined instead of raising, so a model can
   * be parsed before everything it uses exists. Default false: raise.
   */
  lenientUndefined?: boolean;
}

export interface TopLevelBlock {
  kind: 'macro' | 'test' | 'materialization' | 'docs' | 'snapshot';
  /** macro: its name; test `{% test not_null(model, column_name) %}`: 'not_null'; materialization `{% materialization table, adapter='duckdb' %}`: 'table'; docs/snapshot: the block name. */
  name: string;
  /** The name of the macro the block defines: macro → name, test → `test_<name>`, materialization → `materialization_<name>_<adapter or 'default'>`; docs/snapshot → undefined. */
  macroName?: string;
  /** materialization only */
  adapter?: string;
  /** 1-based line of the opening tag */
  line: number;
  /** Where the block starts in its file's text (the `{` of its opening tag). */
  offset: number;
  /** argument names and default source text */
  args: { name: string; default?: string }[];
  /** text between opening and closing tag (docs text, snapshot SQL, macro body) */
  body: string;
  /** full text of the block including tags */
  source: string;
}

/** A callable from templates (macros, TS functions). From TypeScript call it with callJinja(fn, args, kwargs). */
export type JinjaCallable = (...args: unknown[]) => unknown;
