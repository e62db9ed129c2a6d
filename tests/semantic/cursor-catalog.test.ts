import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTargetConnection } from '../../src/api/open-connection.js';
import { openSemanticLayer } from '../../src/api/semantic.js';
import { bundledProjectDir } from '../../src/cli/commands/demo.js';
import { runCli } from '../../src/cli/main.js';
import { captureStreams } from '../support/project-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'tsdbt-sl-cursor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plain = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v);

describe('the Cursor metrics catalog (project/models/semantic)', () => {
  it('validates, and its metrics equal mart_velocity / mart_review_costs columns at the marts\' grain', async () => {
    cpSync(bundledProjectDir(), dir, { recursive: true, filter: (p) => !/(\/data|\/target|\/\.tsdbt|\.duckdb(\.wal)?)$/.test(p) });
    const io = captureStreams();
    expect(await runCli(['demo', '--project-dir', dir], io.streams, {})).toBe(0);
    const v = captureStreams();
    expect(await runCli(['sl', 'validate', '--project-dir', dir], v.streams, {})).toBe(0);
    expect(v.stdout.join('')).toMatch(/3 semantic models, 3\d metrics, 4 saved queries: valid/);

    const { layer, loaded } = await openSemanticLayer({ projectDir: dir });
    const metrics = layer.listMetrics();
    expect(metrics.length).toBeGreaterThanOrEqual(25);
    for (const m of metrics) expect([m.name, m.label !== m.name, Boolean(m.description), Boolean(m.unit), Boolean(m.category)]).toEqual([m.name, true, true, true, true]);
    expect(new Set(metrics.map((m) => m.category))).toEqual(new Set(['throughput', 'lead_time', 'flow', 'quality', 'capacity', 'review', 'ai_usage']));

    const { connection, close } = await openTargetConnection(loaded);
    try {
      const mart = await connection.execute('select week, repo_name, total_prs, active_developers, avg_pr_size, total_cycle_time, p50_cycle_time, p90_cycle_time, avg_ai_ratio from main_mart.mart_velocity order by 1, 2');
      const { result } = await layer.execute(connection, {
        metrics: ['prs_merged', 'active_developers', 'avg_pr_size', 'cycle_time_avg', 'cycle_time_p50', 'cycle_time_p90', 'avg_ai_ratio'],
        groupBy: ['metric_time__week', 'pull_request__repo_name'],
        where: ["{{ TimeDimension('metric_time', 'day') }} is not null"],
        orderBy: ['metric_time__week', 'pull_request__repo_name'],
      });
      expect(mart.rows.length).toBeGreaterThan(5);
      expect(result.columns.map((c) => c.name)).toEqual(['metric_time__week', 'pull_request__repo_name', 'prs_merged', 'active_developers', 'avg_pr_size', 'cycle_time_avg', 'cycle_time_p50', 'cycle_time_p90', 'avg_ai_ratio']);
      expect(result.rows.map((r) => r.map(plain))).toEqual(mart.rows.map((r) => r.map(plain)));

      const reviews = await connection.execute('select week, repo_name, total_reviews, approvals, changes_requested from main_mart.mart_review_costs order by 1, 2');
      const sl = await layer.execute(connection, { metrics: ['reviews', 'approvals', 'changes_requested'], groupBy: ['metric_time__week', 'review__repo_name'], orderBy: ['metric_time__week', 'review__repo_name'] });
      expect(sl.result.rows.map((r) => r.map(plain))).toEqual(reviews.rows.map((r) => r.map(plain)));
    } finally {
      await close();
    }
  }, 180_000);
});
