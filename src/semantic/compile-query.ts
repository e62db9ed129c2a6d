import type { SemanticDialect } from '../adapters/base/semantic-dialect.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { nearestKey } from '../project/config-keys.js';
import type { MeasureRef, ResolvedElement, SemanticCatalog } from './catalog.js';
import { checkQueryShape, type SemanticQuery } from './query-spec.js';
import { filterRefs, parseFilter, renderFilter, type FilterNode, type FilterRef } from './where-filter.js';
import { TIME_GRAINS, type Metric, type MetricInput, type SemanticModel, type TimeGrain, type TimeSpine } from './types.js';

/**
 * Query → SQL. Each metric becomes a CTE grouped by the query's group-by
 * columns; measures are aggregated over their semantic model's relation
 * with many-to-one joins only (so rows never fan out), ratio and derived
 * metrics combine their inputs' CTEs, cumulative metrics and
 * join_to_timespine go through the time spine, and the metrics are joined
 * on the group-by columns. Every literal is a `?` bind, in text order. The
 * same query always gives the same SQL (names come from counters).
 */
export interface CompiledQuery {
  sql: string;
  binds: unknown[];
  /** Output column names in order (group-by names, then metrics), as MetricFlow names them. */
  columns: string[];
}

export interface CompileEnv {
  catalog: SemanticCatalog;
  dialect: SemanticDialect;
  /** The relation (or parenthesised SQL, for an ephemeral model) a model name reads. */
  relationOf(modelName: string): string;
}

interface GroupBy {
  /** Output column name. */
  name: string;
  /** As the user wrote it. */
  spelled: string;
  kind: 'metric_time' | 'element';
  /** A standard grain or a custom granularity of the time spine. */
  grain: Grain | null;
  /** The element name in the catalog (without the grain), for elements. */
  element: string | null;
}

interface Filter { text: string; node: FilterNode }

/** A standard grain, or the name of a custom granularity (`fiscal_quarter`). */
type Grain = TimeGrain | (string & {});
const isStandard = (g: Grain): g is TimeGrain => (TIME_GRAINS as readonly string[]).includes(g);
const grainRank = (g: TimeGrain) => TIME_GRAINS.indexOf(g);

/** What `measure()` adds to the filtered rows it returns in raw mode. */
interface RawRows {
  /** Include the query's group-by columns (false for the conversion side of a conversion metric). */
  groupBy: boolean;
  /** Apply the query's time range (false for conversion events, which may fall after it). */
  timeRange: boolean;
  extras(h: { metricTime(): string; element(name: string): string; truncate(grain: Grain, expr: string): string }): [string, string][];
}

class Builder {
  readonly ctes: string[];
  readonly binds: unknown[];
  private readonly counter: { n: number };
  /** A child builder (a Metric() filter's sub-query) shares its parent's CTEs, binds and names. */
  constructor(readonly env: CompileEnv, readonly groupBys: GroupBy[], readonly where: Filter[], readonly query: SemanticQuery, parent?: Builder) {
    this.ctes = parent?.ctes ?? [];
    this.binds = parent?.binds ?? [];
    this.counter = parent?.counter ?? { n: 0 };
  }

  cte(body: string): string {
    const name = `sq_${++this.counter.n}`;
    this.ctes.push(`${name} as (\n${body}\n)`);
    return name;
  }

  get d(): SemanticDialect { return this.env.dialect; }

  /** The query's metric_time range over a day-valued column, its dates appended as binds. */
  timeBounds(dayExpr: string): string[] {
    const parts: string[] = [];
    if (this.query.startTime) { parts.push(`${dayExpr} >= ${this.d.dateParam()}`); this.binds.push(this.query.startTime.slice(0, 10)); }
    if (this.query.endTime) { parts.push(`${dayExpr} <= ${this.d.dateParam()}`); this.binds.push(this.query.endTime.slice(0, 10)); }
    return parts;
  }

  /** The CTE for a metric: group-by columns + one column named `as`. */
  metric(metric: Metric, as: string, extraFilters: Filter[], offset: MetricInput | null): string {
    const filters = [...extraFilters, ...metric.filter.map(parseFilterText)];
    switch (metric.type) {
      case 'simple': {
        const mi = metric.measure!;
        const ref = this.measureRef(mi.name, metric);
        const sub = this.measure(ref, as, [...filters, ...mi.filter.map(parseFilterText)], null, offset);
        return this.finishSimple(sub, as, mi.fillNullsWith, mi.joinToTimespine);
      }
      case 'cumulative': {
        const mi = metric.measure!;
        const ref = this.measureRef(mi.name, metric);
        const sub = this.measure(ref, as, [...filters, ...mi.filter.map(parseFilterText)], metric, offset);
        return this.finishSimple(sub, as, mi.fillNullsWith, mi.joinToTimespine);
      }
      case 'ratio': {
        const num = this.input(metric.numerator!, filters, '__numerator');
        const den = this.input(metric.denominator!, filters, '__denominator');
        return this.combine([num, den], `${this.d.castDouble('__numerator')} / nullif(__denominator, 0)`, as);
      }
      case 'derived': {
        const inputs = metric.metrics.map((i) => this.input(i, filters, i.alias ?? i.name, offset));
        return this.combine(inputs, metric.expr!, as);
      }
      case 'conversion':
        return this.conversion(metric, as, filters);
    }
  }

