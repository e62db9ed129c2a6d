import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import type { JinjaEnvironment, RenderContext } from '../jinja/index.js';
import type { CompiledNode } from '../manifest/types.js';
import { baseContext, varFunction, type Logger } from './base-context.js';
import type { MacroRegistry } from './macro-registry.js';
import { MacroResolver, type DispatchConfig } from './macro-resolver.js';
import { parseNodeContext, parseStaticContext, type ParseCapture } from './parse-context.js';
import { pyFunction } from '../jinja/index.js';
import { fastPaths } from '../util/fast-paths.js';
import type { SecretRegistry, VarResolver } from './vars.js';

/** Everything shared by the contexts of one invocation. */
export interface ContextShared {
  env: JinjaEnvironment;
  registry: MacroRegistry;
  dispatch: DispatchConfig;
  adapter: AdapterInfo;
  projectName: string;
  target: Record<string, unknown>;
  vars: VarResolver;
  osEnv: Record<string, string | undefined>;
  secrets: SecretRegistry;
  invocationId: string;
  runStartedAt: Date;
  flags: Record<string, unknown>;
  logger: Logger;
  /**
   * dbt's RuntimeConfig as packages read it through `builtins.ref.config`
   * (`.project_name`, `.dependencies[pkg].version`).
   */
  runtimeConfig?: Record<string, unknown>;
  /** Told of every macro a parse context runs, at any depth (partial parsing's record of what each file read). */
  onMacroCall?: (uniqueId: string) => void;
}

/** Plain dict view of a node, as `model` / `node` in templates. */
export function nodeDict(node: CompiledNode): Record<string, unknown> {
  return node as unknown as Record<string, unknown>;
}

/**
 * Builds render contexts. A context's names come from `vars`; macros and
 * package namespaces resolve lazily through a MacroResolver bound to it.
 */
export class ContextFactory {
  /** Per package: the parse context's shared part (base context + adapter stand-ins). */
  private readonly parseStatic = new Map<string, Record<string, unknown>>();
  /** Per package: names of the root's and the package's own macros (they shadow context members). */
  private readonly macroNames = new Map<string, Set<string>>();
  /** Per phase (executing or not): the base context's members that no node changes. */
  private readonly baseMembers = new Map<boolean, Record<string, unknown>>();
  /** Per package: the parse context and resolver each node's parse reuses, with the node's own vars (see forParse). */
  private readonly parseReused = new Map<string, { context: RenderContext; resolver: MacroResolver }>();
  /** Per package: each shadowing macro name's place in shadowingMacros' order. */
  private readonly shadowOrder = new Map<string, Map<string, number>>();
  /** The parseStatic values: prototypes of parse contexts' vars that no one changes after they are built. */
  private readonly parseParts = new WeakSet<object>();
  /** Per parse part (parseParts), per package: the shadowing macro names along its prototype chain (see shadowedMembers). */
  private readonly protoHits = new WeakMap<object, Map<string, string[]>>();

  constructor(readonly shared: ContextShared) {}

  /**
   * dbt's base context for a package. `renderIn`: the context string vars are
   * rendered in when var() reads them (the caller's own).
   */
  base(packageName: string, executing: boolean, nodeName?: string, renderIn?: RenderContext): Record<string, unknown> {
    const s = this.shared;
    const renderVar = renderIn && ((text: string) => s.env.renderString(text, `var value`, renderIn));
    if (fastPaths()) {
      // Only var() depends on the node: the rest is built once per invocation and phase (it walked
      // process.env and made ~40 closures for every node). Plain dicts are copied, as each context had its own.
      let members = this.baseMembers.get(executing);
      if (!members) {
        members = this.buildBase('', executing);
        this.baseMembers.set(executing, members);
      }
      const out: Record<string, unknown> = { ...members, var: varFunction({ vars: s.vars, packageName, nodeName, renderVar }) };
      for (const k of ['invocation_args_dict', 'dbt_metadata_envs', 'flags']) out[k] = { ...(members[k] as object) };
      return out;
    }
    return this.buildBase(packageName, executing, nodeName, renderVar);
  }

