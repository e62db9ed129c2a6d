/**
 * `value` frozen with every object and array inside it (one shared by many
 * readers: a change fails where it is made instead of reaching them all).
 * Returns `value`.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
