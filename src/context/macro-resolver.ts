import { TsdbtError } from '../errors/tsdbt-error.js';
import { pyFunction, type JinjaCallable, type JinjaEnvironment, type RenderContext } from '../jinja/index.js';
import { pyTuple } from '../jinja/python/types.js';
import type { Macro } from '../manifest/types.js';
import { INTERNAL_PACKAGE, type MacroRegistry } from './macro-registry.js';
import { fastPaths } from '../util/fast-paths.js';
import { remembered } from '../util/remembered.js';

export interface DispatchConfig {
  /** `dispatch:` from the root dbt_project.yml: namespace → packages to search, in order. */
  searchOrder: Record<string, string[]>;
  /** The adapter's type and its parents, most specific first, e.g. ['duckdb']. */
  adapterChain: string[];
}

/**
 * Resolves names in a render context to bound macros, lazily: a template
 * that calls `star()` binds just that macro, once per render context.
 * Unqualified names follow dbt's lookup (local package, root, internal);
 * package names resolve to namespaces (`dbt_utils.star`).
 */
export class MacroResolver {
  /** Bound macros of files that only define macros: valid whatever the context's vars. */
  private readonly bound = new Map<string, JinjaCallable>();
  /** Bound macros of other files, with the vars they were bound under (rebound when the vars are replaced). */
  private readonly boundForVars = new Map<string, { fn: JinjaCallable; vars: RenderContext['vars'] }>();
  private readonly namespaces = new Map<string, Record<string, unknown>>();
  /** Set while parsing: told of each macro the node itself calls (dbt's depends_on.macros). */
  private onTopLevelCall: ((uniqueId: string) => void) | undefined;
  /** Set while parsing with a parse cache: told of every macro run, at any depth (what a partial parse must re-run when it changes). */
  private onAnyCall: ((uniqueId: string) => void) | undefined;
  private depth = 0;
  /** The packages of the tracked macros running, outermost first (see `testParse`). */
  private readonly running: string[] = [];
  /**
   * Set while a data test is parsed. dbt parses a test in a namespace of the
   * macros its test macro depends on, however deep, each name found from the
   * package of the macro that calls it: so a package's test macro, and what
   * it calls, reach that package's macros by their plain names, which a node
   * of the root project does not. Here a plain name found nowhere else is
   * looked up in the packages of the macros running, innermost first.
   */
  testParse = false;
  private prefixList: string[] | undefined;
  /**
   * dispatchTarget's answers per namespace and name, and the namespaces' per
   * package and name (null: none), while the registry's generation is
   * `memoGeneration`. A parse's models call `dbt.type_string()` thousands of
   * times: each call built and looked up `duckdb__type_string`,
   * `default__type_string` (new strings, hashed anew) in every search package.
   */
  private readonly dispatched = new Map<string | null | undefined, Map<string, Macro | null>>();
  private readonly inNamespace = new Map<string, Map<string, Macro | null>>();
  private memoGeneration = -1;

  constructor(
    private readonly env: JinjaEnvironment,
    private readonly registry: MacroRegistry,
    private readonly dispatchConfig: DispatchConfig,
    /** The package of the node (or macro) being rendered. */
    private readonly localPackage: string,
    private readonly context: () => RenderContext,
  ) {}

  /** The RenderContext.resolve hook. */
  resolve = (name: string): unknown => {
    const macro = this.registry.find(name, this.localPackage);
    if (macro) return this.bind(macro);
    if (name === INTERNAL_PACKAGE || this.registry.hasPackage(name)) return this.namespace(name);
    if (this.testParse) {
      for (let i = this.running.length - 1; i >= 0; i--) {
        const pkg = this.running[i]!;
        const found = pkg === this.localPackage ? undefined : this.registry.inPackage(pkg, name);
        if (found) return this.bind(found);
      }
    }
    return undefined;
  };

  /**
   * Record the macros called from the node's own template (not those they
   * call in turn), as dbt's macro stack does for depends_on.macros. Call
   * before anything is bound; call again to send the calls elsewhere (a
   * context reused for the next node). `onAnyCall` hears every call, however deep.
   */
  trackCalls(onTopLevelCall: (uniqueId: string) => void, onAnyCall?: (uniqueId: string) => void): void {
    this.onTopLevelCall = onTopLevelCall;
    this.onAnyCall = onAnyCall;
  }

  /** A macro is running (called through this resolver): its context is in use. */
  get busy(): boolean {
    return this.depth > 0;
  }

