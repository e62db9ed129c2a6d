import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { runExtract } from '../../src/extract/index.js';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { FAST_SOURCE, json, makeProject, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SCHEMA = JSON.stringify({
  type: 'object',
  required: ['id', 'commitTs'],
  properties: { id: { type: 'integer' }, commitTs: { type: 'string' }, lines: { type: 'integer', minimum: 0 } },
});

const RECORDS = [
  { id: 1, commitTs: '2026-01-01T00:00:00Z', lines: 3 },
  { id: 2, commitTs: '2026-01-02T00:00:00Z', lines: -1 },
  { id: 3, lines: 4 },
  { id: 4, commitTs: '2026-01-04T00:00:00Z' },
];

function project(mode: string): string {
  return makeProject({
    'schemas/c.json': SCHEMA,
    'extract.yml': `${FAST_SOURCE}streams:
  - name: c
    path: /c
    records: items
    primary_key: id
    schema: schemas/c.json
    on_schema_violation: ${mode}
    columns: { id: BIGINT, commit_ts: TIMESTAMPTZ, lines: BIGINT }
`,
  });
}

describe('JSON Schema validation', () => {
  it('fails on the first violation, naming the record and the field', async () => {
    server = await startServer((_u, _r, res) => json(res, 200, { items: RECORDS }));
    const dir = project('fail');
    const err = await runExtract({ projectDir: dir, url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_VALIDATION');
    expect(err.format()).toBe(
      `schemas/c.json: stream 'c': record #2 of GET ${server.url}/c violates schemas/c.json: field 'lines' must be >= 0 (got -1)\n` +
        '  Fix the schema if the API is right, or set on_schema_violation: quarantine to set such records aside.',
    );
    expect(existsSync(`${dir}/data/raw/c.parquet`)).toBe(false);
  });

  it('names a missing required field', async () => {
    server = await startServer((_u, _r, res) => json(res, 200, { items: [RECORDS[2]] }));
    const err = await runExtract({ projectDir: project('fail'), url: server.url }).catch((e) => e);
    expect(err.message).toBe(`stream 'c': record #1 of GET ${server.url}/c violates schemas/c.json: field 'commitTs' is required but missing`);
  });

  it('quarantines violating records and lands the rest', async () => {
    server = await startServer((_u, _r, res) => json(res, 200, { items: RECORDS }));
    const dir = project('quarantine');
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(r.streams[0]).toMatchObject({ rows: 2, quarantined: 2 });
    expect(r.streams[0]!.warnings).toEqual(['c: 2 record(s) violating schemas/c.json written to data/quarantine/c.ndjson']);
    const lines = readFileSync(`${dir}/data/quarantine/c.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { stream: 'c', url: `${server.url}/c`, index: 1, errors: [{ field: 'lines', message: 'must be >= 0' }], record: RECORDS[1] },
      { stream: 'c', url: `${server.url}/c`, index: 2, errors: [{ field: 'commitTs', message: 'is required but missing' }], record: RECORDS[2] },
    ]);
    const c = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
    expect((await c.execute(`select id from read_parquet('${dir}/data/raw/c.parquet') order by id`)).rows).toEqual([[1], [4]]);
  });

  it('fails a record without its primary key', async () => {
    server = await startServer((_u, _r, res) => json(res, 200, { items: [{ id: 1, commitTs: 'x' }, { commitTs: 'y' }] }));
    const dir = makeProject({
      'extract.yml': `${FAST_SOURCE}streams:\n  - { name: c, path: /c, records: items, primary_key: id }\n`,
    });
    const err = await runExtract({ projectDir: dir, url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_VALIDATION');
    expect(err.message).toBe(`stream 'c': record #2 of GET ${server.url}/c has no 'id' (its primary key)`);
    expect(err.hint).toBe('Every record needs its primary key; check primary_key in extract.yml (the record has keys: commitTs).');
  });
});
