import type { MacroFile, MacroRegistry } from '../context/macro-registry.js';
import type { ParseCapture } from '../context/parse-context.js';
import type { CompiledNode } from '../manifest/types.js';
import { hashText } from '../util/file-states.js';
import type { ParseReads } from './partial-parse-reads.js';

/** How renders and reads are keyed: a file and the node it holds (a properties file can hold several YAML snapshots). */
export const renderFileKey = (file: string, uniqueId: string): string => `${file}\0${uniqueId}`;

/** What the memo reads of a parse's node file records (parse.ts's NodeFileRef). */
interface NodeFileRef {
  file: string;
  uniqueId: string;
  reads?: ParseReads;
}

/** Where a reused render's reads are replayed: the parse's observer, and its recording env for env vars. */
export interface RenderReplay {
  macro(uniqueId: string): void;
  env(name: string): void;
}

/** What rendering a node file at parse yielded, under the key of everything the render saw of the node. */
export interface RenderEntry {
  key: string;
  capture: ParseCapture;
}

/**
 * Renders of node files kept across parses. A node file's parse-time render
 * is a function of the node as the template sees it (its file text, path,
 * name, fqn, version: the node before rendering), the config it starts from
 * (dbt_project.yml and its properties patch), and what the render read: the
 * macros it ran and the env vars it read (vars, target, flags and project
 * config are in the cache key). So a render is reused when the node and
 * config hash to the same key and none of its macros or env vars changed,
 * and the macro names are the same (a new macro could shadow a name any
 * render looked up). Everything after the render (patches, tests, names,
 * refs, errors, warnings) is computed afresh: a parse that reuses renders is
 * a full parse with less Jinja, equal to one by construction.
 */
export class RenderMemo {
  private usable: boolean | undefined;
  /** Renders reused and renders done, for the debug log. */
  readonly counts = { reused: 0, rendered: 0 };

  constructor(
    /** file key → render, from the cached parse (kept up to date as renders are reused or redone). */
    readonly entries: Record<string, RenderEntry>,
    /** file → what its render read, from the cached parse. */
    private readonly readsOf: ReadonlyMap<string, ParseReads>,
    /** Macros of changed or deleted macro files, and changed env vars: renders that read one are redone. */
    private readonly stale: { macros: ReadonlySet<string>; env: ReadonlySet<string> },
    /** The cached parse's macro files (a render is reused only under the same macro names). */
    private readonly macroFilesBefore: readonly MacroFile[],
    /** Told what a reused render read, as if it had run (the env var through the parse's recording env). */
    private readonly replay: RenderReplay,
  ) {}

  /** Call once the parse's macros are read: renders are reused only if every macro name is the same. */
  begin(registry: MacroRegistry): void {
    const ids = (files: readonly MacroFile[]) => files.flatMap((f) => f.macros.map((m) => m.unique_id)).sort().join('\n');
    this.usable = ids(this.macroFilesBefore) === ids(registry.files());
  }

  /** The key of a node file's render: the node as its template sees it and the config it starts from (undefined: not kept). */
  key(node: CompiledNode, config: unknown): string | undefined {
    // Only plain data hashes faithfully through JSON (a value JSON drops or flattens could hide a difference).
    if (!plainData(config)) return undefined;
    return hashText(`${JSON.stringify(node)}\0${JSON.stringify(config)}`);
  }

  /** The kept render of `file` under `key`, its reads replayed into the observer; undefined: render it. */
  reuse(file: string, key: string): ParseCapture | undefined {
    this.counts.rendered++;
    if (!this.usable) return undefined;
    const entry = this.entries[file];
    const reads = this.readsOf.get(file);
    if (!entry || entry.key !== key || !reads) return undefined;
    if (reads.macros.some((m) => this.stale.macros.has(m)) || reads.env.some((n) => this.stale.env.has(n))) return undefined;
    this.counts.rendered--;
    this.counts.reused++;
    for (const m of reads.macros) this.replay.macro(m);
    for (const n of reads.env) this.replay.env(n);
    return structuredClone(entry.capture);
  }

  /** Keep a fresh render (only one that JSON carries whole: plain data all through). */
  store(file: string, key: string, capture: ParseCapture): void {
    const copy = plainCopy(capture);
    if (copy !== NOT_PLAIN) this.entries[file] = { key, capture: copy as ParseCapture };
    else delete this.entries[file];
  }

  /** The renders of the node files a parse ended with (others dropped). */
  kept(records: readonly NodeFileRef[]): Record<string, RenderEntry> {
    const out: Record<string, RenderEntry> = {};
    for (const r of records) {
      const k = renderFileKey(r.file, r.uniqueId);
      if (this.entries[k]) out[k] = this.entries[k]!;
    }
    return out;
  }
}

const NOT_PLAIN = Symbol('not plain data');

/**
 * A deep copy of `v` when plainData(v) (what structuredClone makes of it), else NOT_PLAIN:
 * one walk instead of a check and a serialising clone.
 */
function plainCopy(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : NOT_PLAIN;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) continue; // a hole stays a hole, as structuredClone keeps it (and plainData skips it)
      const x = plainCopy(v[i]);
      if (x === NOT_PLAIN) return NOT_PLAIN;
      out[i] = x;
    }
    return out;
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as object)) {
      const c = plainCopy(x);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      if (k === '__proto__') Object.defineProperty(out, k, { value: c, writable: true, enumerable: true, configurable: true });
      else out[k] = c;
    }
    return out;
  }
  return NOT_PLAIN;
}

/** True when JSON round-trips `v` unchanged: null, booleans, finite numbers, strings, arrays and plain objects, no undefined (and so does a structured clone). */
export function plainData(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(plainData);
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(v as object).every(plainData);
  }
  return false;
}

/**
 * A memo over a cached parse's renders, for a parse after `changed` and
 * `deleted` files and `changedEnv`; with no cached parse, an empty one that
 * only keeps this parse's renders.
 */
export function renderMemoFor(
  cached: { nodeFiles: readonly NodeFileRef[]; renders?: Record<string, RenderEntry> } | undefined,
  macroFiles: readonly MacroFile[],
  changes: { changed: readonly string[]; deleted: readonly string[]; env: readonly string[] },
  replay: RenderReplay,
): RenderMemo {
  const readsOf = new Map<string, ParseReads>();
  for (const r of cached?.nodeFiles ?? []) if (r.reads) readsOf.set(renderFileKey(r.file, r.uniqueId), r.reads);
  const touched = new Set([...changes.changed, ...changes.deleted]);
  const macros = new Set(macroFiles.filter((f) => touched.has(f.path)).flatMap((f) => f.macros.map((m) => m.unique_id)));
  return new RenderMemo({ ...cached?.renders }, readsOf, { macros, env: new Set(changes.env) }, cached ? macroFiles : [], replay);
}
