import { INTERNAL_PACKAGE, type MacroRegistry } from '../context/macro-registry.js';
import type { Macro } from '../manifest/types.js';
import { splitTestName } from './generic-test-names.js';

/**
 * The macro implementing a generic test, as dbt resolves `test_<name>`:
 * a bare name looks in the package declaring the test, the root project,
 * then installed packages (alphabetically), then the built-in ones, so a
 * project or package `accepted_range` wins over tsdbt's. A namespaced name
 * (`dbt_utils.accepted_range`) looks only in that package, except that a
 * namespace that is not installed falls back to the built-in test of that
 * name (tsdbt ships dbt_utils' most used tests); `dbt.x` is the built-in.
 */
export function findGenericTest(registry: MacroRegistry, testName: string, fromPackage: string): Macro | undefined {
  const [namespace, name] = splitTestName(testName);
  const macroName = `test_${name}`;
  const builtIn = () => {
    for (const p of registry.internalPackages) {
      const m = registry.inPackage(p, macroName);
      if (m) return m;
    }
    return undefined;
  };
  if (namespace === INTERNAL_PACKAGE) return builtIn();
  if (namespace) return registry.hasPackage(namespace) ? registry.inPackage(namespace, macroName) : builtIn();
  const internal = new Set(registry.internalPackages);
  const installed = registry.packageNames().filter((p) => p !== registry.rootPackage && p !== fromPackage && !internal.has(p)).sort();
  for (const p of [fromPackage, registry.rootPackage, ...installed]) {
    const m = registry.inPackage(p, macroName);
    if (m) return m;
  }
  return builtIn();
}