  /**
   * A conversion metric, as MetricFlow computes it: base events joined to
   * conversion events of the same entity (and constant properties) that
   * happen at or after them, within the window; each conversion event keeps
   * only its latest base event (so one conversion counts once), and takes
   * that event's group-by values. `conversions` is the aggregated conversion
   * measure; `conversion_rate` divides it by the aggregated base measure.
   */
  private conversion(metric: Metric, as: string, filters: Filter[]): string {
    const c = metric.conversion!;
    const baseRef = this.measureRef(c.baseMeasure.name, metric);
    const convRef = this.measureRef(c.conversionMeasure.name, metric);
    const grains = [baseRef, convRef].map((r) => this.env.catalog.aggTimeDimension(r)?.timeGranularity ?? 'day');
    const joinGrain = grains.reduce((a, b) => (grainRank(a) >= grainRank(b) ? a : b));
    const baseFilters = [...filters, ...c.baseMeasure.filter.map(parseFilterText)];
    const baseAgg = this.measure(baseRef, '__base', baseFilters, null, null);
    const keys = (side: 'baseProperty' | 'conversionProperty') => (h: Parameters<RawRows['extras']>[0]): [string, string][] => [
      ['cv__time', h.truncate(joinGrain, h.metricTime())],
      ['cv__entity', h.element(c.entity)],
      ...c.constantProperties.map((p, i): [string, string] => [`cv__p${i + 1}`, h.element(p[side])]),
    ];
    const baseRows = this.measure(baseRef, '__base', baseFilters, null, null, { groupBy: true, timeRange: true, extras: keys('baseProperty') });
    const convRows = this.measure(convRef, '__conv', c.conversionMeasure.filter.map(parseFilterText), null, null, {
      groupBy: false, timeRange: false, extras: (h) => [...keys('conversionProperty')(h), ['cv__row', this.d.rowId()]],
    });
    const on = ['b.cv__entity = c.cv__entity', ...c.constantProperties.map((_, i) => `b.cv__p${i + 1} = c.cv__p${i + 1}`), 'b.cv__time <= c.cv__time'];
    if (c.window) on.push(`b.cv__time > ${this.d.dateAdd('c.cv__time', -c.window.count, c.window.grain)}`);
    const latest = (col: string) => `first_value(b.${col}) over (partition by c.cv__row order by b.cv__time desc rows between unbounded preceding and unbounded following)`;
    const deduped = this.cte([
      'select distinct',
      [...this.groupBys.map((g) => `  ${latest(g.name)} as ${g.name}`), '  c.cv__row as cv__row', '  c.measure__value as measure__value'].join(',\n'),
      `from ${baseRows} as b`,
      `inner join ${convRows} as c\n  on ${on.join('\n  and ')}`,
    ].join('\n'));
    const convAgg = this.cte([
      'select',
      [...this.groupBys.map((g) => `  ${g.name}`), `  ${this.aggregate(convRef, 'measure__value')} as __conv`].join(',\n'),
      `from ${deduped}`,
      this.groupBys.length ? `group by ${this.groupBys.map((_, i) => i + 1).join(', ')}` : '',
    ].filter(Boolean).join('\n'));
    const filled = (col: string, fill: number | null) => (fill === null ? col : `coalesce(${col}, ${Number(fill)})`);
    const convValue = filled('__conv', c.conversionMeasure.fillNullsWith);
    const expr = c.calculation === 'conversions' ? convValue : `${this.d.castDouble(convValue)} / nullif(${filled('__base', c.baseMeasure.fillNullsWith)}, 0)`;
    return this.combine([{ cte: baseAgg, column: '__base' }, { cte: convAgg, column: '__conv' }], expr, as);
  }

  /**
   * A semi-additive measure (non_additive_dimension): only the rows at the
   * latest (max) or earliest (min) value of that time dimension count, per
   * window grouping and per queried metric_time period, as MetricFlow does
   * for balances and snapshots.
   */
  private semiAdditive(ref: MeasureRef, as: string, filters: Filter[], offset: MetricInput | null): string {
    const nad = ref.measure.nonAdditive!;
    const tg = this.groupBys.find((g) => g.kind === 'metric_time');
    const rows = this.measure(ref, as, filters, null, offset, {
      groupBy: true, timeRange: true,
      extras: (h) => [['nad__time', h.truncate('day', h.element(nad.dimension))], ...nad.windowGroupings.map((e, i): [string, string] => [`nad__g${i + 1}`, h.element(e)])],
    });
    const partition = [...(tg ? [tg.name] : []), ...nad.windowGroupings.map((_, i) => `nad__g${i + 1}`)];
    const over = `${nad.windowChoice}(nad__time) over (${partition.length ? `partition by ${partition.join(', ')}` : ''})`;
    return this.cte([
      'select',
      [...this.groupBys.map((g) => `  r.${g.name} as ${g.name}`), `  ${this.aggregate(ref, 'r.measure__value')} as ${as}`].join(',\n'),
      `from (\n  select *, ${over} as nad__pick\n  from ${rows}\n) as r`,
      'where r.nad__time = r.nad__pick',
      this.groupBys.length ? `group by ${this.groupBys.map((_, i) => i + 1).join(', ')}` : '',
    ].filter(Boolean).join('\n'));
  }

