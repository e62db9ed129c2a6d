import type { MacroRegistry } from '../context/macro-registry.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode, Macro } from '../manifest/types.js';

/**
 * The macro implementing a materialization, as dbt 1.10 finds it: the most
 * specific of `materialization_<name>_<adapter>` for each adapter of the
 * chain, then `materialization_<name>_default`; at one specificity the root
 * project's before an installed package's before a built-in one. But an
 * installed package's never replaces a materialization tsdbt has built in
 * (dbt's require_explicit_package_overrides_for_builtin_materializations,
 * on by default since 1.8): then the most specific of the root project's
 * and the built-in ones is used, so a package's `materialization test` runs
 * only where the root project opts in by defining its own that calls it.
 * With the flag set false in dbt_project.yml, the package's is used.
 */
export function findMaterialization(registry: MacroRegistry, name: string, adapterChain: readonly string[]): Macro | undefined {
  const internal = registry.internalPackages;
  const installed = registry.packageNames().filter((p) => p !== registry.rootPackage && !internal.includes(p)).sort();
  const adapters = [...adapterChain, 'default'];
  const first = (packages: readonly string[]): Macro | undefined => {
    for (const adapter of adapters) {
      for (const pkg of packages) {
        const macro = registry.inPackage(pkg, `materialization_${name}_${adapter}`);
        if (macro) return macro;
      }
    }
    return undefined;
  };
  const best = first([registry.rootPackage, ...installed, ...internal]);
  if (!best || !installed.includes(best.package_name) || registry.packageMaterializationOverrides) return best;
  return first(internal) ? first([registry.rootPackage, ...internal]) : best;
}

export function materializationNotFound(node: CompiledNode, name: string, adapterChain: readonly string[]): TsdbtError {
  return new TsdbtError('MACRO_NOT_FOUND', `No materialization '${name}' was found for adapter ${adapterChain[0]}! (searched types 'default' and '${adapterChain.join("', '")}')`, {
    file: node.original_file_path,
    hint: `Use a built-in materialization (view, table, incremental, ephemeral), or define {% materialization ${name}, default %} in your macros.`,
  });
}
