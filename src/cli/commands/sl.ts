import { formatTable } from '../../adapters/base/result-table.js';
import { openTargetConnection } from '../../api/open-connection.js';
import { openSemanticLayer } from '../../api/semantic.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { SemanticQuery } from '../../semantic/query-spec.js';
import { globalOptions, type Command, type CommandContext } from '../command-context.js';

const csvList = (v: unknown): string[] => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

function jsonValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().slice(0, 10) + (v.toISOString().slice(10) === 'T00:00:00.000Z' ? '' : v.toISOString().slice(10));
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function csvCell(v: unknown): string {
  const j = jsonValue(v);
  if (j === null || j === undefined) return '';
  const s = String(j);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function queryFromFlags(ctx: CommandContext): SemanticQuery {
  const f = ctx.argv.flags;
  const limit = f.limit === undefined ? undefined : Number(f.limit);
  return {
    metrics: csvList(f.metrics), groupBy: csvList(f.groupBy), where: (f.where as string[] | undefined) ?? [], orderBy: csvList(f.order),
    limit: limit === undefined ? undefined : limit, startTime: (f.startTime as string | undefined) ?? null, endTime: (f.endTime as string | undefined) ?? null,
  };
}

/** `tsdbt sl list|query|validate`: the semantic layer from the command line (MetricFlow's `mf` shape). */
export const slCommand: Command = async (ctx) => {
  const [verb, what] = ctx.argv.positionals;
  const f = ctx.argv.flags;
  if (verb === 'ask') return (await import('./sl-ask.js')).slAsk(ctx);
  if (verb === 'list') {
    const { layer } = await openSemanticLayer({ ...globalOptions(ctx), inlineEphemeral: false });
    const metrics = csvList(f.metrics);
    if (what === 'metrics') {
      const rows = layer.listMetrics().map((m) => [m.name, m.type, m.category ?? '', m.unit ?? '', m.label, m.description]);
      ctx.out.result(f.output === 'json' ? JSON.stringify(layer.listMetrics(), null, 2) : formatTable(['name', 'type', 'category', 'unit', 'label', 'description'], rows, 60));
    } else if (what === 'dimensions' || what === 'entities') {
      const items = what === 'dimensions' ? layer.listDimensions(metrics) : layer.listEntities(metrics);
      ctx.out.result(f.output === 'json' ? JSON.stringify(items, null, 2) : formatTable(['name', 'type', 'semantic_model', 'description'], items.map((d) => [d.name, d.type, d.semanticModel, d.description ?? '']), 60));
    } else if (what === 'saved-queries') {
      const items = layer.listSavedQueries();
      ctx.out.result(formatTable(['name', 'metrics', 'group_by', 'description'], items.map((q) => [q.name, q.metrics.join(', '), q.groupBy.join(', '), q.description ?? '']), 60));
    } else {
      throw new TsdbtError('USAGE', `tsdbt sl list ${what ?? ''}: expected metrics, dimensions, entities or saved-queries`, { hint: 'e.g. tsdbt sl list metrics' });
    }
    return 0;
  }
  if (verb === 'validate') {
    const { layer } = await openSemanticLayer({ ...globalOptions(ctx), inlineEphemeral: false });
    const problems: string[] = [];
    for (const m of layer.manifest.metrics) {
      try { layer.compile({ metrics: [m.name], groupBy: layer.catalog.dimensionsOf(m).includes('metric_time') ? ['metric_time__day'] : [] }); } catch (e) { problems.push(`metric '${m.name}' (${m.file}${m.line ? `:${m.line}` : ''}): ${e instanceof TsdbtError ? `[${e.code}] ${e.message}` : String(e)}`); }
    }
    for (const q of layer.manifest.savedQueries) {
      try { layer.compile(layer.savedQuery(q.name)); } catch (e) { problems.push(`saved query '${q.name}' (${q.file}${q.line ? `:${q.line}` : ''}): ${e instanceof TsdbtError ? `[${e.code}] ${e.message}` : String(e)}`); }
    }
    for (const p of problems) ctx.out.error(p);
    ctx.out.result(`${layer.manifest.semanticModels.length} semantic models, ${layer.manifest.metrics.length} metrics, ${layer.manifest.savedQueries.length} saved queries: ${problems.length ? `${problems.length} problem(s)` : 'valid'}`);
    return problems.length ? 2 : 0;
  }
  if (verb === 'query') {
    const { layer, loaded } = await openSemanticLayer(globalOptions(ctx));
    const flags = queryFromFlags(ctx);
    const query = typeof f.savedQuery === 'string'
      ? layer.savedQuery(f.savedQuery, { where: flags.where, orderBy: flags.orderBy?.length ? flags.orderBy : undefined, limit: flags.limit, startTime: flags.startTime, endTime: flags.endTime })
      : flags;
    const compiled = layer.compile(query);
    if (f.compile) {
      ctx.out.result(`${compiled.sql}\n-- binds: ${JSON.stringify(compiled.binds)}`);
      return 0;
    }
    const { connection, close } = await openTargetConnection(loaded);
    try {
      const timeout = f.timeout === undefined ? undefined : Number(f.timeout) * 1000;
      const { result } = await layer.execute(connection, query, { timeoutMs: timeout });
      const names = result.columns.map((c) => c.name);
      if (f.output === 'json') ctx.out.result(JSON.stringify(result.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, jsonValue(r[i])]))), null, 2));
      else if (f.output === 'csv') ctx.out.result([names.join(','), ...result.rows.map((r) => r.map(csvCell).join(','))].join('\n'));
      else {
        ctx.out.result(formatTable(names, result.rows, 40, result.columns.map((c) => c.type)));
        ctx.out.info(`${result.rows.length} rows in ${result.elapsedMs.toFixed(0)} ms`);
      }
    } finally {
      await close();
    }
    return 0;
  }
  throw new TsdbtError('USAGE', `tsdbt sl ${verb ?? ''}: expected list, query, validate or ask`, { hint: 'e.g. tsdbt sl query --metrics prs_merged --group-by metric_time__week' });
};