  private input(input: MetricInput, filters: Filter[], as: string, outerOffset: MetricInput | null = null): { cte: string; column: string } {
    const m = this.env.catalog.metrics.get(input.name)!;
    const offset = input.offsetWindow || input.offsetToGrain ? input : outerOffset;
    return { cte: this.metric(m, as, [...filters, ...input.filter.map(parseFilterText)], offset), column: as };
  }

  private measureRef(name: string, metric: Metric): MeasureRef {
    const ref = this.env.catalog.measures.get(name);
    if (!ref) throw new TsdbtError('SEMANTIC_INVALID', `metric '${metric.name}' refers to unknown measure '${name}'`, { file: metric.file, line: metric.line });
    return ref;
  }

  /** An inner select over one semantic model: only the columns the query needs, under stable names. */
  private scan(model: SemanticModel, alias: string, cols: Map<string, string>): string {
    const list = [...cols].map(([name, expr]) => `    ${expr} as ${name}`).join(',\n');
    return `(\n  select\n${list}\n  from ${this.env.relationOf(model.modelName)}\n) as ${alias}`;
  }

  /**
   * Aggregate one measure at the query's group-by (a cumulative metric over
   * the time spine). With `raw`, the filtered rows instead (group-by columns
   * unless `raw.groupBy` is false, `raw.extras`, and `measure__value`), for
   * conversion and semi-additive metrics to build on.
   */
  measure(ref: MeasureRef, as: string, filters: Filter[], cumulative: Metric | null, offset: MetricInput | null, raw: RawRows | null = null): string {
    const { catalog } = this.env;
    if (!raw && ref.measure.nonAdditive) return this.semiAdditive(ref, as, filters, offset);
    const elements = catalog.elementsFor(ref.model);
    const timeDim = catalog.aggTimeDimension(ref);
    const base = new Map<string, string>();
    const joins: { model: SemanticModel; alias: string; entity: string; cols: Map<string, string>; parentAlias: string; parentCol: string }[] = [];
    const extraJoins: string[] = [];
    const joinKey = (path: ResolvedElement['path']) => path.map((p) => `${p.entity}>${p.model.name}`).join('/');
    const joinAliases = new Map<string, string>();
    const ensureJoin = (path: ResolvedElement['path']): { alias: string; cols: Map<string, string> } => {
      let parentAlias = 't0';
      let parentCols = base;
      let parentModel = ref.model;
      for (let i = 0; i < path.length; i++) {
        const key = joinKey(path.slice(0, i + 1));
        let alias = joinAliases.get(key);
        const hop = path[i]!;
        if (!alias) {
          alias = `t${joinAliases.size + 1}`;
          joinAliases.set(key, alias);
          const parentEntity = parentModel.entities.find((e) => e.name === hop.entity)!;
          const parentCol = `${hop.entity}__key`;
          parentCols.set(parentCol, parentEntity.expr ?? parentEntity.name);
          const target = hop.model.entities.find((e) => e.name === hop.entity)!;
          joins.push({ model: hop.model, alias, entity: hop.entity, cols: new Map([[`${hop.entity}__key`, target.expr ?? target.name]]), parentAlias, parentCol });
        }
        const j = joins.find((x) => x.alias === alias)!;
        parentAlias = alias;
        parentCols = j.cols;
        parentModel = hop.model;
      }
      return { alias: parentAlias, cols: parentCols };
    };
    const column = (el: ResolvedElement): string => {
      const { alias, cols } = ensureJoin(el.path);
      const col = el.name.replace(/[^A-Za-z0-9_]/g, '_');
      cols.set(col, el.expr);
      return `${alias}.${col}`;
    };
    const metricTime = (): string => {
      if (!timeDim) throw new TsdbtError('QUERY_UNKNOWN_GROUP_BY', `measure '${ref.measure.name}' has no time dimension, so it cannot be grouped by metric_time`, { hint: `Set agg_time_dimension on semantic model '${ref.model.name}'.` });
      base.set('metric_time__raw', timeDim.expr ?? timeDim.name);
      return 't0.metric_time__raw';
    };
    const resolveElement = (name: string, spelled: string): ResolvedElement => resolveIn(elements, name, spelled, ref, as);
    const checkGrain = (grain: Grain, dataGrain: TimeGrain | null, spelled: string) => {
      const g = isStandard(grain) ? grain : 'day';
      if (dataGrain && grainRank(g) < grainRank(dataGrain)) {
        throw new TsdbtError('QUERY_GRAIN', `'${spelled}' asks for ${grain}s but the data is by ${dataGrain}`, { hint: `Use ${dataGrain} or a coarser grain.` });
      }
    };
    // A custom granularity is a column of the time spine, joined on the day.
    const customAliases = new Map<string, string>();
    const truncate = (grain: Grain, expr: string): string => {
      if (isStandard(grain)) return this.d.dateTrunc(grain, expr);
      const day = this.d.dateTrunc('day', expr);
      const key = `${grain}|${day}`;
      let alias = customAliases.get(key);
      if (!alias) {
        alias = `cg${customAliases.size + 1}`;
        customAliases.set(key, alias);
        const { spine, custom } = this.customGrain(grain);
        extraJoins.push(`left outer join (select ${this.d.dateTrunc('day', spine.column)} as cg_day, ${custom.column} as cg_value from ${this.env.relationOf(spine.modelName)}) as ${alias}\n  on ${alias}.cg_day = ${day}`);
      }
      return `${alias}.cg_value`;
    };
    const gbExpr = (g: GroupBy): string => {
      if (g.kind === 'metric_time') {
        checkGrain(g.grain!, timeDim?.timeGranularity ?? null, g.spelled);
        return truncate(g.grain!, metricTime());
      }
      const el = resolveElement(g.element!, g.spelled);
      if (el.kind === 'time_dimension') {
        const grain = g.grain ?? el.timeGranularity ?? 'day';
        checkGrain(grain, el.timeGranularity, g.spelled);
        return truncate(grain, column(el));
      }
      if (g.grain) throw new TsdbtError('QUERY_GRAIN', `'${g.spelled}' gives a grain to '${g.element}', which is not a time dimension`, { hint: `Group by '${g.element}' without a grain.` });
      return column(el);
    };
    // Metric() filters: the metric grouped by its entities, built before this CTE so binds stay in text order.
    const metricFilters = new Map<string, string>();
    for (const f of filters) {
      for (const r of filterRefs(f.node)) {
        if (r.kind !== 'Metric') continue;
        const key = `${r.name}|${r.groupBy.join(',')}`;
        if (metricFilters.has(key)) continue;
        const alias = `mf${metricFilters.size + 1}`;
        const on = r.groupBy.map((e) => {
          // `view__listing` is the listing entity reached from the metric's side: this side joins on `listing`.
          const el = elements.get(e) ?? resolveElement(lastPart(e), e);
          if (el.kind !== 'entity') throw new TsdbtError('QUERY_FILTER', `where filter ${JSON.stringify(f.text)}: Metric('${r.name}') groups by '${e}', which is not an entity`, { hint: `group_by names entities, e.g. group_by=['${[...elements.values()].find((x) => x.kind === 'entity')?.name ?? 'customer'}'].` });
          return `${alias}.${lastPart(e)} = ${column(el)}`;
        });
        const cte = this.metricAsDimension(r, f.text);
        extraJoins.push(`left outer join ${cte} as ${alias}\n  on ${on.join(' and ')}`);
        metricFilters.set(key, `${alias}.${r.name}`);
      }
    }
    const resolveRef = (r: FilterRef, text: string): string => {
      if (r.kind === 'Metric') return metricFilters.get(`${r.name}|${r.groupBy.join(',')}`)!;
      if (r.kind === 'TimeDimension' || r.name === 'metric_time' || r.name.startsWith('metric_time__')) {
        const [name, grainPart] = splitGrain(r.name, this.customGrains);
        const grain = r.grain ?? grainPart ?? 'day';
        if (!isStandard(grain) && !this.customGrains.has(grain)) throw new TsdbtError('QUERY_FILTER', `where filter ${JSON.stringify(text)}: unknown grain '${grain}'`, { hint: `Grains: ${[...TIME_GRAINS, ...this.customGrains].join(', ')}.` });
        if (name === 'metric_time') return truncate(grain, metricTime());
        const el = resolveElement(name, r.name);
        return truncate(grain, column(el));
      }
      const el = resolveElement(r.name, r.name);
      if (r.kind === 'Entity' && el.kind !== 'entity') throw new TsdbtError('QUERY_FILTER', `where filter ${JSON.stringify(text)}: '${r.name}' is not an entity`, { hint: `Write {{ Dimension('${r.name}') }}.` });
      return column(el);
    };

    // Select list, in group-by order, then the aggregate.
    const gbCols = raw?.groupBy === false ? [] : this.groupBys.map((g) => ({ name: g.name, expr: gbExpr(g) }));
    const measureExpr = ref.measure.expr ?? ref.measure.name;
    base.set('measure__value', measureExpr);
    const agg = this.aggregate(ref, 't0.measure__value');
    const whereSql: string[] = [];
    const filterSql = (f: Filter) => renderFilter(f.node, (r) => resolveRef(r, f.text), this.binds);

    const timeRange = (expr: string) => this.timeBounds(this.d.dateTrunc('day', expr));
    const fromSql = () => [this.fromClause(ref.model, base, joins), ...extraJoins].join('\n');

    if (cumulative) return this.cumulative(ref, as, gbCols, filters, filterSql, metricTime, () => fromSql(), cumulative);

    // Offsets shift the measure's time forward, so its value lands on the period it is compared with.
    const shift = (g: GroupBy, expr: string) => {
      if (g.kind !== 'metric_time' || !offset) return expr;
      if (!isStandard(g.grain!)) throw new TsdbtError('QUERY_UNSUPPORTED', `'${g.spelled}': offsets work on standard grains only`, { hint: 'Group by metric_time__day, __week, __month, __quarter or __year.' });
      if (offset.offsetWindow) return this.d.dateTrunc(g.grain!, this.d.dateAdd(metricTime(), offset.offsetWindow.count, offset.offsetWindow.grain));
      return this.d.dateTrunc(g.grain!, this.d.dateAdd(this.d.dateTrunc(offset.offsetToGrain!, metricTime()), 1, offset.offsetToGrain!));
    };
    if (offset && !this.groupBys.some((g) => g.kind === 'metric_time')) {
      throw new TsdbtError('QUERY_UNKNOWN_GROUP_BY', `metric with an offset needs metric_time in the group-by`, { hint: 'Add --group-by metric_time__week (or another grain).' });
    }
    const selectCols = gbCols.map((c, i) => `  ${shift(this.groupBys[i]!, c.expr)} as ${c.name}`);
    const extras = raw ? raw.extras({ metricTime, element: (name) => column(localElement(elements, ref, name, as)), truncate }) : [];
    for (const f of filters) whereSql.push(filterSql(f));
    if (raw?.timeRange !== false) whereSql.push(...timeRange(metricTimeIfAny(timeDim, metricTime)));
    const from = fromSql();
    const whereClause = whereSql.length ? `where ${whereSql.map((w) => `(${w})`).join('\n  and ')}` : '';
    if (raw) {
      return this.cte(['select', [...selectCols, ...extras.map(([n, e]) => `  ${e} as ${n}`), '  t0.measure__value as measure__value'].join(',\n'), from, whereClause].filter(Boolean).join('\n'));
    }
    const sql = [
      'select',
      [...selectCols, `  ${agg} as ${as}`].join(',\n'),
      from,
      whereClause,
      this.groupBys.length ? `group by ${this.groupBys.map((_, i) => i + 1).join(', ')}` : '',
    ].filter(Boolean).join('\n');
    return this.cte(sql);
  }

