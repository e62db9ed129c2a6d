import { markShared } from '../util/shared-json.js';
import { finaliseConfig } from './node-defaults.js';
import type { ConfigLayer } from './config-merge.js';
import type { NodeConfig } from '../manifest/types.js';

/**
 * Generic tests' configs, one object for every test whose merged config
 * layer is the same (a 10,000-model project's 30,000 tests have one between
 * them): frozen, nested values too (util/shared-json.ts), and its JSON made
 * once for the manifest and the parse cache. Made for each test, they were
 * ~13 objects a test kept to the end of the parse (copied out of V8's young
 * generation) and 16 MB of a 10,000-model manifest serialised again and again.
 * Only a test no template of a user's sees at parse may share one (the
 * caller's choice: parse.ts gives the others their own).
 */
export class TestConfigPool {
  private readonly byLayer = new Map<string, NodeConfig>();

  /** `sharing`: false makes a config for each test, as before (the fast paths off). */
  constructor(private readonly sharing: boolean) {}

  /** finaliseConfig('test', layer), the pool's shared one when the layer is plain JSON data. */
  config(layer: ConfigLayer): NodeConfig {
    const key = this.sharing ? jsonDataText(layer) : undefined;
    if (key === undefined) return finaliseConfig('test', layer);
    let config = this.byLayer.get(key);
    if (config === undefined) {
      // Made from a copy (the text parsed), so freezing it freezes nothing of the project's config trees.
      config = markShared(finaliseConfig('test', JSON.parse(key) as ConfigLayer));
      this.byLayer.set(key, config);
    }
    return config;
  }
}

/** JSON.stringify(layer) when JSON.parse of it gives the same data back (strings, finite numbers, booleans, null, arrays, plain objects); else undefined. */
function jsonDataText(layer: ConfigLayer): string | undefined {
  return isJsonData(layer, 0) ? JSON.stringify(layer) : undefined;
}

function isJsonData(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || depth > 20) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isJsonData(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || !isJsonData((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}
