/** What the YAML readers give: plain JS values and the lines they were written on. */
export interface BlockYaml {
  value: unknown;
  /** Line (1-based) where each map and list starts. */
  lines: WeakMap<object, number>;
  /** Line of each key of each map. */
  keyLines: WeakMap<object, Map<string, number>>;
  /** Line of each item of each list. */
  itemLines: WeakMap<object, (number | undefined)[]>;
  /** Keys written twice in one mapping (the last value wins), for a warning each. */
  duplicates?: DuplicateKey[];
}

export interface DuplicateKey {
  key: string;
  /** Line of the repeated key, and of its first occurrence. */
  line: number;
  first: number;
}