  bind(macro: Macro): JinjaCallable {
    const id = macro.unique_id;
    const known = this.bound.get(id);
    if (known) return known;
    const context = this.context();
    const forVars = this.boundForVars.get(id);
    if (forVars && forVars.vars === context.vars) return forVars.fn;
    const { path, source } = this.registry.fileOf(macro);
    let fn = this.env.bindMacro(path, source, macro.name, context);
    if (this.onTopLevelCall) fn = this.tracked(fn, id, macro.package_name);
    if (this.env.definesOnlyMacros(source, path)) this.bound.set(id, fn);
    else this.boundForVars.set(id, { fn, vars: context.vars });
    return fn;
  }

  private tracked(fn: JinjaCallable, uniqueId: string, packageName: string): JinjaCallable {
    const wrapped = ((...args: unknown[]) => {
      if (this.depth === 0) this.onTopLevelCall?.(uniqueId);
      this.onAnyCall?.(uniqueId);
      this.depth++;
      this.running.push(packageName);
      try {
        return fn(...args);
      } finally {
        this.depth--;
        this.running.pop();
      }
    }) as JinjaCallable;
    // The macro's name goes along; not its __str__ (a tracked macro prints as a function, as before).
    (wrapped as { jinjaMacroName?: unknown }).jinjaMacroName = (fn as { jinjaMacroName?: unknown }).jinjaMacroName;
    return wrapped;
  }

  private namespace(pkg: string): Record<string, unknown> {
    let ns = this.namespaces.get(pkg);
    if (ns) return ns;
    const packages = pkg === INTERNAL_PACKAGE ? [...this.registry.internalPackages] : [pkg];
    const internal = pkg === INTERNAL_PACKAGE;
    ns = new Proxy({} as Record<string, unknown>, {
      get: (_t, prop) => {
        if (typeof prop !== 'string') return undefined;
        const m = this.namespaceMember(pkg, packages, prop);
        if (m) return this.bind(m);
        if (internal && NATIVE_GLOBAL_MACROS.has(prop)) return this.nativeMember(prop);
        return this.dictMethod(pkg, packages, prop);
      },
      has: (_t, prop) =>
        typeof prop === 'string' && (packages.some((p) => this.registry.inPackage(p, prop) !== undefined) || (internal && NATIVE_GLOBAL_MACROS.has(prop) && this.nativeMember(prop) !== undefined)),
      // A namespace passes as a dict: `name in dbt_utils` asks for its own key (the macro is bound only when read).
      // Its keys are not listed (ownKeys): a namespace handed to a function (toHost) would bind every macro of the package.
      getOwnPropertyDescriptor: (_t, prop) => {
        if (typeof prop !== 'string') return undefined;
        const m = this.namespaceMember(pkg, packages, prop);
        return m ? { get: () => this.bind(m), enumerable: false, configurable: true } : undefined;
      },
    });
    this.namespaces.set(pkg, ns);
    return ns;
  }

  /**
   * The Python dict methods of a package's namespace, which in dbt is a dict
   * of its macros: re_data looks its metric macros up with
   * `context['re_data'].get(name)`. A macro of the same name comes first.
   */
  private dictMethod(pkg: string, packages: readonly string[], prop: string): JinjaCallable | undefined {
    const names = () => [...new Set(packages.flatMap((p) => [...this.registry.macrosOf(p).keys()]))];
    const member = (name: string) => this.bind(this.namespaceMember(pkg, packages, name)!);
    switch (prop) {
      case 'get':
        return pyFunction(([name, fallback = null]) => {
          const m = typeof name === 'string' ? this.namespaceMember(pkg, packages, name) : undefined;
          return m ? this.bind(m) : fallback;
        });
      case 'keys':
        return pyFunction(() => names());
      case 'values':
        return pyFunction(() => names().map(member));
      case 'items':
        return pyFunction(() => names().map((n) => pyTuple([n, member(n)])));
      default:
        return undefined;
    }
  }

  /** The context's own member `name`, even where a user's macro of that name shadows it (what `builtins.<name>` reads). */
  private nativeMember(name: string): unknown {
    const vars = this.context().vars;
    const builtins = vars.builtins as Record<string, unknown> | undefined;
    return builtins ? builtins[name] : vars[name];
  }

  /** The first of `packages`' macros named `name` (namespace `pkg`'s member), memoised (see `dispatched`). */
  private namespaceMember(pkg: string, packages: readonly string[], name: string): Macro | undefined {
    if (!fastPaths()) return firstIn(this.registry, packages, name);
    this.checkMemo();
    return remembered(this.inNamespace, pkg, name, () => firstIn(this.registry, packages, name));
  }