  /** The spine and column behind a custom granularity. */
  private customGrain(name: string): { spine: TimeSpine; custom: { name: string; column: string } } {
    for (const spine of this.env.catalog.manifest.timeSpines) {
      const custom = spine.customGranularities.find((c) => c.name === name);
      if (custom) return { spine, custom };
    }
    throw new TsdbtError('QUERY_GRAIN', `unknown grain '${name}'`, { hint: `Grains: ${[...TIME_GRAINS, ...this.customGrains].join(', ')}.` });
  }

  get customGrains(): ReadonlySet<string> { return this.env.catalog.customGrains; }

  /** A metric grouped by entities (for `{{ Metric('m', group_by=['e']) }}`): a CTE with the entity columns and the metric. */
  private metricAsDimension(r: FilterRef, text: string): string {
    const metric = this.env.catalog.metrics.get(r.name);
    if (!metric) {
      const near = nearestKey(r.name, this.env.catalog.metrics.keys());
      throw new TsdbtError('QUERY_FILTER', `where filter ${JSON.stringify(text)}: unknown metric '${r.name}'`, { hint: near ? `Did you mean '${near}'?` : 'See `tsdbt sl list metrics`.' });
    }
    if (r.groupBy.length === 0) throw new TsdbtError('QUERY_FILTER', `where filter ${JSON.stringify(text)}: Metric('${r.name}') needs group_by`, { hint: `Write {{ Metric('${r.name}', group_by=['an_entity']) }}.` });
    // The metric's side resolves the name as written, or its entity alone when the prefix is the metric model's own entity.
    const { catalog } = this.env;
    const element = (e: string) => (catalog.measuresOf(metric).every((ref) => catalog.elementsFor(ref.model).has(e)) ? e : lastPart(e));
    const child = new Builder(this.env, r.groupBy.map((e) => ({ name: lastPart(e), spelled: e, kind: 'element' as const, grain: null, element: element(e) })), [], { metrics: [r.name] }, this);
    return child.metric(metric, r.name, [], null);
  }

