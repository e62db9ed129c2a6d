import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '../adapters/base/connection.js';
import { openTargetConnection } from '../api/open-connection.js';
import { openSemanticLayer } from '../api/semantic.js';
import type { GlobalOptions, LoadedProject } from '../api/load-project.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Manifest } from '../manifest/types.js';
import type { SemanticLayer } from '../semantic/semantic-layer.js';
import { executeCompiled } from '../semantic/execute-query.js';
import { OneAtATime } from './one-at-a-time.js';
import { QueryInvalid, type Catalog, type CompiledQuery, type ExecuteOptions, type QueryBackend, type QueryResult, type SemanticQuery } from './backend.js';
import { targetDirOf } from '../api/target-dir.js';

const GRAINS = ['day', 'week', 'month', 'quarter', 'year'];

/**
 * The server's backend over a project's semantic layer and target: the
 * catalog from the semantic manifest, queries compiled by the layer, run on
 * one connection at a time (a cancelled statement ends before the next
 * starts). The connection is opened on demand and closed when idle, so a
 * `tsdbt build` between queries can take DuckDB's file lock. The data version
 * of the models a query reads comes from target/run_results.json.
 */
export class SemanticBackend implements QueryBackend {
  private readonly queue = new OneAtATime(100);
  private conn: { connection: Connection; close(): Promise<void> } | null = null;
  private idle: NodeJS.Timeout | undefined;
  private readonly builtAt = new Map<string, string>();
  private resultsStamp = '';
  private catalogCache: Catalog | undefined;
  private readonly ancestors = new Map<string, string[]>();

  private constructor(
    readonly layer: SemanticLayer,
    private readonly loaded: LoadedProject,
    private readonly manifest: Manifest,
    private readonly relationOf: (model: string) => string,
    private readonly idleCloseMs: number,
  ) {}

  static async open(opts: GlobalOptions & { idleCloseMs?: number } = {}): Promise<SemanticBackend> {
    const { layer, loaded, manifest, relationOf } = await openSemanticLayer(opts);
    if (layer.manifest.metrics.length === 0) {
      throw new TsdbtError('USAGE', 'The project declares no metrics, so there is nothing to serve', { hint: 'Add semantic_models: and metrics: to a properties file (see `tsdbt sl validate`).' });
    }
    return new SemanticBackend(layer, loaded, manifest, relationOf, opts.idleCloseMs ?? 2000);
  }

  catalog(): Catalog {
    if (this.catalogCache) return this.catalogCache;
    const meta = new Map(this.layer.manifest.metrics.map((m) => [m.name, m.meta]));
    const dims = new Map<string, { label: string | null }>();
    for (const sm of this.layer.manifest.semanticModels) for (const d of sm.dimensions) dims.set(d.name, { label: d.label });
    this.catalogCache = {
      metrics: this.layer.listMetrics().map((m) => ({
        ...m,
        synonyms: Array.isArray(meta.get(m.name)?.synonyms) ? (meta.get(m.name)!.synonyms as unknown[]).map(String) : [],
      })),
      dimensions: this.layer.listDimensions().map((d) => ({
        name: d.name,
        type: d.type === 'time' ? 'time' as const : 'categorical' as const,
        description: d.description ?? '',
        label: dims.get(d.name.split('__').pop()!)?.label ?? null,
        granularities: d.type === 'time' ? GRAINS : [],
        valueType: d.type === 'time' ? 'time' as const : 'string' as const,
      })),
      entities: this.layer.listEntities().map((e) => ({ name: e.name, type: e.type, description: e.description ?? '', semanticModel: e.semanticModel })),
      savedQueries: this.layer.listSavedQueries().map((s) => {
        const q = this.layer.savedQuery(s.name);
        return {
          name: s.name, description: s.description ?? '', label: s.label,
          query: { metrics: q.metrics, groupBy: q.groupBy ?? [], where: q.where ?? [], orderBy: q.orderBy ?? [], ...(q.limit ? { limit: q.limit } : {}) },
        };
      }),
    };
    return this.catalogCache;
  }

