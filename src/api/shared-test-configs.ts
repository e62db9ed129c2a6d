import type { CompiledNode } from '../manifest/types.js';
import { deepFreeze } from '../util/deep-freeze.js';

/**
 * Node JSON parsed with one config object shared by every generic test
 * whose config text is the same and whose macros are all dbt's own (a
 * 10,000-model project's 30,000 tests have a handful of configs between
 * them). A compile of a whole project reads every node from the parse
 * cache (mapped-cache-body.ts allNodesOf) and keeps them all to the end:
 * parsed one by one, each test kept ~30 config objects of its own, and
 * promoting them out of V8's young generation was a good part of the
 * read's cost (at 10,000 models: 0.25 s less wall, 50 MB less peak).
 *
 * A shared config is frozen, nested objects too: nothing after the parse
 * changes a node's config, and a change made anyway fails where it is made
 * instead of reaching every test that shares it. Only tests whose macros
 * are all dbt's own share one (the built-in generic tests; a package's or
 * the project's test macro sees its node as `model` and may change it, as
 * elementary's python test does), so no template of a user's sees a
 * shared config but through `graph` or an overridden test materialization.
 */
export class SharedTestConfigs {
  private readonly byText = new Map<string, CompiledNode['config']>();

  /** The node whose JSON is `b`'s bytes from `start` to `end`. */
  parse(b: Buffer, start: number, end: number): CompiledNode {
    return this.split(b, start, end) ?? (JSON.parse(b.toString('utf8', start, end)) as CompiledNode);
  }

  /** The node parsed in two parts, its config and the rest; undefined when they are not that (a key of those names inside another member). */
  private split(b: Buffer, start: number, end: number): CompiledNode | undefined {
    const at = b.indexOf(CONFIG_KEY, start);
    const stop = at < 0 || at >= end ? -1 : b.indexOf(AFTER_CONFIG, at);
    if (stop < 0 || stop >= end) return undefined;
    let node: CompiledNode;
    try {
      node = JSON.parse(`${b.toString('utf8', start, at)}${PLACEHOLDER}${b.toString('utf8', stop, end)}`) as CompiledNode;
    } catch {
      return undefined;
    }
    // The placeholder is the node's own config only if the node reads it back.
    if ((node.config as unknown) !== 0) return undefined;
    const text = b.toString('utf8', at + CONFIG_KEY.length - 1, stop);
    if (!builtInTest(node)) {
      node.config = JSON.parse(text) as CompiledNode['config'];
      return node;
    }
    let config = this.byText.get(text);
    if (config === undefined) {
      config = deepFreeze(JSON.parse(text) as CompiledNode['config']);
      this.byText.set(text, config);
    }
    node.config = config;
    return node;
  }
}

/** Where a node's config begins and ends as the cache writes nodes (JSON.stringify's order: config, then unrendered_config). */
const CONFIG_KEY = Buffer.from(',"config":{');
const AFTER_CONFIG = Buffer.from(',"unrendered_config":');
const PLACEHOLDER = ',"config":0';

/** A generic test whose macros are all dbt's own (test_unique, test_not_null, ...). */
function builtInTest(node: CompiledNode): boolean {
  const n = node as CompiledNode & { test_metadata?: unknown };
  if (n.resource_type !== 'test' || !n.test_metadata || !Array.isArray(n.depends_on?.macros)) return false;
  for (const m of n.depends_on.macros) if (typeof m !== 'string' || !m.startsWith('macro.dbt.')) return false;
  return true;
}