  private fromClause(model: SemanticModel, base: Map<string, string>, joins: { model: SemanticModel; alias: string; cols: Map<string, string>; parentAlias: string; parentCol: string; entity: string }[]): string {
    const lines = [`from ${this.scan(model, 't0', base)}`];
    for (const j of joins) lines.push(`left outer join ${this.scan(j.model, j.alias, j.cols)}\n  on ${j.parentAlias}.${j.parentCol} = ${j.alias}.${j.entity}__key`);
    return lines.join('\n');
  }

  private aggregate(ref: MeasureRef, col: string): string {
    const m = ref.measure;
    switch (m.agg) {
      case 'sum': return `sum(${col})`;
      case 'count': return `count(${col})`;
      case 'count_distinct': return `count(distinct ${col})`;
      case 'avg': return `avg(${col})`;
      case 'min': return `min(${col})`;
      case 'max': return `max(${col})`;
      case 'median': return this.d.percentile(0.5, col, false);
      case 'percentile': return this.d.percentile(m.percentile ?? 0.5, col, m.useDiscretePercentile);
      case 'sum_boolean': return `sum(case when ${col} then 1 else 0 end)`;
    }
  }

  /**
   * A cumulative measure: each time-spine day sums the rows in its window
   * (or since the start of its grain_to_date period, or all before it); at
   * a coarser grain the period's first day stands for it (MetricFlow's choice).
   */
  private cumulative(ref: MeasureRef, as: string, gbCols: { name: string; expr: string }[], filters: Filter[], filterSql: (f: Filter) => string,
    metricTime: () => string, fromSql: () => string, metric: Metric): string {
    const tg = this.groupBys.find((g) => g.kind === 'metric_time');
    if (tg && !isStandard(tg.grain!)) throw new TsdbtError('QUERY_UNSUPPORTED', `cumulative metric '${metric.name}' by '${tg.spelled}': custom grains are not supported for cumulative metrics`, { hint: 'Group it by metric_time__day, __week, __month, __quarter or __year.' });
    const spine = this.spine();
    const raw = metricTime();
    const day = this.d.dateTrunc('day', raw);
    const cols = this.groupBys.map((g, i) => (g === tg ? `  ${this.d.dateTrunc(g.grain as TimeGrain, 'ts.spine_day')} as ${g.name}` : `  ${gbCols[i]!.expr} as ${g.name}`));
    if (!tg) {
      // No metric_time: the cumulative total over everything selected.
      const where = filters.map(filterSql);
      return this.cte(['select', [...cols, `  ${this.aggregate(ref, 't0.measure__value')} as ${as}`].join(',\n'), fromSql(),
        where.length ? `where ${where.map((w) => `(${w})`).join('\n  and ')}` : '', this.groupBys.length ? `group by ${this.groupBys.map((_, i) => i + 1).join(', ')}` : ''].filter(Boolean).join('\n'));
    }
    let window = `${day} <= ts.spine_day`;
    if (metric.window) window += ` and ${day} > ${this.d.dateAdd('ts.spine_day', -metric.window.count, metric.window.grain)}`;
    else if (metric.grainToDate) window += ` and ${day} >= ${this.d.dateTrunc(metric.grainToDate, 'ts.spine_day')}`;
    const where = filters.map(filterSql);
    const spineWhere: string[] = [];
    if (tg.grain !== 'day') spineWhere.push(`ts.spine_day = ${this.d.dateTrunc(tg.grain as TimeGrain, 'ts.spine_day')}`);
    spineWhere.push(...this.timeBounds('ts.spine_day'));
    const sql = [
      'select',
      [...cols, `  ${this.aggregate(ref, 't0.measure__value')} as ${as}`].join(',\n'),
      `from ${spine} as ts`,
      fromSql().replace(/^from /, 'inner join ').replace(/\) as t0$/m, `) as t0\n  on ${window}`),
      [...where, ...spineWhere].length ? `where ${[...where, ...spineWhere].map((w) => `(${w})`).join('\n  and ')}` : '',
      `group by ${this.groupBys.map((_, i) => i + 1).join(', ')}`,
    ].filter(Boolean).join('\n');
    return this.cte(sql);
  }

  /** The day spine as a relation with one column, spine_day. */
  private spine(): string {
    const spines = this.env.catalog.manifest.timeSpines;
    const s = spines.find((x) => x.grain === 'day') ?? spines[0];
    if (!s) throw new TsdbtError('QUERY_UNSUPPORTED', 'this query needs a time spine and the project has none', { hint: 'Add a model with `time_spine: {standard_granularity_column: date_day}` (dbt 1.9) or a model named metricflow_time_spine.' });
    return `(select ${this.d.dateTrunc('day', s.column)} as spine_day from ${this.env.relationOf(s.modelName)})`;
  }

  /** fill_nulls_with and join_to_timespine on a simple metric's CTE. */
  private finishSimple(sub: string, as: string, fill: number | null, joinSpine: boolean): string {
    const tg = this.groupBys.find((g) => g.kind === 'metric_time');
    if (joinSpine && tg) {
      if (!isStandard(tg.grain!)) throw new TsdbtError('QUERY_UNSUPPORTED', `join_to_timespine by '${tg.spelled}': custom grains are not supported here`, { hint: 'Group by a standard grain of metric_time.' });
      const spineWhere = this.timeBounds('spine_day');
      if (!spineWhere.length) spineWhere.push(`spine_day between (select min(${tg.name}) from ${sub}) and (select max(${tg.name}) from ${sub})`);
      const periods = this.cte(`select distinct ${this.d.dateTrunc(tg.grain as TimeGrain, 'spine_day')} as ${tg.name}\nfrom ${this.spine()} as ts\nwhere ${spineWhere.join(' and ')}`);
      const cols = this.groupBys.map((g) => (g === tg ? `  p.${g.name}` : `  m.${g.name}`));
      const value = fill !== null ? `coalesce(m.${as}, ${Number(fill)})` : `m.${as}`;
      return this.cte(['select', [...cols, `  ${value} as ${as}`].join(',\n'), `from ${periods} as p`, `left outer join ${sub} as m\n  on p.${tg.name} = m.${tg.name}`].join('\n'));
    }
    if (fill === null) return sub;
    return this.cte(['select', [...this.groupBys.map((g) => `  ${g.name}`), `  coalesce(${as}, ${Number(fill)}) as ${as}`].join(',\n'), `from ${sub}`].join('\n'));
  }

  /** Join CTEs on the group-by columns (full outer, null-safe) and compute `expr` over their value columns. */
  combine(inputs: { cte: string; column: string }[], expr: string, as: string): string {
    return this.cte(this.joinSelect(inputs, [`  ${expr} as ${as}`], true));
  }

  joinSelect(inputs: { cte: string; column: string }[], tail: string[], wrap: boolean): string {
    const aliases = inputs.map((_, i) => `i${i + 1}`);
    const gb = this.groupBys.map((g) => {
      const parts = aliases.map((a) => `${a}.${g.name}`);
      return parts.length === 1 ? `  ${parts[0]} as ${g.name}` : `  coalesce(${parts.join(', ')}) as ${g.name}`;
    });
    const from = [`from ${inputs[0]!.cte} as ${aliases[0]}`];
    for (let i = 1; i < inputs.length; i++) {
      if (this.groupBys.length === 0) { from.push(`cross join ${inputs[i]!.cte} as ${aliases[i]}`); continue; }
      const on = this.groupBys.map((g) => {
        const left = i === 1 ? `${aliases[0]}.${g.name}` : `coalesce(${aliases.slice(0, i).map((a) => `${a}.${g.name}`).join(', ')})`;
        return `${left} is not distinct from ${aliases[i]}.${g.name}`;
      });
      from.push(`full outer join ${inputs[i]!.cte} as ${aliases[i]}\n  on ${on.join('\n  and ')}`);
    }
    const values = inputs.map((inp, i) => `${aliases[i]}.${inp.column} as ${inp.column}`);
    if (!wrap) return ['select', [...gb, ...tail].join(',\n'), from.join('\n')].join('\n');
    // The expression sees its inputs by name: an inner select names them, the outer computes.
    const inner = ['select', [...gb, ...values.map((v) => `  ${v}`)].join(',\n'), from.join('\n')].join('\n');
    return ['select', [...this.groupBys.map((g) => `  ${g.name}`), ...tail].join(',\n'), `from (\n${inner}\n) as inputs`].join('\n');
  }
}

