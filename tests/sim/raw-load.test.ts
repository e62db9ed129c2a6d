import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { startSimulator, type RunningSim } from '../../src/sim/index.js';
import { extractAll, loadRaw, RAW_COLUMNS, type ExtractedData } from './raw-loader.js';

const NOW = new Date('2026-06-01T12:00:00Z');
let sim: RunningSim;
let conn: DuckDBConnection;
let extracted: ExtractedData;

beforeAll(async () => {
  sim = await startSimulator({ now: NOW, rateLimit: false });
  extracted = await extractAll(sim.url);
  conn = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
  await loadRaw(conn, extracted);
});
afterAll(async () => {
  await conn.close();
  await sim.close();
});

const scalar = async (sql: string) => (await conn.execute(sql)).rows[0]![0];

describe('simulator data in the raw shape', () => {
  it('extracts every record exactly once', () => {
    expect(extracted.commits).toEqual(sim.data.commits);
    expect(extracted.pullRequests).toEqual(sim.data.pullRequests);
    expect(extracted.reviews.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(sim.data.reviews.map((r) => r.id));
    expect(sim.requestCount).toBe(extracted.requests);
  });

  it('lands one table per stream with the documented column types', async () => {
    for (const [table, cols] of Object.entries(RAW_COLUMNS)) {
      const r = await conn.execute(`select column_name, data_type from information_schema.columns where table_schema = 'raw' and table_name = '${table}' order by ordinal_position`);
      expect(r.rows).toEqual(cols.map(([c, t]) => [c, t.replaceAll('TIMESTAMPTZ', 'TIMESTAMP WITH TIME ZONE')]));
    }
    expect(await scalar('select count(*) from raw.commits')).toBe(sim.data.commits.length);
    expect(await scalar('select count(*) from raw.pull_requests')).toBe(sim.data.pullRequests.length);
    expect(await scalar('select count(*) from raw.reviews')).toBe(sim.data.reviews.length);
    expect(await scalar('select count(*) from raw.repos')).toBe(sim.data.repos.length);
  });

  it('keeps timestamps as instants and absent fields as NULL', async () => {
    const c = sim.data.commits[10]!;
    const ts = await scalar(`select commit_ts from raw.commits where commit_hash = '${c.commitHash}'`);
    expect((ts as Date).getTime()).toBe(Date.parse(c.commitTs));
    const missing = sim.data.pullRequests.filter((p) => !('first_commit_at' in p)).length;
    expect(await scalar('select count(*) from raw.pull_requests where first_commit_at is null')).toBe(missing);
    const open = sim.data.pullRequests.filter((p) => p.state !== 'merged').length;
    expect(await scalar('select count(*) from raw.pull_requests where merged_at is null')).toBe(open);
  });

  it('adds repo_name and pr_number to reviews and keeps comments as structs', async () => {
    const r = await conn.execute(`select count(*) from raw.reviews r join raw.pull_requests p on p.id = r.pr_id
      where r.repo_name = p.repo_name and r.pr_number = p.number`);
    expect(r.rows[0]![0]).toBe(sim.data.reviews.length);
    const withComments = sim.data.reviews.find((x) => x.comments)!;
    const row = await conn.execute(`select comments[1].author_id, len(comments) from raw.reviews where id = ${withComments.id}`);
    expect(row.rows[0]).toEqual([withComments.comments![0]!.author_id, withComments.comments!.length]);
    const approved = await scalar(`select count(*) from raw.reviews where state = 'approved' and comments is not null`);
    expect(approved).toBe(0);
  });

  it('stores list columns as VARCHAR[] that unnest back to commits', async () => {
    const linked = await scalar(`select count(*) from (select unnest(commit_ids) as h from raw.pull_requests) x
      join raw.commits c on c.commit_hash = x.h`);
    expect(linked).toBe(sim.data.pullRequests.reduce((s, p) => s + p.commit_ids.length, 0));
  });
});
