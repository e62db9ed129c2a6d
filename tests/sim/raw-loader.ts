/**
 * Test helper: fetch everything from a running simulator the way
 * cursor-api.md says a complete, duplicate-free extraction must (commits in
 * one wide range, PRs one created_at day at a time, reviews per team
 * member), then land it in DuckDB in the raw shape project/README.md
 * documents (schema `raw`, snake_case columns, TIMESTAMPTZ, lists, structs).
 *
 * This is not the extractor (src/extract/ is); it is the reference the
 * bundled dbt project is checked against.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../../src/adapters/base/connection.js';

export interface ExtractedData {
  commits: Record<string, unknown>[];
  pullRequests: Record<string, unknown>[];
  reviews: Record<string, unknown>[];
  repos: Record<string, unknown>[];
  requests: number;
}

const DAY = 86_400_000;

/** GET with Basic auth, honouring 429 Retry-After. */
async function getJson(base: string, apiKey: string, path: string, counter: { n: number }): Promise<any> {
  for (;;) {
    counter.n++;
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}` } });
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
      continue;
    }
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }
}

export async function extractAll(base: string, apiKey = 'cursor-sim-dev-key'): Promise<ExtractedData> {
  const counter = { n: 0 };
  const get = (path: string) => getJson(base, apiKey, path, counter);
  const members: { email: string }[] = (await get('/teams/members')).teamMembers;
  const repos: { full_name: string; total_pull_requests_count: number }[] = await get('/repos');

  const commits: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const body = await get(`/analytics/ai-code/commits?startDate=2000-01-01&endDate=now&pageSize=1000&page=${page}`);
    commits.push(...body.items);
    if (commits.length >= body.totalCount || body.items.length === 0) break;
  }

  // A PR is opened after its commits, within hours of the last one: the commit days bound the days to walk.
  const dayOf = (c: Record<string, unknown> | undefined) => Date.parse(String(c?.commitTs ?? '1970-01-01').slice(0, 10));
  const prs = new Map<number, Record<string, unknown>>();
  for (let day = dayOf(commits[0]); day <= dayOf(commits[commits.length - 1]) + DAY; day += DAY) {
    const d = new Date(day).toISOString().slice(0, 10);
    const one = await get(`/analytics/github/prs?start_date=${d}&end_date=${d}&page_size=100`);
    if (one.pagination.total <= 100) {
      for (const pr of one.data) prs.set(pr.id, pr);
      continue;
    }
    for (const status of ['open', 'closed', 'merged']) {
      for (let page = 1; ; page++) {
        const body = await get(`/analytics/github/prs?start_date=${d}&end_date=${d}&status=${status}&page_size=100&page=${page}`);
        for (const pr of body.data) prs.set(pr.id, pr);
        if (page * 100 >= body.pagination.total) break;
      }
    }
  }
  const expectedPrs = repos.reduce((s, r) => s + r.total_pull_requests_count, 0);
  if (prs.size !== expectedPrs) throw new Error(`extracted ${prs.size} PRs, /repos says ${expectedPrs}`);

  const reviews: Record<string, unknown>[] = [];
  for (const m of members) {
    for (let page = 1; ; page++) {
      const body = await get(`/analytics/github/reviews?reviewer=${encodeURIComponent(m.email)}&page_size=100&page=${page}`);
      for (const r of body.data) {
        const pr = prs.get(r.pr_id);
        reviews.push({ ...r, repo_name: pr?.repo_name ?? null, pr_number: pr?.number ?? null });
      }
      if (page * 100 >= body.pagination.total) break;
    }
  }
  return {
    commits,
    pullRequests: [...prs.values()].sort((a, b) => Number(a.id) - Number(b.id)),
    reviews,
    repos,
    requests: counter.n,
  };
}

export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const TS = 'TIMESTAMPTZ';
/** Column types of each raw table, in order; `json` is the API key feeding it. */
export const RAW_COLUMNS: Record<string, [column: string, type: string][]> = {
  commits: [
    ['commit_hash', 'VARCHAR'], ['user_id', 'VARCHAR'], ['user_email', 'VARCHAR'], ['user_name', 'VARCHAR'],
    ['repo_name', 'VARCHAR'], ['branch_name', 'VARCHAR'], ['is_primary_branch', 'BOOLEAN'],
    ['total_lines_added', 'BIGINT'], ['total_lines_deleted', 'BIGINT'], ['tab_lines_added', 'BIGINT'],
    ['tab_lines_deleted', 'BIGINT'], ['composer_lines_added', 'BIGINT'], ['composer_lines_deleted', 'BIGINT'],
    ['non_ai_lines_added', 'BIGINT'], ['non_ai_lines_deleted', 'BIGINT'], ['message', 'VARCHAR'],
    ['commit_ts', TS], ['created_at', TS],
  ],
  pull_requests: [
    ['id', 'BIGINT'], ['number', 'BIGINT'], ['title', 'VARCHAR'], ['body', 'VARCHAR'], ['state', 'VARCHAR'],
    ['author_id', 'VARCHAR'], ['author_email', 'VARCHAR'], ['author_name', 'VARCHAR'], ['repo_name', 'VARCHAR'],
    ['base_branch', 'VARCHAR'], ['head_branch', 'VARCHAR'], ['reviewers', 'VARCHAR[]'], ['labels', 'VARCHAR[]'],
    ['additions', 'BIGINT'], ['deletions', 'BIGINT'], ['initial_additions', 'BIGINT'], ['changed_files', 'BIGINT'],
    ['commit_count', 'BIGINT'], ['tab_lines', 'BIGINT'], ['composer_lines', 'BIGINT'], ['ai_ratio', 'DOUBLE'],
    ['commit_ids', 'VARCHAR[]'], ['was_reverted', 'BOOLEAN'], ['is_bug_fix', 'BOOLEAN'], ['created_at', TS],
    ['updated_at', TS], ['merged_at', TS], ['closed_at', TS], ['first_commit_at', TS], ['first_review_at', TS],
    ['last_commit_at', TS],
  ],
  reviews: [
    ['id', 'BIGINT'], ['pr_id', 'BIGINT'], ['reviewer', 'VARCHAR'], ['state', 'VARCHAR'], ['submitted_at', TS],
    ['body', 'VARCHAR'],
    ['comments', `STRUCT(id BIGINT, pr_number BIGINT, repo_name VARCHAR, author_id VARCHAR, body VARCHAR, state VARCHAR, created_at ${TS})[]`],
    ['repo_name', 'VARCHAR'], ['pr_number', 'BIGINT'],
  ],
  repos: [
    ['full_name', 'VARCHAR'], ['default_branch', 'VARCHAR'], ['open_pull_requests_count', 'BIGINT'],
    ['total_pull_requests_count', 'BIGINT'],
  ],
};

/** Create schema `raw` and one table per stream; absent keys become NULL. */
export async function loadRaw(conn: Connection, data: ExtractedData): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tsdbt-raw-'));
  try {
    await conn.execute('create schema if not exists raw');
    const streams: [string, Record<string, unknown>[]][] = [
      ['commits', data.commits], ['pull_requests', data.pullRequests], ['reviews', data.reviews], ['repos', data.repos],
    ];
    for (const [table, rows] of streams) {
      const file = join(dir, `${table}.ndjson`);
      const snake = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [snakeCase(k), v])));
      await writeFile(file, snake.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const cols = RAW_COLUMNS[table]!.map(([c, t]) => `"${c}": '${t}'`).join(', ');
      await conn.execute(
        `create or replace table raw.${table} as select * from read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = {${cols}})`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