function metricTimeIfAny(timeDim: unknown, metricTime: () => string): string {
  return timeDim ? metricTime() : 'null';
}

function parseFilterText(text: string): Filter {
  return { text, node: parseFilter(text) };
}

/** `x__week` → [`x`, `week`] (also custom granularities); otherwise [name, null]. */
function splitGrain(name: string, custom: ReadonlySet<string>): [string, Grain | null] {
  const i = name.lastIndexOf('__');
  if (i > 0) {
    const g = name.slice(i + 2);
    if (isStandard(g) || custom.has(g)) return [name.slice(0, i), g];
  }
  return [name, null];
}

/** The last `__` part of a name: `view__listing` → `listing`. */
const lastPart = (name: string) => (name.includes('__') ? name.slice(name.lastIndexOf('__') + 2) : name).replace(/[^A-Za-z0-9_]/g, '_');

/** `long` is `short` or `short` reached through more entities (`order_id__customer__x` for `customer__x`). */
const sameOrLonger = (long: string, short: string) => long === short || long.endsWith(`__${short}`);

const sameColumn = (a: ResolvedElement, b: ResolvedElement) =>
  a.model === b.model && a.expr === b.expr && a.path.map((p) => `${p.entity}>${p.model.name}`).join('/') === b.path.map((p) => `${p.entity}>${p.model.name}`).join('/');

