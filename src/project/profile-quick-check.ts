/**
 * A quick yes to "is this target valid against its profile schema?" for
 * schemas built from a few plain keywords (type, const, enum, required,
 * properties, additionalProperties, items). Loading and compiling ajv cost
 * ~40 ms of every command; a valid target — nearly every run — no longer pays
 * it. Answers true only when the value is certainly valid; false or
 * undefined (a keyword it does not know) send the caller to ajv, which
 * produces the errors and warnings.
 */
export function certainlyValid(schema: unknown, value: unknown): boolean | undefined {
  if (schema === true) return true;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const s = schema as Record<string, unknown>;
  for (const key of Object.keys(s)) if (!KNOWN.has(key)) return undefined;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.every((t) => typeof t === 'string' && t in TYPE_TESTS)) return undefined;
    if (!types.some((t) => TYPE_TESTS[t as string]!(value))) return false;
  }
  if (s.const !== undefined) {
    if (!isScalar(s.const)) return undefined;
    if (value !== s.const) return false;
  }
  if (s.enum !== undefined) {
    if (!Array.isArray(s.enum) || !s.enum.every(isScalar)) return undefined;
    if (!s.enum.includes(value)) return false;
  }
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (isObject) {
    const obj = value as Record<string, unknown>;
    if (s.required !== undefined) {
      if (!Array.isArray(s.required)) return undefined;
      if (!s.required.every((k) => typeof k === 'string' && Object.prototype.hasOwnProperty.call(obj, k))) return false;
    }
    const props = (s.properties ?? {}) as Record<string, unknown>;
    if (s.properties !== undefined && (props === null || typeof props !== 'object')) return undefined;
    if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') return undefined;
    for (const [k, v] of Object.entries(obj)) {
      if (Object.prototype.hasOwnProperty.call(props, k)) {
        const ok = certainlyValid(props[k], v);
        if (ok !== true) return ok;
      } else if (s.additionalProperties === false) return false;
    }
  }
  if (Array.isArray(value) && s.items !== undefined) {
    for (const item of value) {
      const ok = certainlyValid(s.items, item);
      if (ok !== true) return ok;
    }
  }
  return true;
}

const KNOWN = new Set(['type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'description', 'title']);

const TYPE_TESTS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
  array: (v) => Array.isArray(v),
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
};

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}
