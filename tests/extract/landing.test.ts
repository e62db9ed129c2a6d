import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { runExtract, toSnakeCase } from '../../src/extract/index.js';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { FAST_SOURCE, json, makeProject, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function duck() {
  return DuckDBConnection.open(await openDuckDBInstance(':memory:'));
}

const REVIEWS = [
  {
    id: 1,
    prId: 7,
    submittedAt: '2026-08-24T12:57:54.86678881Z',
    labels: ['a', 'b'],
    isBot: false,
    comments: [{ id: 5, body: 'fix', created_at: '2026-08-24T13:00:00.5Z' }],
  },
  { id: 2, prId: 8, submittedAt: '2026-08-25T00:00:00Z', labels: null, isBot: true },
];

const YML = `${FAST_SOURCE}streams:
  - name: reviews
    path: /reviews
    primary_key: id
    table: api_reviews
    columns:
      id: BIGINT
      pr_id: BIGINT
      submitted_at: TIMESTAMPTZ
      labels: VARCHAR[]
      is_bot: BOOLEAN
      comments: "STRUCT(id BIGINT, body VARCHAR, created_at TIMESTAMPTZ)[]"
      missing_everywhere: VARCHAR
`;

describe('landing', () => {
  it('converts camelCase to snake_case', () => {
    expect(['commitHash', 'nonAiLinesAdded', 'isPrimaryBranch', 'HTTPStatus', 'already_snake', 'userID'].map(toSnakeCase)).toEqual([
      'commit_hash',
      'non_ai_lines_added',
      'is_primary_branch',
      'http_status',
      'already_snake',
      'user_id',
    ]);
  });

  it('writes Parquet with the declared column types and loads raw.<table>', async () => {
    server = await startServer((_u, _r, res) => json(res, 200, REVIEWS));
    const dir = makeProject({ 'extract.yml': YML });
    const target = await duck();
    const r = await runExtract({ projectDir: dir, url: server.url, connection: target });
    expect(r.streams[0]).toMatchObject({ status: 'success', rows: 2, file: 'data/raw/reviews.parquet', table: 'raw.api_reviews' });
    const c = await duck();
    const described = await c.execute(`describe select * from read_parquet('${dir}/data/raw/reviews.parquet')`);
    expect(described.rows.map((x) => [x[0], x[1]])).toEqual([
      ['id', 'BIGINT'],
      ['pr_id', 'BIGINT'],
      ['submitted_at', 'TIMESTAMP WITH TIME ZONE'],
      ['labels', 'VARCHAR[]'],
      ['is_bot', 'BOOLEAN'],
      ['comments', 'STRUCT(id BIGINT, body VARCHAR, created_at TIMESTAMP WITH TIME ZONE)[]'],
      ['missing_everywhere', 'VARCHAR'],
    ]);
    const rows = await target.execute(
      "select id, pr_id, strftime(submitted_at, '%Y-%m-%dT%H:%M:%S.%f'), labels, is_bot, comments, missing_everywhere from raw.api_reviews order by id",
    );
    expect(rows.rows).toEqual([
      [1, 7, '2026-08-24T12:57:54.866788', ['a', 'b'], false, [{ id: 5, body: 'fix', created_at: new Date('2026-08-24T13:00:00.5Z') }], null],
      [2, 8, '2026-08-25T00:00:00.000000', null, true, null, null],
    ]);
    // Idempotent: a second run replaces the table rather than appending.
    await runExtract({ projectDir: dir, url: server.url, connection: target });
    expect((await target.execute('select count(*) from raw.api_reviews')).rows).toEqual([[2]]);
    const results = JSON.parse(readFileSync(`${dir}/target/extract_results.json`, 'utf8'));
    expect(results.streams[0]).toMatchObject({ stream: 'reviews', status: 'success', rows: 2, requests: 1, retries: 0, file: 'data/raw/reviews.parquet', table: 'raw.api_reviews' });
    expect(results.totals).toEqual({ rows: 2, requests: 1, retries: 0, streams: 1, errors: 0 });
    expect(readdirSync(`${dir}/data/raw`)).toEqual(['reviews.parquet']);
  });

  it('keeps the previous file when a later run fails (HTTP or a value that does not fit its type)', async () => {
    let mode: 'ok' | 'http' | 'type' = 'ok';
    server = await startServer((_u, _r, res) => {
      if (mode === 'http') return json(res, 500, { error: 'down' });
      json(res, 200, mode === 'ok' ? REVIEWS : [{ ...REVIEWS[0], id: 'not-a-number' }]);
    });
    const dir = makeProject({ 'extract.yml': YML });
    await runExtract({ projectDir: dir, url: server.url });
    const file = `${dir}/data/raw/reviews.parquet`;
    const before = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    mode = 'http';
    await expect(runExtract({ projectDir: dir, url: server.url })).rejects.toThrow(/failed 3 times/);
    mode = 'type';
    const err = await runExtract({ projectDir: dir, url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_LANDING');
    expect(err.message).toMatch(/^stream 'reviews': writing Parquet failed: .*not-a-number/s);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect(readdirSync(`${dir}/data/raw`)).toEqual(['reviews.parquet']);
    const results = JSON.parse(readFileSync(`${dir}/target/extract_results.json`, 'utf8'));
    expect(results.success).toBe(false);
    expect(results.streams[0].error.code).toBe('EXTRACT_LANDING');
  });

  it('lands an empty stream as an empty table with its declared columns; without columns it is an error', async () => {
    server = await startServer((_u, _r, res) => json(res, 200, []));
    const dir = makeProject({ 'extract.yml': YML });
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(r.streams[0]).toMatchObject({ rows: 0, file: 'data/raw/reviews.parquet' });
    const c = await duck();
    const d = await c.execute(`describe select * from read_parquet('${dir}/data/raw/reviews.parquet')`);
    expect(d.rows.map((x) => x[0])).toEqual(['id', 'pr_id', 'submitted_at', 'labels', 'is_bot', 'comments', 'missing_everywhere']);
    const bare = makeProject({ 'extract.yml': `${FAST_SOURCE}streams:\n  - { name: c, path: /c }\n` });
    const err = await runExtract({ projectDir: bare, url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_LANDING');
    expect(err.message).toBe("stream 'c': no rows and no `columns:`, so the Parquet file's columns are unknown");
  });

  it('keeps the API names with column_naming: as_is and infers types without columns', async () => {
    server = await startServer((_u, _r, res) => json(res, 200, [{ commitHash: 'a', linesAdded: 3 }]));
    const dir = makeProject({ 'extract.yml': `${FAST_SOURCE}streams:\n  - { name: c, path: /c, column_naming: as_is }\n` });
    await runExtract({ projectDir: dir, url: server.url });
    const c = await duck();
    const d = await c.execute(`describe select * from read_parquet('${dir}/data/raw/c.parquet')`);
    expect(d.rows.map((x) => [x[0], x[1]])).toEqual([['commitHash', 'VARCHAR'], ['linesAdded', 'BIGINT']]);
    expect(existsSync(`${dir}/.tsdbt/extract_state.json`)).toBe(true);
  });
});