/**
 * A group-by or filter name in a measure's elements: the full name, or a
 * short one (`country` for `customer__country`) when every name ending in
 * it reads the same column; otherwise QUERY_AMBIGUOUS_GROUP_BY listing them.
 */
function resolveIn(elements: Map<string, ResolvedElement>, name: string, spelled: string, ref: MeasureRef, as: string): ResolvedElement {
  const el = elements.get(name);
  if (el) return el;
  const candidates = [...elements.values()].filter((e) => e.name.endsWith(`__${name}`));
  if (candidates.length > 0) {
    if (candidates.every((c) => sameColumn(c, candidates[0]!))) {
      const primary = ref.model.entities.find((e) => e.type === 'primary')?.name;
      return candidates.find((c) => c.name === `${primary}__${name}`) ?? candidates[0]!;
    }
    throw new TsdbtError('QUERY_AMBIGUOUS_GROUP_BY', `'${spelled}' is ambiguous for measure '${ref.measure.name}': it could be ${candidates.map((c) => `'${c.name}'`).join(', ')}`, { hint: `Write the full name, e.g. '${candidates[0]!.name}'.` });
  }
  const near = nearestKey(name, ['metric_time', ...elements.keys()]);
  throw new TsdbtError('QUERY_UNKNOWN_GROUP_BY', `'${spelled}' is not a dimension or entity of measure '${ref.measure.name}' (semantic model '${ref.model.name}')`, {
    hint: near ? `Did you mean '${near}'?` : `See \`tsdbt sl list dimensions --metrics ${as}\` for what it can be grouped by.`,
  });
}

