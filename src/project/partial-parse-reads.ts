/** What some parse work read besides its own file: macros it ran (at any depth) and env vars it read by name. */
export interface ParseReads {
  macros: string[];
  env: string[];
}

/**
 * Records what a parse reads, split by who read it: each node file's render
 * (its config, its template, the macros those run) gets its own record, and
 * everything else (generic tests, naming macros, properties) lands in `wide`.
 * A partial parse re-parses the files whose record meets a change, and falls
 * back to a full parse when `wide` does.
 */
export class ParseObserver {
  private current: { macros: Set<string>; env: Set<string> } | undefined;
  private readonly wideSets = { macros: new Set<string>(), env: new Set<string>() };

  readonly macro = (uniqueId: string): void => {
    (this.current ?? this.wideSets).macros.add(uniqueId);
  };

  readonly envVar = (name: string): void => {
    (this.current ?? this.wideSets).env.add(name);
  };

  /** Runs `work`, giving it a record of its own (nested calls share the outer record). */
  around<T>(work: () => T): { result: T; reads: ParseReads } {
    if (this.current) return { result: work(), reads: { macros: [], env: [] } };
    const sets = { macros: new Set<string>(), env: new Set<string>() };
    this.current = sets;
    try {
      return { result: work(), reads: { macros: [...sets.macros], env: [...sets.env] } };
    } finally {
      this.current = undefined;
    }
  }

  /** What was read outside any `around`, merged with an earlier record of the same. */
  wide(earlier?: ParseReads): ParseReads {
    return { macros: [...new Set([...(earlier?.macros ?? []), ...this.wideSets.macros])], env: [...new Set([...(earlier?.env ?? []), ...this.wideSets.env])] };
  }
}
