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
  /**
   * `pairs`: key, line, key, line... as written (a key written twice appears twice; the first is found).
   * `line`: the line the mapping starts on (its entry in LineTable, which then needs no second one).
   */
  constructor(
    readonly pairs: readonly (string | number)[],
    readonly line?: number,
  ) {}

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

/** Each LineTable by its `lines` table: what tableEntries finds. */
const tables = new WeakMap<object, LineTable>();

/**
 * The entries of the LineTable behind `b`'s three tables, when one LineTable
 * made them all (the block reader's results): one lookup gives a
 * collection's line and its keys' or items' lines, where the three tables
 * take one each.
 */
export function tableEntries(b: BlockYaml): ReadonlyMap<object, KeyLineList | CollectionLines> | undefined {
  const table = tables.get(b.lines);
  return table && table.keyLines === b.keyLines && table.itemLines === b.itemLines ? table.entries : undefined;
}

/** A collection's entry in a LineTable: its line, and its keys' or its items' lines. */
export class CollectionLines {
  constructor(
    public line: number | undefined,
    public keys?: KeyLines,
    public items?: (number | undefined)[],
  ) {}
}

/**
 * BlockYaml's three tables (lines, keyLines, itemLines) over one Map with an
 * entry per map or list: a block mapping's entry is its KeyLineList (which
 * holds its line too), a list's a CollectionLines. A properties file of
 * 10,000 models has 100,000 collections: a second Map entry for each cost
 * the block reader a quarter of its time.
 */
export class LineTable {
  readonly entries = new Map<object, KeyLineList | CollectionLines>();
  readonly lines: ObjectTable<number> = {
    get: (obj) => this.entries.get(obj)?.line,
    set: (obj, line) => {
      this.entry(obj).line = line;
    },
  };
  readonly keyLines: ObjectTable<KeyLines> = {
    get: (obj) => {
      const e = this.entries.get(obj);
      return e instanceof KeyLineList ? e : e?.keys;
    },
    set: (obj, keys) => {
      this.entry(obj).keys = keys;
    },
  };
  readonly itemLines: ObjectTable<(number | undefined)[]> = {
    get: (obj) => {
      const e = this.entries.get(obj);
      return e instanceof CollectionLines ? e.items : undefined;
    },
    set: (obj, items) => {
      this.entry(obj).items = items;
    },
  };

  constructor() {
    tables.set(this.lines, this);
  }

  /** `obj`'s entry as a CollectionLines (a KeyLineList entry turned into one: it keeps its line and keys). */
  private entry(obj: object): CollectionLines {
    const e = this.entries.get(obj);
    if (e instanceof CollectionLines) return e;
    const made = e === undefined ? new CollectionLines(undefined) : new CollectionLines(e.line, e);
    this.entries.set(obj, made);
    return made;
  }
}
