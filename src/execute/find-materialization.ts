import type { MacroRegistry } from '../context/macro-registry.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode, Macro } from '../manifest/types.js';

/**
 * The macro implementing a materialization: `materialization_<name>_<adapter>`
 * for each adapter of the chain, then `materialization_<name>_default`; for
 * each, the root project first, then installed packages, then the built-in
 * ones. An adapter-specific macro wins over a default one wherever it lives,
 * as in dbt.
 */
export function findMaterialization(registry: MacroRegistry, name: string, adapterChain: readonly string[]): Macro | undefined {
  const internal = registry.internalPackages;
  const installed = registry.packageNames().filter((p) => p !== registry.rootPackage && !internal.includes(p)).sort();
  const packages = [registry.rootPackage, ...installed, ...internal];
  for (const adapter of [...adapterChain, 'default']) {
    for (const pkg of packages) {
      const macro = registry.inPackage(pkg, `materialization_${name}_${adapter}`);
      if (macro) return macro;
    }
  }
  return undefined;
}

export function materializationNotFound(node: CompiledNode, name: string, adapterChain: readonly string[]): TsdbtError {
  return new TsdbtError('MACRO_NOT_FOUND', `No materialization '${name}' was found for adapter ${adapterChain[0]}! (searched types 'default' and '${adapterChain.join("', '")}')`, {
    file: node.original_file_path,
    hint: `Use a built-in materialization (view, table, incremental, ephemeral), or define {% materialization ${name}, default %} in your macros.`,
  });
}
