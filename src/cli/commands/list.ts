import { loadProject } from '../../api/load-project.js';
import { parseLoaded } from '../../api/parse-phase.js';
import { join } from 'node:path';
import { selectFromManifest } from '../../api/select-phase.js';
import { resolveStateOptions } from '../../api/state-artifacts.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Manifest } from '../../manifest/types.js';
import { globalOptions, selectionFlags, stateFlags, type Command } from '../command-context.js';

type Member = { unique_id: string; resource_type: string; name: string; package_name: string; original_file_path: string; fqn: string[]; tags?: string[]; config?: unknown; depends_on?: unknown; alias?: string };

const JSON_KEYS = ['name', 'resource_type', 'package_name', 'original_file_path', 'unique_id', 'alias', 'config', 'tags', 'depends_on'];

/** `tsdbt ls`: the selected resources, one a line, as dbt prints them. */
export const listCommand: Command = async (ctx) => {
  const loaded = loadProject(globalOptions(ctx));
  const { manifest, warnings } = parseLoaded(loaded, { flags: { WHICH: 'list' } });
  for (const w of warnings) ctx.out.warn(w);
  const { state } = resolveStateOptions(loaded.projectDir, join(loaded.projectDir, loaded.root.targetPath), { ...stateFlags(ctx), defer: false });
  const sel = selectFromManifest(loaded.projectDir, manifest, { ...selectionFlags(ctx), state });
  for (const w of sel.warnings) ctx.out.warn(w);
  const output = (ctx.argv.flags.output as string | undefined) ?? 'selector';
  if (!['selector', 'name', 'path', 'json'].includes(output)) {
    throw new TsdbtError('USAGE', `--output must be one of selector, name, path, json (got '${output}')`, { hint: 'e.g. --output name' });
  }
  const keys = (ctx.argv.flags.outputKeys as string[] | undefined)?.flatMap((k) => k.split(',')) ?? JSON_KEYS;
  const lines: string[] = [];
  for (const id of [...sel.selected].sort()) {
    const m = memberOf(manifest, id);
    if (!m) continue;
    lines.push(formatMember(m, output, keys));
  }
  lines.sort();
  ctx.report?.(lines);
  for (const l of lines) ctx.out.result(l);
  return 0;
};

function memberOf(m: Manifest, id: string): Member | undefined {
  return (m.nodes[id] ?? m.sources[id] ?? m.exposures[id] ?? m.unit_tests[id] ?? m.metrics[id] ?? m.semantic_models[id] ?? m.saved_queries[id]) as Member | undefined;
}

function formatMember(m: Member, output: string, keys: string[]): string {
  switch (output) {
    case 'name':
      return m.name;
    case 'path':
      return m.original_file_path;
    case 'json':
      return JSON.stringify(Object.fromEntries(keys.filter((k) => k in m).map((k) => [k, (m as Record<string, unknown>)[k]])));
    default: {
      const fqn = m.fqn.join('.');
      if (m.resource_type === 'source') return `source:${fqn}`;
      if (m.resource_type === 'exposure') return `exposure:${fqn}`;
      if (m.resource_type === 'unit_test') return `unit_test:${fqn}`;
      if (m.resource_type === 'metric' || m.resource_type === 'semantic_model' || m.resource_type === 'saved_query') return `${m.resource_type}:${fqn}`;
      return fqn;
    }
  }
}
