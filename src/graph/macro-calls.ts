import type { Manifest } from '../manifest/types.js';

/**
 * The macros a piece of Jinja calls, found statically (as dbt's
 * statically_extract_macro_calls does for macros): `name(...)` and
 * `package.name(...)` inside `{{ }}` / `{% %}`, plus every implementation
 * (`<prefix>__name`) of an `adapter.dispatch('name')`. Plain SQL outside
 * the tags is not looked at, so `concat(a, b)` in a query is not dbt's concat.
 */
export class MacroCallIndex {
  private readonly byName = new Map<string, string[]>();
  private readonly cache = new Map<string, string[]>();

  constructor(
    private readonly manifest: Manifest,
    private readonly rootProject: string,
  ) {
    for (const m of Object.values(manifest.macros)) {
      const list = this.byName.get(m.name) ?? [];
      list.push(m.unique_id);
      this.byName.set(m.name, list);
    }
  }

  /** Macro ids called by `code` written in package `pkg`. */
  calls(code: string, pkg: string): string[] {
    const key = `${pkg}\u0000${code}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      hit = this.extract(code, pkg);
      this.cache.set(key, hit);
    }
    return hit;
  }

  /** Macros a macro calls (its recorded depends_on and what its text calls). */
  macroCalls(id: string): string[] {
    const m = this.manifest.macros[id];
    if (!m) return [];
    return [...m.depends_on.macros, ...this.calls(m.macro_sql, m.package_name)];
  }

  private extract(code: string, pkg: string): string[] {
    const out = new Set<string>();
    for (const tag of code.matchAll(/\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g)) {
      const inside = tag[1] ?? tag[2] ?? '';
      for (const call of inside.matchAll(/(?<![\w.])(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)\s*\(/g)) {
        const [, namespace, name] = call;
        if (namespace === 'adapter' && name === 'dispatch') continue;
        if (namespace !== undefined) {
          if (this.manifest.macros[`macro.${namespace}.${name}`]) out.add(`macro.${namespace}.${name}`);
          continue;
        }
        for (const id of this.resolve(name!, pkg)) out.add(id);
      }
      for (const d of inside.matchAll(/adapter\.dispatch\(\s*(?:macro_name\s*=\s*)?['"](\w+)['"]/g)) {
        for (const [name, ids] of this.byName) if (name.endsWith(`__${d[1]}`)) for (const id of ids) out.add(id);
      }
    }
    return [...out];
  }

  /** An unqualified name: the caller's package, then the root project, then the rest (dbt's lookup order, roughly). */
  private resolve(name: string, pkg: string): string[] {
    const ids = this.byName.get(name);
    if (!ids) return [];
    for (const p of [pkg, this.rootProject]) if (ids.includes(`macro.${p}.${name}`)) return [`macro.${p}.${name}`];
    return ids;
  }
}