/** A dimension or entity of the measure's own semantic model by its bare name (constant properties, non_additive_dimension). */
function localElement(elements: Map<string, ResolvedElement>, ref: MeasureRef, name: string, as: string): ResolvedElement {
  const local = [...elements.values()].find((e) => e.path.length === 0 && (e.name === name || e.name.endsWith(`__${name}`)));
  return local ?? resolveIn(elements, name, name, ref, as);
}

function resolveGroupBy(spelled: string, catalog: SemanticCatalog, metrics: Metric[]): GroupBy {
  const [name, grain] = splitGrain(spelled, catalog.customGrains);
  const refs = metrics.flatMap((m) => catalog.measuresOf(m));
  if (name === 'metric_time') {
    // Without a grain: the finest grain every metric has data at, as MetricFlow chooses.
    const g = grain ?? refs.map((r) => catalog.aggTimeDimension(r)?.timeGranularity ?? 'day').reduce<TimeGrain>((a, b) => (grainRank(a) >= grainRank(b) ? a : b), 'day');
    return { name: `metric_time__${g}`, spelled, kind: 'metric_time', grain: g, element: null };
  }
  // Resolve against every measure's elements (short names included); they must agree.
  let found: ResolvedElement | null = null;
  for (const r of refs) {
    const elements = catalog.elementsFor(r.model);
    const direct = elements.get(name) ?? (grain ? undefined : elements.get(spelled));
    let el: ResolvedElement | undefined = direct;
    if (!el) {
      try { el = resolveIn(elements, name, spelled, r, metrics[0]!.name); } catch (e) {
        if ((e as TsdbtError).code === 'QUERY_AMBIGUOUS_GROUP_BY') throw e;
        continue; // an unknown name is reported by the measure that lacks it
      }
    }
    // Names agree when one is the other reached through more entities (customer__x and order_id__customer__x), as MetricFlow matches entity paths.
    if (found && !sameOrLonger(found.name, el.name) && !sameOrLonger(el.name, found.name)) {
      throw new TsdbtError('QUERY_AMBIGUOUS_GROUP_BY', `'${spelled}' is ambiguous across the query's metrics: it could be '${found.name}' or '${el.name}'`, { hint: `Write the full name, e.g. '${found.name}'.` });
    }
    if (!found || el.name.length < found.name.length) found = el;
  }
  if (!found) return { name: spelled, spelled, kind: 'element', grain: null, element: grain ? spelled : name };
  if (found.kind !== 'time_dimension') return { name: grain ? spelled : found.name, spelled, kind: 'element', grain, element: found.name };
  // A time dimension without a grain is named at its data grain, as MetricFlow does.
  const g = grain ?? found.timeGranularity ?? 'day';
  return { name: `${found.name}__${g}`, spelled, kind: 'element', grain: g, element: found.name };
}

/** Compile a query; throws a TsdbtError with a QUERY_* code on a bad query. */
export function compileQuery(env: CompileEnv, query: SemanticQuery): CompiledQuery {
  checkQueryShape(query);
  const { catalog } = env;
  const metrics = query.metrics.map((name) => {
    const m = catalog.metrics.get(name);
    if (m) return m;
    const near = nearestKey(name, catalog.metrics.keys());
    throw new TsdbtError('QUERY_UNKNOWN_METRIC', `unknown metric '${name}'`, { hint: near ? `Did you mean '${near}'?` : 'See `tsdbt sl list metrics`.' });
  });
  const groupBys = (query.groupBy ?? []).map((g) => resolveGroupBy(g, catalog, metrics));
  const where = (query.where ?? []).map(parseFilterText);
  for (const f of where) filterRefs(f.node); // parsed up front: a bad filter fails before any SQL is built
  const b = new Builder(env, groupBys, where, query);
  const inputs = metrics.map((m) => ({ cte: b.metric(m, m.name, where, null), column: m.name }));
  const outNames = [...groupBys.map((g) => g.name), ...metrics.map((m) => m.name)];
  let body = inputs.length === 1
    ? ['select', outNames.map((n) => `  ${n}`).join(',\n'), `from ${inputs[0]!.cte}`].join('\n')
    : b.joinSelect(inputs, inputs.map((inp, i) => `  i${i + 1}.${inp.column} as ${inp.column}`), false);
  const order = (query.orderBy ?? []).map((o) => {
    const desc = o.startsWith('-');
    const key = desc ? o.slice(1) : o;
    const hit = outNames.find((n) => n === key) ?? groupBys.find((g) => g.spelled === key)?.name;
    if (!hit) throw new TsdbtError('QUERY_INVALID', `order by '${o}' names no metric or group-by of the query`, { hint: `Order by one of: ${outNames.join(', ')}.` });
    return `${hit}${desc ? ' desc' : ''}`;
  });
  if (order.length) body += `\norder by ${order.join(', ')}`;
  if (query.limit !== undefined && query.limit !== null) body += `\nlimit ${query.limit}`;
  const sql = `with ${b.ctes.join(',\n')}\n${body}`;
  return { sql, binds: b.binds, columns: outNames };
}
