/** A table keyed by the parsed objects (a Map or a WeakMap). */
export interface ObjectTable<V> {
  get(key: object): V | undefined;
  set(key: object, value: V): unknown;
}

/** The line of each key of one map. */
export interface KeyLines {
  get(key: string): number | undefined;
}

/**
 * KeyLines as one exact-size list of key, line, key, line...: a Map per
 * mapping was a fifth of the block reader's cost (a properties file of 10,000
 * models has 60,000 mappings); their few keys are found by a scan.
 */
export class KeyLineList implements KeyLines {
  /** Key, line, key, line... as written (a key written twice appears twice; the first is found). */
  constructor(readonly pairs: readonly (string | number)[]) {}

  get(key: string): number | undefined {
    for (let i = 0; i < this.pairs.length; i += 2) if (this.pairs[i] === key) return this.pairs[i + 1] as number;
    return undefined;
  }
}

/** What the YAML readers give: plain JS values and the lines they were written on. */
export interface BlockYaml {
  value: unknown;
  /** Line (1-based) where each map and list starts. */
  lines: ObjectTable<number>;
  /** Line of each key of each map. */
  keyLines: ObjectTable<KeyLines>;
  /** Line of each item of each list. */
  itemLines: ObjectTable<(number | undefined)[]>;
  /** Keys written twice in one mapping (the last value wins), for a warning each. */
  duplicates?: DuplicateKey[];
}

export interface DuplicateKey {
  key: string;
  /** Line of the repeated key, and of its first occurrence. */
  line: number;
  first: number;
}
