import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../sim/index.js';
import { PACKAGE_ROOT } from '../../util/package-root.js';
import type { Command } from '../command-context.js';
import { reportSummary } from '../node-reporter.js';
import { extractWith } from './extract.js';
import { executionOptions, progressCallbacks } from './nodes.js';

/** The bundled Cursor analytics project shipped with tsdbt. */
export function bundledProjectDir(): string {
  return join(PACKAGE_ROOT, 'project');
}

const HEADLINES: [string, string][] = [
  [
    'Weekly velocity (latest weeks; cycle times in hours)',
    `select cast(week as date) as week, repo_name, total_prs,
       round(p50_cycle_time, 1) as p50_cycle_h, round(p90_cycle_time, 1) as p90_cycle_h, round(avg_ai_ratio, 2) as avg_ai_ratio
     from {{ ref('mart_velocity') }} order by week desc, repo_name`,
  ],
  [
    'AI impact by band (all weeks)',
    `select ai_usage_band, sum(pr_count) as prs, round(avg(avg_ai_ratio), 2) as avg_ai_ratio,
       round(avg(avg_review_cycle_time), 1) as review_cycle_h, round(avg(revert_rate), 3) as revert_rate, round(avg(hotfix_rate), 3) as hotfix_rate
     from {{ ref('mart_ai_impact') }} group by ai_usage_band, ai_band_sort_order order by ai_band_sort_order`,
  ],
];

/**
 * `tsdbt demo`: the main job end to end on the embedded default — start the
 * cursor-sim simulator on 127.0.0.1, extract it into Parquet and the raw
 * schema, build the bundled project on DuckDB, print the headline marts.
 */
export const demoCommand: Command = async (ctx) => {
  const started = performance.now();
  if (!ctx.argv.flags.projectDir && !existsSync(`${ctx.cwd}/dbt_project.yml`)) ctx.argv.flags.projectDir = bundledProjectDir();
  const sim = await startSimulator({});
  ctx.out.info(`cursor-sim simulator on ${sim.url}`);
  try {
    const extracted = await extractWith(ctx, { url: sim.url });
    if (!extracted.success) return 1;
  } finally {
    await sim.close();
  }
  const { build } = await import('../../api/run.js');
  const result = await build({ ...executionOptions(ctx), ...progressCallbacks(ctx) });
  reportSummary(ctx.out, result, executionOptions(ctx).projectDir);
  if (!result.success) return 1;
  const { show } = await import('../../api/show.js');
  const { agatePrintTable } = await import('../../adapters/base/agate-print.js');
  for (const [title, sql] of HEADLINES) {
    const preview = await show({ ...executionOptions(ctx), select: undefined, inline: sql, limit: 12 });
    ctx.out.result(`\n${title}:`);
    // dbt's show cuts cells at 20 characters; the demo's repository names are longer.
    ctx.out.result(agatePrintTable(preview.columns, preview.rows, { maxColumns: null, maxColumnWidth: null, maxPrecision: 3 }));
  }
  ctx.out.info(`\nDemo finished in ${((performance.now() - started) / 1000).toFixed(1)}s.`);
  return 0;
};
