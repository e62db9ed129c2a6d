import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';
import { applyRefAt, type RefAt } from './parse-cache.js';

/**
 * The data tests of a whole compile, held as their JSON text from the parse
 * cache instead of as parsed objects: each is parsed when read (a fresh
 * object each time), compiled, and dropped. At 10,000 models a compile's
 * 30,000 tests were ~60 MB of objects that survived every young-generation
 * collection until the end; parsed just before they compile, they die young.
 * Nothing refs a test, so only the compile loop (and `graph`, or a writer
 * serialising every node) reads one.
 *
 * A test's compiled members (compiled_code, compiled_path) are kept here
 * after its compile (settle) and put back on every later read, so a read
 * gives what the kept object would have been. A test a template may have
 * changed in place while it compiled, or one assigned anew, is kept whole
 * (pinned) and read as that object from then on.
 */
export class TransientNodes {
  private readonly pinned = new Map<string, CompiledNode>();
  private readonly compiled = new Map<string, Pick<CompiledNode, 'compiled_code' | 'compiled_path'>>();

  constructor(
    private readonly texts: Map<string, string>,
    private readonly refAt: Record<string, RefAt[]>,
  ) {}

  /** Whether `id` is one of these nodes. */
  holds(id: string): boolean {
    return this.texts.has(id);
  }

  /** The node as the kept object would be: its pinned object, or its text parsed with its ref locations and compiled members. */
  node(id: string): CompiledNode {
    const pinned = this.pinned.get(id);
    if (pinned) return pinned;
    let node: CompiledNode;
    try {
      node = JSON.parse(this.texts.get(id)!) as CompiledNode;
    } catch (e) {
      throw new TsdbtError('INTERNAL', `target/partial_parse.json holds a node that does not read back (${id}: ${(e as Error).message})`, {
        hint: 'Run the command again with --no-partial-parse to parse the project afresh.',
      });
    }
    const at = this.refAt[`n:${id}`];
    if (at) applyRefAt(node, at);
    const members = this.compiled.get(id);
    if (members?.compiled_code !== undefined) node.compiled_code = members.compiled_code;
    if (members?.compiled_path !== undefined) node.compiled_path = members.compiled_path;
    return node;
  }

  /** Keep `node` as the node `id` from now on (assigned, or maybe changed in place). */
  pin(id: string, node: CompiledNode): void {
    this.pinned.set(id, node);
  }

  /** After `node` (a read of `id`) compiled: keep its compiled members, or the whole object when `changed` (a template may have changed it). */
  settle(id: string, node: CompiledNode, changed: boolean): void {
    if (changed || this.pinned.has(id)) {
      this.pin(id, node);
      return;
    }
    this.compiled.set(id, { compiled_code: node.compiled_code, compiled_path: node.compiled_path });
  }

  /** The compiled members a read of `id` gets (for manifest.json's copied nodes), without parsing it. */
  compiledOf(id: string): Pick<CompiledNode, 'compiled_code' | 'compiled_path'> {
    return this.pinned.get(id) ?? this.compiled.get(id) ?? {};
  }

  /** True when no node here has compiled members or was pinned: each is as the parse cache holds it. */
  asParsed(): boolean {
    return this.pinned.size === 0 && this.compiled.size === 0;
  }

  forget(id: string): void {
    this.texts.delete(id);
    this.pinned.delete(id);
    this.compiled.delete(id);
  }
}

const ofNodes = new WeakMap<object, { transient: TransientNodes; eager: Record<string, CompiledNode> }>();

/**
 * A nodes object (manifest.nodes) over `ids` in this order: each held by
 * `transient` read through it, the others from `eager`. It behaves as a plain
 * object to every reader (keys, spread, Object.values, JSON.stringify, in,
 * assignment, delete).
 */
export function nodesWithTransient(ids: readonly string[], eager: Record<string, CompiledNode>, transient: TransientNodes): Record<string, CompiledNode> {
  // The target holds every key in order: eager nodes as themselves, transient ones as undefined.
  const target: Record<string, CompiledNode | undefined> = {};
  for (const id of ids) target[id] = transient.holds(id) ? undefined : eager[id];
  const proxy = new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'string') {
        const v = t[key];
        if (v !== undefined || !transient.holds(key)) return v ?? Reflect.get(t, key, receiver);
        return transient.node(key);
      }
      return Reflect.get(t, key, receiver);
    },
    set(t, key, value, receiver) {
      if (typeof key === 'string' && transient.holds(key)) {
        transient.pin(key, value as CompiledNode);
        return true;
      }
      return Reflect.set(t, key, value, receiver);
    },
    deleteProperty(t, key) {
      if (typeof key === 'string') transient.forget(key);
      return Reflect.deleteProperty(t, key);
    },
  }) as Record<string, CompiledNode>;
  ofNodes.set(proxy, { transient, eager: target as Record<string, CompiledNode> });
  return proxy;
}

/** The transient nodes behind a nodes object made by nodesWithTransient; undefined for any other object. */
export function transientNodesOf(nodes: object): TransientNodes | undefined {
  return ofNodes.get(nodes)?.transient;
}

/** The nodes of a nodes object made by nodesWithTransient that are plain objects (not transient), by id; undefined for any other object. */
export function eagerNodesOf(nodes: object): Record<string, CompiledNode | undefined> | undefined {
  return ofNodes.get(nodes)?.eager;
}
