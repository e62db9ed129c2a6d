import type { Macro } from '../manifest/types.js';

/** The packages whose macros form dbt's global project (materializations, default__ macros). */
export const INTERNAL_PACKAGE = 'dbt';

/** One macro file as added: its absolute path, text and macros. */
export interface MacroFile {
  path: string;
  source: string;
  macros: readonly Macro[];
}

/**
 * Every macro of every package, and the source text of the files they live
 * in (macros are bound by compiling their whole file, so errors carry the
 * file's own line numbers; the text between a file's blocks is blanked when it
 * holds a tag: project/macro-files.ts blocksOnly).
 */
export class MacroRegistry {
  private readonly byPackage = new Map<string, Map<string, Macro>>();
  private readonly sources = new Map<string, string>();
  private readonly fileList: MacroFile[] = [];
  /** fileOf's answer per macro added: one path string per file, not a new one per bind. */
  private readonly fileByMacro = new Map<Macro, { path: string; source: string }>();
  /** Each added file's absolute path by `<package>\0<path in the package>` (a macro names its file so). */
  private readonly pathByFile = new Map<string, string>();
  /** find()'s answers per local package (null: no macro), until a file is added. Every name a template looks up outside its own variables comes here. */
  private readonly found = new Map<string, Map<string, Macro | null>>();
  /** Bumped by every addFile: what a reader memoised from the registry is good while this is unchanged. */
  private added = 0;

  constructor(
    readonly rootPackage: string,
    /** Internal packages, searched last (`dbt`, then e.g. `dbt_duckdb`). */
    readonly internalPackages: readonly string[] = [INTERNAL_PACKAGE],
    /**
     * The root project's `flags: require_explicit_package_overrides_for_builtin_materializations: false`:
     * an installed package's materialization may replace a built-in one (dbt before 1.8; see find-materialization.ts).
     */
    readonly packageMaterializationOverrides = false,
  ) {}

  addFile(absolutePath: string, source: string, macros: readonly Macro[]): void {
    this.found.clear();
    this.added++;
    this.fileList.push({ path: absolutePath, source, macros });
    this.sources.set(absolutePath, source);
    const file = { path: absolutePath, source };
    for (const macro of macros) {
      // The macros of a file name it relative to their package's root, which ends the absolute path.
      if (absolutePath.endsWith(`/${macro.original_file_path}`)) {
        this.fileByMacro.set(macro, file);
        this.pathByFile.set(`${macro.package_name}\0${macro.original_file_path}`, absolutePath);
      }
      let pkg = this.byPackage.get(macro.package_name);
      if (!pkg) {
        pkg = new Map();
        this.byPackage.set(macro.package_name, pkg);
      }
      pkg.set(macro.name, macro);
    }
  }

  /** The absolute path and full text of the file a macro lives in. */
  fileOf(macro: Macro): { path: string; source: string } {
    const known = this.fileByMacro.get(macro);
    if (known && this.sources.get(known.path) === known.source) return known;
    // Another object for a macro of an added file (a patched copy, one read back from the parse cache): that file's text.
    const path = known?.path ?? this.pathByFile.get(`${macro.package_name}\0${macro.original_file_path}`) ?? macro.original_file_path;
    return { path, source: this.sources.get(path) ?? macro.macro_sql };
  }

  /** Changes whenever a file is added (see MacroResolver's memo of dispatch and namespace lookups). */
  get generation(): number {
    return this.added;
  }

  inPackage(pkg: string, name: string): Macro | undefined {
    return this.byPackage.get(pkg)?.get(name);
  }

  hasPackage(pkg: string): boolean {
    return this.byPackage.has(pkg) || this.internalPackages.includes(pkg);
  }

  packageNames(): string[] {
    return [...this.byPackage.keys()];
  }

  /**
   * dbt's unqualified lookup from a node in `localPackage`: that package's
   * own macros, then the root project's, then the internal packages'.
   */
  find(name: string, localPackage: string = this.rootPackage): Macro | undefined {
    let known = this.found.get(localPackage);
    if (!known) {
      known = new Map();
      this.found.set(localPackage, known);
    }
    let m = known.get(name);
    if (m === undefined) {
      m = this.lookup(name, localPackage) ?? null;
      known.set(name, m);
    }
    return m ?? undefined;
  }

  private lookup(name: string, localPackage: string): Macro | undefined {
    if (localPackage !== this.rootPackage) {
      const local = this.inPackage(localPackage, name);
      if (local) return local;
    }
    const root = this.inPackage(this.rootPackage, name);
    if (root) return root;
    for (const pkg of this.internalPackages) {
      const m = this.inPackage(pkg, name);
      if (m) return m;
    }
    return undefined;
  }

  /** Macros of one package, for `dbt_utils.x` namespaces. */
  macrosOf(pkg: string): Map<string, Macro> {
    return this.byPackage.get(pkg) ?? new Map();
  }

  /** Every file added, in order, with its macros (what a parse cache stores to rebuild the registry). */
  files(): readonly MacroFile[] {
    return this.fileList;
  }

  all(): Macro[] {
    return [...this.byPackage.values()].flatMap((m) => [...m.values()]);
  }
}
