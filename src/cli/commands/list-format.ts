import type { SelectionFlags } from '../../api/select-graph.js';
import { indexAnswersSelection } from '../../api/selection-index.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Manifest } from '../../manifest/types.js';
import type { CommandContext } from '../command-context.js';
import { printWarnings } from '../project-warnings.js';

type Member = {
  unique_id: string;
  resource_type: string;
  name: string;
  package_name: string;
  original_file_path: string;
  fqn: string[];
  tags?: string[];
  config?: unknown;
  depends_on?: unknown;
  alias?: string;
  source_name?: string;
  version?: string | number | null;
};

const JSON_KEYS = ['name', 'resource_type', 'package_name', 'original_file_path', 'unique_id', 'alias', 'config', 'tags', 'depends_on', 'source_name'];

/** dbt's list task lists these unless --resource-type says otherwise; analyses only when asked for (or `all`). */
const DEFAULT_TYPES = ['model', 'snapshot', 'seed', 'test', 'source', 'exposure', 'metric', 'saved_query', 'semantic_model', 'unit_test'];
const ALL_TYPES = [...DEFAULT_TYPES, 'analysis'];

/** `--resource-type` as dbt's list expands it: none → the default set, `all` and `default` → their sets. */
export function listResourceTypes(given: string[] | undefined): string[] {
  if (!given || given.length === 0) return DEFAULT_TYPES;
  const bad = given.find((t) => t !== 'all' && t !== 'default' && !ALL_TYPES.includes(t));
  if (bad !== undefined) throw new TsdbtError('SELECTOR_INVALID', `Invalid resource type '${bad}' in --resource-type.`, { hint: `Use one of: ${ALL_TYPES.join(', ')}, default, all.` });
  const out = new Set(given.filter((t) => t !== 'all' && t !== 'default'));
  if (given.includes('all')) for (const t of ALL_TYPES) out.add(t);
  if (given.includes('default')) for (const t of DEFAULT_TYPES) out.add(t);
  return [...out];
}

/** True when `ls` can select and print from the parse cache's selection index: no state, no method (YAML selectors' included) or output reading more. */
export function indexAnswersList(projectDir: string, flags: SelectionFlags, output: string): boolean {
  return ['selector', 'name', 'path'].includes(output) && indexAnswersSelection(projectDir, flags);
}

/** The graph member `id` of manifest `m`, as `ls` prints it (printSelection's lookup on the full path). */
export function memberOf(m: Manifest, id: string): Member | undefined {
  return (m.nodes[id] ?? m.sources[id] ?? m.exposures[id] ?? m.unit_tests[id] ?? m.metrics[id] ?? m.semantic_models[id] ?? m.saved_queries[id]) as Member | undefined;
}

function formatMember(m: Member, output: string, keys: string[]): string {
  switch (output) {
    case 'name':
      // dbt's search_name: `<source>.<table>` for sources, `<name>.v<version>` for versioned models.
      if (m.resource_type === 'source') return `${m.source_name}.${m.name}`;
      return m.version !== null && m.version !== undefined && m.resource_type === 'model' ? `${m.name}.v${m.version}` : m.name;
    case 'path':
      return m.original_file_path;
    case 'json':
      return JSON.stringify(Object.fromEntries(keys.filter((k) => k in m).map((k) => [k, (m as Record<string, unknown>)[k]])));
    default: {
      if (m.resource_type === 'source') return `source:${m.package_name}.${m.source_name}.${m.name}`;
      if (m.resource_type === 'unit_test') {
        const versioned = m.version !== null && m.version !== undefined ? `${m.name}_v${m.version}` : m.name;
        return `unit_test:${m.package_name}.${versioned}`;
      }
      if (['exposure', 'metric', 'saved_query', 'semantic_model'].includes(m.resource_type)) return `${m.resource_type}:${m.package_name}.${m.name}`;
      return m.fqn.join('.');
    }
  }
}

/**
 * Print what `ls` selected: the warnings (the parse's, then the
 * selection's), then one line per resource in unique id order, as dbt.
 */
export function printSelection(ctx: CommandContext, lookup: (id: string) => object | undefined, selected: Set<string>, warnings: readonly string[], output: string): number {
  printWarnings(ctx, warnings);
  return printLines(ctx, selectionLines(ctx, lookup, selected, output));
}

/** The lines printSelection prints for `selected` (a USAGE error for an unknown output). */
export function selectionLines(ctx: CommandContext, lookup: (id: string) => object | undefined, selected: Set<string>, output: string): string[] {
  if (!['selector', 'name', 'path', 'json'].includes(output)) {
    throw new TsdbtError('USAGE', `--output must be one of selector, name, path, json (got '${output}')`, { hint: 'e.g. --output name' });
  }
  const keys = (ctx.argv.flags.outputKeys as string[] | undefined)?.flatMap((k) => k.split(',')) ?? JSON_KEYS;
  const lines: string[] = [];
  for (const id of [...selected].sort()) {
    const m = lookup(id) as Member | undefined;
    if (m) lines.push(formatMember(m, output, keys));
  }
  return lines;
}

/** Print selectionLines' lines (after any warnings). */
export function printLines(ctx: CommandContext, lines: string[]): number {
  ctx.report?.(lines);
  ctx.out.results(lines);
  return 0;
}
