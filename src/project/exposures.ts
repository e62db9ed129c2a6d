import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Exposure, RefCall } from '../manifest/types.js';
import type { RefIndex } from './resolve-refs.js';

type ExposureDecl = Record<string, unknown> & { __file: string; __line?: number };

/** `exposures:` entries; `depends_on: [ref('x'), source('a', 'b')]` become graph edges. */
export function buildExposures(decls: ExposureDecl[], rootName: string, index: RefIndex, errors: TsdbtError[]): Record<string, Exposure> {
  const out: Record<string, Exposure> = {};
  for (const d of decls) {
    if (typeof d.name !== 'string') {
      errors.push(new TsdbtError('YAML_SCHEMA', "Each exposure needs a 'name:'", { file: d.__file, line: d.__line }));
      continue;
    }
    const refs: RefCall[] = [];
    const sources: [string, string][] = [];
    const nodes: string[] = [];
    for (const dep of Array.isArray(d.depends_on) ? d.depends_on : []) {
      const text = String(dep);
      const ref = /ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)/.exec(text);
      const src = /source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)/.exec(text);
      if (ref) {
        const call: RefCall = ref[2] ? { package: ref[1]!, name: ref[2] } : { name: ref[1]! };
        refs.push(call);
        const target = index.resolveRef(call, rootName);
        if (target) nodes.push(target.unique_id);
        else errors.push(index.refError(call, { name: d.name, file: d.__file, line: d.__line }));
      } else if (src) {
        sources.push([src[1]!, src[2]!]);
        const s = index.resolveSource(src[1]!, src[2]!);
        if (s) nodes.push(s.unique_id);
        else errors.push(index.sourceError(src[1]!, src[2]!, { name: d.name, file: d.__file, line: d.__line }));
      }
    }
    const id = `exposure.${rootName}.${d.name}`;
    out[id] = {
      unique_id: id,
      resource_type: 'exposure',
      package_name: rootName,
      name: d.name,
      path: d.__file,
      original_file_path: d.__file,
      fqn: [rootName, ...d.__file.split('/').slice(1, -1), d.name],
      description: typeof d.description === 'string' ? d.description : '',
      tags: Array.isArray(d.tags) ? d.tags.map(String) : [],
      meta: (d.meta as Record<string, unknown>) ?? {},
      type: String(d.type ?? 'dashboard'),
      owner: (d.owner as Exposure['owner']) ?? {},
      maturity: (d.maturity as string) ?? null,
      url: (d.url as string) ?? null,
      label: (d.label as string) ?? null,
      refs,
      sources,
      depends_on: { nodes, macros: [] },
      config: { enabled: true, ...((d.config as object) ?? {}) },
    };
  }
  return out;
}