  private buildBase(packageName: string, executing: boolean, nodeName?: string, renderVar?: (text: string) => unknown): Record<string, unknown> {
    const s = this.shared;
    return baseContext({
      projectName: s.projectName,
      packageName,
      nodeName,
      target: s.target,
      vars: s.vars,
      env: s.osEnv,
      secrets: s.secrets,
      invocationId: s.invocationId,
      runStartedAt: s.runStartedAt,
      flags: s.flags,
      logger: s.logger,
      executing,
      renderVar,
    });
  }

  /** A RenderContext whose macros resolve from `packageName`'s point of view. */
  assemble(packageName: string, vars: Record<string, unknown>): { context: RenderContext; resolver: MacroResolver } {
    const context: RenderContext = { vars };
    const resolver = new MacroResolver(this.shared.env, this.shared.registry, this.shared.dispatch, packageName, () => context);
    context.resolve = resolver.resolve;
    return { context, resolver };
  }

  /** The parse-phase context for a node (dbt's parse provider). */
  forParse(node: CompiledNode, capture: ParseCapture, currentConfig: () => Record<string, unknown>): { context: RenderContext; resolver: MacroResolver } {
    const a = this.shared.adapter;
    let staticPart = this.parseStatic.get(node.package_name);
    if (!staticPart) {
      staticPart = parseStaticContext(this.base(node.package_name, false), {
        relation: (spec) => a.makeRelation({ database: a.database, schema: a.schema, ...spec } as never),
        quote: (s) => a.quote(s),
        adapterType: a.type,
        column: a.column,
      });
      this.parseStatic.set(node.package_name, staticPart);
      this.parseParts.add(staticPart);
    }
    // One context and resolver per package, given each node's own vars: the macros bound for one node
    // serve the next (they read names through the context as they run), instead of every node running
    // each macro file it uses again. Not while a macro of the package's context is running.
    let reused = fastPaths() ? this.parseReused.get(node.package_name) : undefined;
    if (fastPaths() && !reused) {
      const context: RenderContext = { vars: {} };
      const resolver = new MacroResolver(this.shared.env, this.shared.registry, this.shared.dispatch, node.package_name, () => context);
      context.resolve = resolver.resolve;
      reused = { context, resolver };
      this.parseReused.set(node.package_name, reused);
    }
    let context: RenderContext;
    let resolver: MacroResolver;
    if (reused && !reused.resolver.busy) ({ context, resolver } = reused);
    else {
      const fresh: RenderContext = (context = { vars: {} });
      resolver = new MacroResolver(this.shared.env, this.shared.registry, this.shared.dispatch, node.package_name, () => fresh);
      context.resolve = resolver.resolve;
    }
    resolver.trackCalls((id) => {
      if (!capture.macros.includes(id)) capture.macros.push(id);
    }, this.shared.onMacroCall);
    const vars = parseNodeContext(staticPart, capture, {
      relation: (spec) => a.makeRelation({ database: a.database, schema: a.schema, ...spec } as never),
      thisRelation: a.makeRelation({ database: a.database, schema: a.schema, identifier: node.name }),
      dispatch: (name, ns) => resolver.dispatch(name, ns),
      model: nodeDict(node),
      currentConfig,
    });
    vars.var = varFunction({
      vars: this.shared.vars,
      packageName: node.package_name,
      nodeName: node.name,
      renderVar: (text) => this.shared.env.renderString(text, 'var value', context),
      missingVarIsNone: true,
    });
    vars.render = pyFunction(([text]) => this.shared.env.renderString(String(text ?? ''), node.original_file_path, context));
    context.vars = vars;
    this.finish(context, node.package_name);
    return { context, resolver };
  }

  /**
   * The user's macros that share a context member's name (`ref`, `source`,
   * `config`, ... in the root project or the node's package), as in dbt where
   * macros are laid over the context.
   */
  shadowingMacros(packageName: string): Set<string> {
    let names = this.macroNames.get(packageName);
    if (!names) {
      const r = this.shared.registry;
      names = new Set([...r.macrosOf(r.rootPackage).keys(), ...r.macrosOf(packageName).keys()]);
      this.macroNames.set(packageName, names);
    }
    return names;
  }

