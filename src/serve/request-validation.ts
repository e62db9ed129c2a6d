import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ApiError } from './api-error.js';
import { SCHEMAS } from './openapi.js';

let validators: Map<string, ValidateFunction> | undefined;

function compiled(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  for (const [name, schema] of Object.entries(SCHEMAS)) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
  validators = new Map(Object.keys(SCHEMAS).map((name) => [name, ajv.getSchema(`#/components/schemas/${name}`)!]));
  return validators;
}

function toIssue(e: ErrorObject): { code: string; message: string; path: string; hint?: string } {
  const path = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return { code: 'FIELD_NOT_ALLOWED', message: `'${extra}' is not a field of the spec`, path: `${path === '/' ? '' : path}/${extra}`, hint: 'GET /openapi.json describes the spec.' };
  }
  if (e.keyword === 'required') return { code: 'FIELD_MISSING', message: `'${(e.params as { missingProperty: string }).missingProperty}' is required`, path, hint: 'GET /openapi.json describes the spec.' };
  return { code: 'SCHEMA_INVALID', message: `${path} ${e.message ?? 'is invalid'}`, path };
}

/** Check `body` against a component schema of the OpenAPI document; a 400 listing every problem. */
export function validateBody(schema: keyof typeof SCHEMAS | (keyof typeof SCHEMAS)[], body: unknown): void {
  const names = Array.isArray(schema) ? schema : [schema];
  let best: ErrorObject[] | null = null;
  for (const name of names) {
    const v = compiled().get(name)!;
    if (v(body)) return;
    if (best === null || (v.errors ?? []).length < best.length) best = v.errors ?? [];
  }
  const issues = (best ?? []).filter((e) => e.keyword !== 'oneOf').map(toIssue);
  throw new ApiError(400, 'SPEC_INVALID', `The body does not match the ${names.join(' or ')} schema.`, issues);
}
