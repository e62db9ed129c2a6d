import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import type { JinjaEnvironment, RenderContext } from '../jinja/index.js';
import type { CompiledNode, Macro } from '../manifest/types.js';
import { baseContext, varFunction, type Logger } from './base-context.js';
import { INTERNAL_PACKAGE, type MacroRegistry } from './macro-registry.js';
import { pureTypeMacro } from './pure-type-macros.js';
import { MacroResolver, type DispatchConfig } from './macro-resolver.js';
import { parseNodeContext, parseStaticContext, type ParseCapture } from './parse-context.js';
import { contextVar, pyFunction } from '../jinja/index.js';
import { readsOnly, type PureVocabulary } from '../jinja/pure-template.js';
import { fastPaths } from '../util/fast-paths.js';
import { remembered } from '../util/remembered.js';
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

/**
 * What a var value may read and call for parseTimeVarRender: members every
 * parse context of a package has alike, whose reads and calls have no effect.
 */
const VAR_VALUE_VOCABULARY: PureVocabulary = {
  names: new Set(['run_started_at', 'modules', 'target']),
  callable: new Set(),
  filters: new Set(['lower', 'upper', 'trim', 'string', 'int', 'float', 'default', 'd', 'replace', 'length']),
  tests: new Set(['none', 'defined', 'undefined', 'string', 'number']),
  methodsOf: new Set(['run_started_at', 'modules']),
};

/** The base context's plain dicts: each context gets its own copy (ContextFactory.baseOwn). */
const BASE_DICTS = ['invocation_args_dict', 'dbt_metadata_envs', 'flags'] as const;