  /**
   * The names of shadowingMacros(packageName) that `vars` has (as its own
   * property or along its prototypes), in shadowingMacros' order: every name
   * of that set whose `vars[name]` can be defined. A package has hundreds
   * of macros and a context about a hundred members, so the members are
   * looked up in the set rather than each macro name in the context.
   */
  private shadowedMembers(vars: Record<string, unknown>, packageName: string): string[] {
    const names = this.shadowingMacros(packageName);
    let order = this.shadowOrder.get(packageName);
    if (!order) {
      order = new Map([...names].map((n, i) => [n, i]));
      this.shadowOrder.set(packageName, order);
    }
    const hits: string[] = [];
    for (const k of Object.getOwnPropertyNames(vars)) if (names.has(k) && !hits.includes(k)) hits.push(k);
    // Along the prototypes: for a package's shared parse part (~100 members, never changed once built) looked up once per package.
    const proto = Object.getPrototypeOf(vars) as object | null;
    if (proto !== null && !this.parseParts.has(proto)) {
      for (let o: object | null = proto; o !== null; o = Object.getPrototypeOf(o) as object | null) {
        for (const k of Object.getOwnPropertyNames(o)) if (names.has(k) && !hits.includes(k)) hits.push(k);
      }
    } else if (proto !== null) {
      let byPackage = this.protoHits.get(proto);
      if (!byPackage) this.protoHits.set(proto, (byPackage = new Map()));
      let inherited = byPackage.get(packageName);
      if (!inherited) {
        inherited = [];
        for (let o: object | null = proto; o !== null; o = Object.getPrototypeOf(o) as object | null) {
          for (const k of Object.getOwnPropertyNames(o)) if (names.has(k) && !inherited.includes(k)) inherited.push(k);
        }
        byPackage.set(packageName, inherited);
      }
      for (const k of inherited) if (!hits.includes(k)) hits.push(k);
    }
    if (hits.length > 1) hits.sort((a, b) => order.get(a)! - order.get(b)!);
    return hits;
  }

  /**
   * Complete a context as dbt's to_dict() does: `builtins` holds every
   * context member (so `builtins.ref` is dbt's ref even where a package
   * overrides `ref` with a macro), `context` is the context itself as a dict
   * (`context.get('macro_name')`, `context['var']`), and the user's macros
   * named like a member replace it. `sameNames`: kept between contexts whose
   * vars have the same member names (a package's reused runtime contexts).
   */
  finish(context: RenderContext, packageName: string, sameNames?: { shadowed?: string[] }): void {
    const vars = context.vars;
    const shadowed: Record<string, unknown> = {};
    // Contexts whose vars have the same names as the last one `sameNames` saw shadow the same members.
    const names = sameNames?.shadowed ?? this.shadowedMembers(vars, packageName);
    if (sameNames) sameNames.shadowed = names;
    for (const name of names) {
      if (vars[name] === undefined) continue;
      shadowed[name] = vars[name];
      vars[name] = undefined;
    }
    const lookup = (name: string): unknown => (vars[name] !== undefined ? vars[name] : context.resolve?.(name));
    // `builtins.ref.config` is dbt's RuntimeConfig (Tuva and elementary read package versions from it).
    const ref = shadowed.ref ?? vars.ref;
    if (typeof ref === 'function' && this.shared.runtimeConfig && !Object.prototype.hasOwnProperty.call(ref, 'config')) {
      Object.defineProperty(ref, 'config', { value: this.shared.runtimeConfig, enumerable: true });
    }
    vars.builtins = new Proxy(Object.create(null) as Record<string, unknown>, {
      get: (_t, k) => (typeof k !== 'string' ? undefined : k in shadowed ? shadowed[k] : vars[k]),
      has: (_t, k) => typeof k === 'string' && (k in shadowed || vars[k] !== undefined),
    });
    vars.context = new Proxy(Object.create(null) as Record<string, unknown>, {
      get: (_t, k) => {
        if (typeof k !== 'string') return undefined;
        if (k === 'get') return pyFunction((args, kwargs) => lookup(String(args[0])) ?? args[1] ?? kwargs.default ?? null);
        return lookup(k);
      },
      has: (_t, k) => typeof k === 'string' && lookup(k) !== undefined,
    });
  }
}