  /** The memos are dropped when a macro file was added since they were made. */
  private checkMemo(): void {
    if (this.memoGeneration === this.registry.generation) return;
    this.dispatched.clear();
    this.inNamespace.clear();
    this.memoGeneration = this.registry.generation;
  }

  /** `adapter.dispatch(name, macro_namespace)`: the first `<adapter>__name`, then `default__name`, in the search packages. */
  dispatch(name: string, namespace?: string | null): JinjaCallable {
    if (name.includes('.')) {
      const [ns, rest] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)];
      throw new TsdbtError('MACRO_NOT_FOUND', `In adapter.dispatch, got a macro name of "${name}", but "." is not a valid macro name component. Did you mean \`adapter.dispatch("${rest}", macro_namespace="${ns}")\`?`);
    }
    const macro = this.dispatchTarget(name, namespace);
    if (macro) return this.bind(macro);
    const prefixes = this.prefixes;
    const packages = this.searchPackages(namespace);
    const searched = packages.flatMap((pkg) => prefixes.map((prefix) => (pkg === null ? `${prefix}__${name}` : `${pkg}.${prefix}__${name}`)));
    // dbt also accepts a macro named exactly `name` in the namespace when no prefixed one exists.
    throw new TsdbtError('MACRO_NOT_FOUND', `In dispatch: No macro named '${name}' found within namespace: '${namespace ?? 'None'}'`, {
      hint: `Searched for: ${searched.map((s) => `'${s}'`).join(', ')}. Define one of them, or check the package is installed (tsdbt deps).`,
    });
  }

  /** The macro `dispatch(name, namespace)` binds, unbound; undefined where dispatch fails. */
  dispatchTarget(name: string, namespace?: string | null): Macro | undefined {
    if (!fastPaths()) return this.searchDispatch(name, namespace);
    this.checkMemo();
    return remembered(this.dispatched, namespace, name, () => this.searchDispatch(name, namespace));
  }

  private searchDispatch(name: string, namespace?: string | null): Macro | undefined {
    const prefixes = this.prefixes;
    for (const pkg of this.searchPackages(namespace)) {
      for (const prefix of prefixes) {
        const candidate = `${prefix}__${name}`;
        const macro = pkg === null ? this.registry.find(candidate, this.localPackage) : this.findIn(pkg, candidate);
        if (macro) return macro;
      }
    }
    return undefined;
  }

  /** The macro a name resolves to in this context (what `resolve` binds), unbound. */
  macroFor(name: string): Macro | undefined {
    return this.registry.find(name, this.localPackage);
  }

  /** Dispatch's macro-name prefixes, most specific first: the adapter chain, then `default`. */
  private get prefixes(): string[] {
    return (this.prefixList ??= [...this.dispatchConfig.adapterChain, 'default']);
  }

  /**
   * dbt's search order for a dispatch: the `dispatch:` entry for the namespace;
   * without one, the root project then the namespace when it is a package (so a
   * project's `duckdb__dateadd` wins); a namespace that is no package, or none,
   * is the ordinary macro lookup (null).
   */
  private searchPackages(namespace?: string | null): (string | null)[] {
    if (!namespace) return [null];
    const configured = this.dispatchConfig.searchOrder[namespace];
    if (configured && configured.length) return configured;
    return this.registry.hasPackage(namespace) ? [this.registry.rootPackage, namespace] : [null];
  }

  private findIn(pkg: string, name: string): Macro | undefined {
    if (pkg === INTERNAL_PACKAGE) {
      for (const p of this.registry.internalPackages) {
        const m = this.registry.inPackage(p, name);
        if (m) return m;
      }
      return undefined;
    }
    return this.registry.inPackage(pkg, name);
  }
}

/**
 * dbt's global macros that tsdbt's contexts provide as functions rather than
 * as macros of the internal package: `dbt.is_incremental()` (what a package's
 * own `is_incremental` override falls back to) reaches the context's.
 */
const NATIVE_GLOBAL_MACROS: ReadonlySet<string> = new Set(['is_incremental', 'should_full_refresh', 'should_store_failures']);

/** The first of `packages`' macros named `name`. */
function firstIn(registry: MacroRegistry, packages: readonly string[], name: string): Macro | undefined {
  for (const p of packages) {
    const m = registry.inPackage(p, name);
    if (m) return m;
  }
  return undefined;
}
