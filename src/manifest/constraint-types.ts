/** The constraint types a model contract may declare (`constraints:` in properties YAML). */
export const CONSTRAINT_TYPES = ['check', 'not_null', 'unique', 'primary_key', 'foreign_key', 'custom'] as const;
export type ConstraintType = (typeof CONSTRAINT_TYPES)[number];

export function isConstraintType(type: unknown): type is ConstraintType {
  return (CONSTRAINT_TYPES as readonly unknown[]).includes(type);
}