const isPlainDict = (v: unknown): boolean => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

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
  /** Per package: parseTimeVarRender's answers per var value. */
  private readonly varRenders = new Map<string, Map<string, boolean | null>>();
  /** Per package: a resolver for parseTimeMacroCall's dispatch lookups (it binds nothing). */
  private readonly dispatchResolvers = new Map<string, MacroResolver>();
  /** Per package: each shadowing macro name's place in shadowingMacros' order. */
  private readonly shadowOrder = new Map<string, Map<string, number>>();
  /** The parseStatic values: prototypes of parse contexts' vars that no one changes after they are built. */
  private readonly parseParts = new WeakSet<object>();
  /** Per parse part (parseParts), per package: the shadowing macro names along its prototype chain (see shadowedMembers). */
  private readonly protoHits = new WeakMap<object, Map<string, string[]>>();
  /** Per key: the prototype of runtime contexts' vars (see runtimePrototype). */
  private readonly runtimeProtos = new WeakMap<object, { proto: Record<string, unknown>; dicts: string[] }>();

  constructor(readonly shared: ContextShared) {}

  /**
   * dbt's base context for a package. `renderIn`: the context string vars are
   * rendered in when var() reads them (the caller's own).
   */
  base(packageName: string, executing: boolean, nodeName?: string, renderIn?: RenderContext): Record<string, unknown> {
    const s = this.shared;
    if (fastPaths()) {
      // Only var() depends on the node: the rest is built once per invocation and phase (it walked
      // process.env and made ~40 closures for every node). Plain dicts are copied, as each context had its own.
      return { ...this.sharedBase(executing), ...this.baseOwn(packageName, executing, nodeName, renderIn) };
    }
    const renderVar = renderIn && ((text: string) => s.env.renderString(text, `var value`, renderIn));
    return this.buildBase(packageName, executing, nodeName, renderVar);
  }

  /** fastPaths: the base context's members no node changes, built once per invocation and phase. */
  private sharedBase(executing: boolean): Record<string, unknown> {
    let members = this.baseMembers.get(executing);
    if (!members) {
      members = this.buildBase('', executing);
      this.baseMembers.set(executing, members);
    }
    return members;
  }

  /**
   * fastPaths: the members of base() each context has its own of: var()
   * (it depends on the node) and copies of the plain dicts (as each context
   * had its own, a template changing one changes no other context's).
   */
  baseOwn(packageName: string, executing: boolean, nodeName?: string, renderIn?: RenderContext): Record<string, unknown> {
    const s = this.shared;
    const members = this.sharedBase(executing);
    const renderVar = renderIn && ((text: string) => s.env.renderString(text, `var value`, renderIn));
    const out: Record<string, unknown> = { var: varFunction({ vars: s.vars, packageName, nodeName, renderVar }) };
    for (const k of BASE_DICTS) out[k] = { ...(members[k] as object) };
    return out;
  }

  /**
   * fastPaths: the prototype of runtime contexts' vars (runtime-context.ts),
   * made once per `key`: the executing base context's shared members with
   * `more(arg)` laid over them (each node's own members go on the vars
   * themselves, over these). `dicts`: the members of `more(arg)` that are
   * plain dicts, which each context copies as its own. Never changed once
   * built (it is a parse part: shadowedMembers' lookups along it are kept).
   */
  runtimePrototype<T extends object>(key: object, more: (arg: T) => Record<string, unknown>, arg: T): { proto: Record<string, unknown>; dicts: string[] } {
    let made = this.runtimeProtos.get(key);
    if (!made) {
      const extra = more(arg);
      const proto = Object.assign({}, this.sharedBase(true), extra);
      const dicts = Object.keys(extra).filter((k) => isPlainDict(extra[k]));
      made = { proto, dicts };
      this.parseParts.add(proto);
      this.runtimeProtos.set(key, made);
    }
    return made;
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
  forParse(node: CompiledNode, capture: ParseCapture): { context: RenderContext; resolver: MacroResolver } {
    const a = this.shared.adapter;
    const staticPart = this.parseStaticPart(node.package_name);
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
    resolver.testParse = node.resource_type === 'test';
    const vars = parseNodeContext(staticPart, capture, {
      relation: (spec) => a.makeRelation({ database: a.database, schema: a.schema, ...spec } as never),
      thisRelation: a.makeRelation({ database: a.database, schema: a.schema, identifier: node.name }),
      dispatch: (name, ns) => resolver.dispatch(name, ns),
      model: nodeDict(node),
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

  /** The members of `packageName`'s parse contexts that no node changes (the prototype of each node's vars). */
  private parseStaticPart(packageName: string): Record<string, unknown> {
    let staticPart = this.parseStatic.get(packageName);
    if (!staticPart) {
      const a = this.shared.adapter;
      staticPart = parseStaticContext(this.base(packageName, false), {
        relation: (spec) => a.makeRelation({ database: a.database, schema: a.schema, ...spec } as never),
        quote: (s) => a.quote(s),
        adapterType: a.type,
        column: a.column,
      });
      this.parseStatic.set(packageName, staticPart);
      this.parseParts.add(staticPart);
    }
    return staticPart;
  }

  /**
   * What rendering a call `namespace.name()` (no arguments) in the template
   * of a node of `packageName` records at parse, when nothing else can come
   * of it: the called macro's unique id (dbt's depends_on.macros), or
   * undefined when only a render can say. Answered for tsdbt's own type_*
   * macros (pureTypeMacro) called as `dbt.type_string()`: `dbt` must be the
   * internal namespace there (no context member, no macro of that name) and
   * the macro it dispatches to tsdbt's own too (no project's
   * `default__type_string`, no `dispatch:` search order replacing it). Such
   * a call only returns a type name, which a parse does not keep.
   */
  parseTimeMacroCall(packageName: string, namespace: string, name: string): string | undefined {
    if (namespace !== INTERNAL_PACKAGE || !pureTypeMacro(name)) return undefined;
    const r = this.shared.registry;
    if (r.find(namespace, packageName) !== undefined || namespace in this.parseStaticPart(packageName)) return undefined;
    let macro: Macro | undefined;
    for (const p of r.internalPackages) if ((macro = r.inPackage(p, name))) break;
    if (!macro || !r.internalPackages.includes(macro.package_name)) return undefined;
    let resolver = this.dispatchResolvers.get(packageName);
    if (!resolver) {
      resolver = new MacroResolver(this.shared.env, r, this.shared.dispatch, packageName, () => ({ vars: {} }));
      this.dispatchResolvers.set(packageName, resolver);
    }
    const target = resolver.dispatchTarget(name, INTERNAL_PACKAGE);
    return target && r.internalPackages.includes(target.package_name) ? macro.unique_id : undefined;
  }

  /**
   * Whether a var value `text` (a string with Jinja), which var() renders in
   * the calling node's parse context of `packageName`, records nothing there
   * and cannot fail: it reads only run_started_at, modules and target and
   * calls only their members (VAR_VALUE_VOCABULARY; none replaced by a macro),
   * and its render here (the same members, once per package and text) raised
   * nothing and gave text without Jinja (var() does not render it again).
   * Tuva's `tuva_last_run` is `{{ run_started_at.astimezone(modules.pytz.timezone("UTC")) }}`.
   */
  parseTimeVarRender(packageName: string, text: string): boolean {
    return remembered(this.varRenders, packageName, text, () => this.varRendersHere(packageName, text))!;
  }

  /** parseTimeVarRender's answer, worked out (once per package and text). */
  private varRendersHere(packageName: string, text: string): boolean {
    const shadowing = this.shadowingMacros(packageName);
    if ([...VAR_VALUE_VOCABULARY.names].some((n) => shadowing.has(n)) || !readsOnly(text, VAR_VALUE_VOCABULARY)) return false;
    try {
      const out = this.shared.env.renderString(text, 'var value', { vars: this.parseStaticPart(packageName) });
      return !(out.includes('{{') || out.includes('{%') || out.includes('{#'));
    } catch {
      return false;
    }
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
    // `builtins.ref.config` is dbt's RuntimeConfig (Tuva and elementary read package versions from it).
    const ref = shadowed.ref ?? vars.ref;
    if (typeof ref === 'function' && this.shared.runtimeConfig && !Object.prototype.hasOwnProperty.call(ref, 'config')) {
      Object.defineProperty(ref, 'config', { value: this.shared.runtimeConfig, enumerable: true });
    }
    // Both proxies share their handlers; what each reads is held by its (otherwise empty) target, under a symbol.
    const state: FinishedNames = { vars, context, shadowed };
    vars.builtins = new Proxy(stateTarget(state), BUILTINS);
    vars.context = new Proxy(stateTarget(state), CONTEXT);
  }
}

/** What a finished context's `builtins` and `context` read: its vars as finished (a reused context gets others later), its macros, the members they shadow. */
interface FinishedNames {
  vars: Record<string, unknown>;
  context: RenderContext;
  shadowed: Record<string, unknown>;
}

/** The key of a proxy target's FinishedNames (a symbol: no template can name it, and Object.keys and JSON leave it out). */
const NAMES = Symbol('names');

function stateTarget(state: FinishedNames): Record<string | symbol, unknown> {
  const target = Object.create(null) as Record<string | symbol, unknown>;
  target[NAMES] = state;
  return target;
}

const namesOf = (t: Record<string | symbol, unknown>) => t[NAMES] as FinishedNames;

/** A name as `context` reads it: a member of the vars, else a macro. */
function lookupName(names: FinishedNames, name: string): unknown {
  const v = contextVar(names.vars, name);
  return v !== undefined ? v : names.context.resolve?.(name);
}

const BUILTINS: ProxyHandler<Record<string | symbol, unknown>> = {
  get(t, k) {
    if (typeof k !== 'string') return undefined;
    const { shadowed, vars } = namesOf(t);
    return Object.hasOwn(shadowed, k) ? shadowed[k] : contextVar(vars, k);
  },
  has(t, k) {
    if (typeof k !== 'string') return false;
    const { shadowed, vars } = namesOf(t);
    return Object.hasOwn(shadowed, k) || contextVar(vars, k) !== undefined;
  },
};

const CONTEXT: ProxyHandler<Record<string | symbol, unknown>> = {
  get(t, k) {
    if (typeof k !== 'string') return undefined;
    const names = namesOf(t);
    if (k === 'get') return pyFunction((args, kwargs) => lookupName(names, String(args[0])) ?? args[1] ?? kwargs.default ?? null);
    return lookupName(names, k);
  },
  has(t, k) {
    return typeof k === 'string' && lookupName(namesOf(t), k) !== undefined;
  },
  // `'name' in context` (a dict's own key, as Jinja's `in` asks): every member and macro the context reads.
  getOwnPropertyDescriptor(t, k) {
    if (typeof k !== 'string') return Reflect.getOwnPropertyDescriptor(t, k);
    const value = lookupName(namesOf(t), k);
    return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
  },
  // `context.update({...})` and `context[k] = v` write names into the context, as into dbt's context dict: read back
  // by context.get and seen as names by macros called afterwards (dbt-unit-testing keeps its test state this way).
  set(t, k, v) {
    if (typeof k !== 'string') return false;
    defineName(namesOf(t).vars, k, v);
    return true;
  },
  defineProperty(t, k, desc) {
    if (typeof k !== 'string' || !('value' in desc)) return false;
    defineName(namesOf(t).vars, k, desc.value);
    return true;
  },
};

/** A name written through `context`: an own data property of the vars (never a setter or the prototype, whatever the name). */
function defineName(vars: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(vars, name, { value, writable: true, enumerable: true, configurable: true });
}
