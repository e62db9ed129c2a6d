import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { StreamConfig } from './config-types.js';
import { columnName } from './naming.js';
import type { SourcedRecord } from './paginate.js';

export interface Quarantined {
  url: string;
  index: number;
  errors: { field: string; message: string }[];
  record: Record<string, unknown>;
}

function schemaValidator(s: StreamConfig): ValidateFunction | undefined {
  if (!s.schema) return undefined;
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(s.schema, 'utf8'));
  } catch (e) {
    throw new TsdbtError('EXTRACT_CONFIG', `The schema file ${s.schema_ref} is not valid JSON: ${(e as Error).message}`, { file: s.schema_ref });
  }
  try {
    // A fresh Ajv per run: the file may have changed, and a schema's $id may only be added once per instance.
    return new Ajv({ allErrors: true, strict: false }).compile(schema as object);
  } catch (e) {
    throw new TsdbtError('EXTRACT_CONFIG', `The schema file ${s.schema_ref} is not a valid JSON Schema: ${(e as Error).message}`, { file: s.schema_ref });
  }
}

/**
 * Check every record against the stream's JSON Schema (the API's record, in
 * API field names). On `fail` the first violation throws, naming the record's
 * position and the field; on `quarantine` violating records are set aside.
 */
export function validateRecords(records: SourcedRecord[], s: StreamConfig): { valid: SourcedRecord[]; quarantined: Quarantined[] } {
  const validate = schemaValidator(s);
  if (!validate) return { valid: records, quarantined: [] };
  const valid: SourcedRecord[] = [];
  const quarantined: Quarantined[] = [];
  for (const r of records) {
    if (validate(r.record)) {
      valid.push(r);
      continue;
    }
    const errors = (validate.errors ?? []).map((e) => {
      const missing = e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : undefined;
      const field = missing ?? (e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(record)');
      return { field, message: missing ? 'is required but missing' : (e.message ?? 'is invalid') };
    });
    if (s.on_schema_violation === 'fail') {
      const first = errors[0]!;
      const value = first.field === '(record)' ? undefined : pick(r.record, first.field);
      throw new TsdbtError(
        'EXTRACT_VALIDATION',
        `stream '${s.name}': record #${r.index + 1} of GET ${r.url} violates ${s.schema_ref}: field '${first.field}' ${first.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`,
        {
          file: s.schema_ref,
          hint: `Fix the schema if the API is right, or set on_schema_violation: quarantine to set such records aside.`,
          detail: { errors },
        },
      );
    }
    quarantined.push({ url: r.url, index: r.index, errors, record: r.record });
  }
  return { valid, quarantined };
}

function pick(record: Record<string, unknown>, path: string): unknown {
  let node: unknown = record;
  for (const k of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}

/**
 * De-duplicate on the primary key (the last record seen wins, in the first
 * one's position). A record without a key field is an error naming it.
 */
export function dedupe(records: SourcedRecord[], s: StreamConfig, file: string): { rows: SourcedRecord[]; duplicates: number } {
  if (s.primary_key.length === 0) return { rows: records, duplicates: 0 };
  const byKey = new Map<string, SourcedRecord>();
  for (const r of records) {
    const key = s.primary_key.map((k) => {
      const v = r.record[k];
      if (v === undefined || v === null) {
        throw new TsdbtError('EXTRACT_VALIDATION', `stream '${s.name}': record #${r.index + 1} of GET ${r.url} has no '${k}' (its primary key)`, {
          file,
          line: s.line,
          hint: `Every record needs its primary key; check primary_key in extract.yml (the record has keys: ${Object.keys(r.record).join(', ')}).`,
        });
      }
      return v;
    });
    byKey.set(JSON.stringify(key), r);
  }
  return { rows: [...byKey.values()], duplicates: records.length - byKey.size };
}

/** Rename top-level keys per column_naming; two keys landing on one column is an error. */
export function toColumns(records: SourcedRecord[], s: StreamConfig, file: string): Record<string, unknown>[] {
  const names = new Map<string, string>();
  return records.map(({ record }) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      const col = names.get(k) ?? columnName(k, s.column_naming);
      names.set(k, col);
      if (col in out) {
        throw new TsdbtError('EXTRACT_VALIDATION', `stream '${s.name}': keys '${k}' and another key both become column '${col}'`, {
          file,
          line: s.line,
          hint: 'Use column_naming: as_is for this stream.',
        });
      }
      out[col] = v;
    }
    return out;
  });
}