  manifestHash(): string {
    return this.layer.hash;
  }

  target(): string {
    return this.loaded.profile.targetName;
  }

  compile(q: SemanticQuery): CompiledQuery {
    try {
      const compiled = this.layer.compile({ metrics: q.metrics, groupBy: q.groupBy, where: q.where, orderBy: q.orderBy, limit: q.limit ?? null, startTime: q.startTime ?? null, endTime: q.endTime ?? null });
      // The models the query reads: those whose relation (or inlined SQL) the statement contains, and their ancestors.
      const read = this.layer.manifest.semanticModels.filter((sm) => compiled.sql.includes(this.relationOf(sm.modelName))).map((sm) => sm.modelName);
      const models = [...new Set(read.flatMap((name) => this.ancestorsOf(name)))].sort();
      return { sql: compiled.sql, binds: compiled.binds, models };
    } catch (e) {
      if (e instanceof TsdbtError && e.code.startsWith('QUERY_')) throw new QueryInvalid([{ code: e.code, message: e.message, path: '/', ...(e.hint ? { hint: e.hint } : {}) }]);
      throw e;
    }
  }

  private ancestorsOf(modelName: string): string[] {
    const cached = this.ancestors.get(modelName);
    if (cached) return cached;
    const node = Object.values(this.manifest.nodes).find((n) => n.name === modelName && (n.resource_type === 'model' || n.resource_type === 'seed' || n.resource_type === 'snapshot'));
    const out = new Set<string>();
    const walk = (id: string) => {
      if (out.has(id)) return;
      out.add(id);
      for (const p of this.manifest.parent_map[id] ?? []) walk(p);
    };
    if (node) walk(node.unique_id);
    const list = [...out];
    this.ancestors.set(modelName, list);
    return list;
  }

  /** When each model was last built, from run_results.json (kept across runs that built only some models). */
  dataVersion(models: string[]): string {
    const path = targetDirOf(this.loaded, 'run_results.json');
    try {
      const st = statSync(path);
      const stamp = `${st.mtimeMs}:${st.size}`;
      if (stamp !== this.resultsStamp) {
        this.resultsStamp = stamp;
        const rr = JSON.parse(readFileSync(path, 'utf8')) as { results?: { unique_id: string; status: string; timing?: { completed_at?: string }[] }[] };
        for (const r of rr.results ?? []) if (r.status === 'success') this.builtAt.set(r.unique_id, r.timing?.at(-1)?.completed_at ?? stamp);
      }
    } catch {
      // No run results yet: the version is only what has been seen.
    }
    return createHash('sha256').update(models.map((m) => `${m}=${this.builtAt.get(m) ?? ''}`).join('\n')).digest('hex').slice(0, 16);
  }

  execute(c: CompiledQuery, opts: ExecuteOptions): Promise<QueryResult> {
    let connection: Connection | undefined;
    return this.queue.run(opts.signal, () => void connection?.cancel().catch(() => {}), async () => {
      connection = await this.connection();
      try {
        const r = await executeCompiled(connection, { sql: c.sql, binds: c.binds, columns: [] }, { timeoutMs: opts.timeoutMs, signal: opts.signal });
        const names = r.columns.map((x) => x.name);
        return { columns: names, rows: r.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, jsonValue(row[i])]))), elapsedMs: r.elapsedMs };
      } finally {
        this.releaseLater();
      }
    });
  }

  private async connection(): Promise<Connection> {
    clearTimeout(this.idle);
    this.conn ??= await openTargetConnection(this.loaded);
    return this.conn.connection;
  }

  private releaseLater(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => void this.closeConnection(), this.idleCloseMs);
    this.idle.unref?.();
  }

  private async closeConnection(): Promise<void> {
    const c = this.conn;
    this.conn = null;
    await c?.close();
  }

  async close(): Promise<void> {
    clearTimeout(this.idle);
    await this.queue.idle();
    await this.closeConnection();
  }
}

/** Values as JSON carries them: big integers as numbers when exact (else strings), dates as ISO text. */
function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}
