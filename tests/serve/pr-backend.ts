import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { OneAtATime } from '../../src/serve/one-at-a-time.js';
import { QueryInvalid, type Catalog, type CompiledQuery, type QueryBackend, type QueryResult, type SemanticQuery } from '../../src/serve/backend.js';

/**
 * A small semantic backend over a real in-memory DuckDB, for the server's own
 * tests: one table of pull requests, three metrics, two dimensions. It
 * compiles only the query shapes these tests send (the semantic layer proper
 * is tested on its own); `slow_count` runs long enough to time out or cancel.
 */
export const CATALOG: Catalog = {
  metrics: [
    { name: 'prs_merged', label: 'PRs merged', description: 'Pull requests merged', type: 'simple', unit: 'count', category: 'throughput', tags: ['headline'], synonyms: ['merged prs', 'merges'], dimensions: ['metric_time', 'pull_request__repo_name'] },
    { name: 'lines_added', label: 'Lines added', description: 'Lines added by merged pull requests', type: 'simple', unit: 'lines', category: 'ai_usage', tags: [], synonyms: [], dimensions: ['metric_time', 'pull_request__repo_name'] },
    { name: 'slow_count', label: 'Slow count', description: 'A deliberately slow query', type: 'simple', unit: null, category: 'test', tags: [], synonyms: [], dimensions: [] },
  ],
  dimensions: [
    { name: 'metric_time', type: 'time', description: 'Merge time', label: 'Metric time', granularities: ['day', 'week', 'month', 'quarter', 'year'], valueType: 'time' },
    { name: 'pull_request__repo_name', type: 'categorical', description: 'Repository', label: 'Repository', granularities: [], valueType: 'string' },
    { name: 'pull_request__additions', type: 'categorical', description: 'Lines added', label: null, granularities: [], valueType: 'number' },
  ],
  entities: [{ name: 'pull_request', type: 'primary', description: 'A pull request', semanticModel: 'pull_requests' }],
  savedQueries: [{ name: 'weekly_merges', description: 'PRs merged per week', label: 'Weekly merges', query: { metrics: ['prs_merged'], groupBy: ['metric_time__week'], where: [], orderBy: ['metric_time__week'] } }],
};

const METRIC_SQL: Record<string, string> = {
  prs_merged: 'count(*)',
  lines_added: 'sum(additions)',
  slow_count: '(select count(*) from range(5000000000) a where (a.range * 7) % 13 = 1)',
};
const COLUMN: Record<string, string> = { pull_request__repo_name: 'repo_name', pull_request__additions: 'additions' };
const FILTER = /^\{\{ (Dimension|TimeDimension)\('(\w+)'(?:, '\w+')?\) \}\} (=|<>|>=|<=|>|<|like|in) (.+)$/;

export class PrBackend implements QueryBackend {
  executed = 0;
  version = 'v1';
  failTimes = 0;
  private constructor(private readonly conn: DuckDBConnection) {}

  static async open(): Promise<PrBackend> {
    const conn = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
    await conn.execute(`create table prs as select * from (values
      (1, 'web', timestamp '2025-01-06 10:00:00', 10), (2, 'web', timestamp '2025-01-07 11:00:00', 20),
      (3, 'api', timestamp '2025-01-08 09:00:00', 5), (4, 'api', timestamp '2025-01-14 12:00:00', 7),
      (5, 'web', timestamp '2025-01-15 08:00:00', 1)) t(id, repo_name, merged_at, additions)`);
    return new PrBackend(conn);
  }

  catalog(): Catalog { return CATALOG; }
  manifestHash(): string { return 'hash-1'; }
  target(): string { return 'dev'; }
  dataVersion(): string { return this.version; }

  compile(q: SemanticQuery): CompiledQuery {
    const unknown = q.metrics.filter((m) => !(m in METRIC_SQL));
    if (unknown.length) throw new QueryInvalid(unknown.map((m) => ({ code: 'METRIC_UNKNOWN', message: `'${m}' is not a metric`, path: '/metrics' })));
    const select: string[] = [];
    const groups: string[] = [];
    for (const g of q.groupBy) {
      const t = /^metric_time__(day|week|month|quarter|year)$/.exec(g);
      const expr = t ? `date_trunc('${t[1]}', merged_at)::date` : COLUMN[g];
      if (!expr) throw new QueryInvalid([{ code: 'DIMENSION_UNKNOWN', message: `'${g}' is not a dimension`, path: '/group_by' }]);
      select.push(`${expr} as ${g}`);
      groups.push(expr);
    }
    for (const m of q.metrics) select.push(`${METRIC_SQL[m]} as ${m}`);
    const binds: unknown[] = [];
    const where: string[] = [];
    for (const w of q.where) {
      const m = FILTER.exec(w);
      if (!m) throw new QueryInvalid([{ code: 'FILTER_INVALID', message: `cannot read filter ${w}`, path: '/where' }]);
      const col = m[2] === 'metric_time' ? 'merged_at' : COLUMN[m[2]!]!;
      const lits = [...m[4]!.matchAll(/'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)/g)].map((x) => (x[1] !== undefined ? x[1].replace(/''/g, "'") : Number(x[2])));
      if (m[3] === 'in') where.push(`${col} in (${lits.map(() => '?').join(', ')})`);
      else where.push(`${col} ${m[3]} ?`);
      binds.push(...lits);
    }
    if (q.startTime) { where.push('merged_at >= ?::timestamp'); binds.push(q.startTime); }
    if (q.endTime) { where.push("merged_at < ?::timestamp + interval 1 day"); binds.push(q.endTime); }
    const order = q.orderBy.map((o) => (o.startsWith('-') ? `${o.slice(1)} desc` : o));
    const sql = `select ${select.join(', ')} from prs${where.length ? ` where ${where.join(' and ')}` : ''}${groups.length ? ` group by ${groups.join(', ')}` : ''}${order.length ? ` order by ${order.join(', ')}` : ''}${q.limit ? ` limit ${q.limit}` : ''}`;
    return { sql, binds, models: ['model.test.prs'] };
  }

  /** One statement at a time on the connection: a cancelled one ends before the next starts. */
  private readonly queue = new OneAtATime();

  execute(c: CompiledQuery, opts: { signal: AbortSignal }): Promise<QueryResult> {
    return this.queue.run(opts.signal, () => void this.conn.cancel(), async () => {
      if (this.failTimes > 0) {
        this.failTimes -= 1;
        throw Object.assign(new Error('connection reset by peer'), { transient: true });
      }
      this.executed += 1;
      const started = performance.now();
      const r = await this.conn.execute(c.sql, c.binds);
      const columns = r.columns.map((x) => x.name);
      const rows = r.rows.map((row) => Object.fromEntries(columns.map((col, i) => [col, normalise(row[i])])));
      return { columns, rows, elapsedMs: performance.now() - started };
    });
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}

function normalise(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return v;
}
