import { TsdbtError } from '../errors/tsdbt-error.js';
import { isRecord, parseYaml, type ParsedYaml } from '../util/yaml.js';
import { parseCriterion, parseUnion, validateValue, type SelectorOrigin } from './parse-selection.js';
import {
  INDIRECT_SELECTION_MODES,
  type IndirectSelection,
  type MethodName,
  type SelectionCriterion,
  type SelectionSet,
  type SelectionSpec,
} from './selection-spec.js';

/** One entry of selectors.yml, with its definition already parsed. */
export interface SelectorDefinition {
  name: string;
  description: string;
  /** `default: true`: used when a command gets neither --select nor --exclude. */
  default: boolean;
  definition: SelectionSpec;
  file: string;
  line?: number;
}

const CRITERION_KEYS = new Set([
  'method',
  'value',
  'children',
  'parents',
  'children_depth',
  'parents_depth',
  'childrens_parents',
  'indirect_selection',
  'exclude',
]);

/**
 * Parse selectors.yml (`selectors: [{name, description?, default?, definition}]`).
 *
 * A definition is a CLI-style string (`'tag:nightly+'`), a one-key map
 * (`{tag: nightly}`), a full criterion (`{method, value, parents,
 * parents_depth, children, children_depth, childrens_parents,
 * indirect_selection, exclude}`), `{union: [...]}` / `{intersection: [...]}`
 * whose items may include one `{exclude: [...]}`, or `{method: selector,
 * value: other}` to reuse another selector. Errors are TsdbtError
 * 'SELECTOR_INVALID' (or 'YAML_SYNTAX') naming the file and line.
 */
export function loadSelectorsYaml(file: string, text: string): Record<string, SelectorDefinition> {
  return loadSelectorsFrom(parseYaml(text, file));
}

/** loadSelectorsYaml on selectors.yml already read (and its Jinja rendered: renderSelectorsYaml). */
export function loadSelectorsFrom(yaml: ParsedYaml): Record<string, SelectorDefinition> {
  return new SelectorsLoader(yaml).load();
}

/** Whether selectors.yml's text holds Jinja to render before its selectors are read. */
export function selectorsHaveJinja(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/**
 * Renders, in place, every string of selectors.yml that holds Jinja, as dbt
 * renders the file with dbt_project.yml's renderer (each value natively:
 * `"{{ env_var('X') }}"` may become a number or a boolean). Maps and lists
 * stay the same objects, so the lines of `yaml` still locate them. `render`
 * gets the text and the line of the map or list holding it.
 */
export function renderSelectorsYaml(yaml: ParsedYaml, render: (text: string, line: number | undefined) => unknown): ParsedYaml {
  const visit = (holder: Record<string, unknown> | unknown[]): void => {
    const keys: (string | number)[] = Array.isArray(holder) ? holder.map((_, i) => i) : Object.keys(holder);
    for (const k of keys) {
      const v = (holder as Record<string | number, unknown>)[k];
      if (typeof v === 'string' && selectorsHaveJinja(v)) {
        const line = Array.isArray(holder) ? yaml.itemLine(holder, k as number) : yaml.keyLine(holder, k as string);
        (holder as Record<string | number, unknown>)[k] = render(v, line ?? yaml.lineOf(holder));
      } else if (Array.isArray(v) || isRecord(v)) {
        visit(v as Record<string, unknown> | unknown[]);
      }
    }
  };
  if (Array.isArray(yaml.value) || isRecord(yaml.value)) visit(yaml.value as Record<string, unknown> | unknown[]);
  return yaml;
}

type Raw = { name: string; description: string; default: boolean; body: unknown; line?: number };

class SelectorsLoader {
  private readonly raw = new Map<string, Raw>();
  private readonly done = new Map<string, SelectorDefinition>();
  private readonly resolving: string[] = [];

  constructor(private readonly yaml: ParsedYaml) {}

  load(): Record<string, SelectorDefinition> {
    const root = this.yaml.value;
    if (root === null || root === undefined) return {};
    if (!isRecord(root) || !Array.isArray(root.selectors)) {
      this.fail(root, 'expected a top-level `selectors:` list', 'Write `selectors:` followed by a list of `- name: ... definition: ...`.');
    }
    const list = (root as { selectors: unknown[] }).selectors;
    let defaultName: string | undefined;
    for (const entry of list) {
      if (!isRecord(entry)) this.fail(entry, `each selector must be a map, got ${quote(entry)}`, 'Give it `name:` and `definition:` keys.');
      const e = entry as Record<string, unknown>;
      if (typeof e.name !== 'string' || e.name === '') this.fail(e, 'a selector has no `name`', 'Add `name: <selector_name>`.');
      const name = e.name as string;
      if (!('definition' in e) || e.definition === null) this.fail(e, `selector '${name}' has no \`definition\``, 'Add `definition:` with a selection.');
      if (this.raw.has(name)) this.fail(e, `selector '${name}' is defined twice`, 'Give each selector a unique name.');
      const isDefault = this.parseDefault(e, name);
      if (isDefault) {
        if (defaultName !== undefined) {
          this.fail(e, `selectors '${defaultName}' and '${name}' both have \`default: true\``, 'Only one selector may be the default.');
        }
        defaultName = name;
      }
      const description = typeof e.description === 'string' ? e.description : '';
      this.raw.set(name, { name, description, default: isDefault, body: e.definition, line: this.yaml.lineOf(e) });
    }
    for (const name of this.raw.keys()) this.resolve(name, undefined);
    return Object.fromEntries(this.done);
  }

  private parseDefault(e: Record<string, unknown>, name: string): boolean {
    const d = e.default;
    if (d === undefined || d === null) return false;
    if (typeof d === 'boolean') return d;
    if (typeof d === 'string' && /^(true|false)$/i.test(d.trim())) return d.trim().toLowerCase() === 'true';
    return this.fail(e, `selector '${name}' has \`default: ${quote(d)}\``, 'Use `default: true` or `default: false` (render any Jinja before loading).');
  }

  private resolve(name: string, from: unknown): SelectorDefinition {
    const ready = this.done.get(name);
    if (ready) return ready;
    const raw = this.raw.get(name);
    if (!raw) {
      return this.fail(from, `no selector named '${name}' to reuse`, `Define '${name}' in this file, or use one of: ${[...this.raw.keys()].join(', ')}.`);
    }
    if (this.resolving.includes(name)) {
      return this.fail(from, `selectors refer to each other in a loop: ${[...this.resolving, name].join(' -> ')}`, 'Break the loop of `method: selector` references.');
    }
    this.resolving.push(name);
    const definition = this.definition(raw.body, raw.body, true);
    this.resolving.pop();
    const def: SelectorDefinition = {
      name,
      description: raw.description,
      default: raw.default,
      definition,
      file: this.yaml.file,
      ...(raw.line !== undefined ? { line: raw.line } : {}),
    };
    this.done.set(name, def);
    return def;
  }

  /** `near` is the closest map/list, for the error line. */
  private definition(body: unknown, near: unknown, rootLevel: boolean): SelectionSpec {
    if (typeof body === 'string') {
      const set = parseUnion([body], false, undefined, this.origin(near));
      return set.components.length === 1 ? onlyChild(set) : set;
    }
    if (!isRecord(body)) {
      return this.fail(near, `expected a union, intersection, string or map, found ${quote(body)}`, "Write e.g. `definition: 'tag:nightly'` or `definition: {union: [...]}`.");
    }
    const keys = Object.keys(body);
    if ('union' in body || 'intersection' in body) {
      if (keys.length > 1 && rootLevel) {
        this.fail(body, `only a single 'union' or 'intersection' key is allowed in a root level selector definition; found ${keys.join(',')}`, 'Move the other keys into the list.');
      }
      const kind = 'union' in body ? 'union' : 'intersection';
      return this.setOperator(kind, body[kind], body);
    }
    if (body.method === 'selector') {
      if (typeof body.value !== 'string') this.fail(body, '`method: selector` needs `value: <selector name>`', 'Name the selector to reuse.');
      return this.resolve(body.value as string, body).definition;
    }
    return this.criterionMap(body);
  }

  private setOperator(kind: 'union' | 'intersection', items: unknown, near: Record<string, unknown>): SelectionSpec {
    if (!Array.isArray(items)) this.fail(near, `\`${kind}\` must be a list, got ${quote(items)}`, `Write \`${kind}:\` followed by a list of selections.`);
    const include: SelectionSpec[] = [];
    let exclude: SelectionSpec | undefined;
    for (const item of items as unknown[]) {
      if (isRecord(item) && 'exclude' in item && !('method' in item)) {
        if (exclude) this.fail(item, `you cannot provide multiple exclude arguments to the same ${kind}`, 'Put every exclusion in one `exclude:` list.');
        exclude = this.exclusions(item);
      } else {
        include.push(this.definition(item, isRecord(item) || Array.isArray(item) ? item : items, false));
      }
    }
    const set: SelectionSet = { kind, components: include, raw: kind, expectExists: false };
    return exclude ? { kind: 'difference', components: [set, exclude], raw: kind, expectExists: false } : set;
  }

  private exclusions(holder: Record<string, unknown>): SelectionSpec {
    const list = holder.exclude;
    const items = Array.isArray(list) ? list : [list];
    const parsed = items.map((x) => this.definition(x, isRecord(x) ? x : holder, false));
    return parsed.length === 1 ? parsed[0]! : { kind: 'union', components: parsed, raw: 'exclude', expectExists: false };
  }

  private criterionMap(body: Record<string, unknown>): SelectionSpec {
    const keys = Object.keys(body);
    let dict: Record<string, unknown>;
    if (keys.length === 1 && !('method' in body)) {
      dict = { method: keys[0], value: body[keys[0]!] };
    } else if ('method' in body && 'value' in body) {
      dict = body;
      const unknown = keys.filter((k) => !CRITERION_KEYS.has(k));
      if (unknown.length > 0) this.fail(body, `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, `Use only: ${[...CRITERION_KEYS].join(', ')}.`);
    } else {
      return this.fail(body, `expected either 1 key or else "method" and "value" keys, but got [${keys.join(', ')}]`, 'Write e.g. `{method: tag, value: nightly}`.');
    }
    const methodText = String(dict.method);
    const value = dict.value;
    if (value === null || value === undefined || (typeof value === 'object')) {
      this.fail(body, `method '${methodText}' needs a scalar \`value\`, got ${quote(value)}`, 'Give `value:` a name, tag or path.');
    }
    const origin = this.origin(body);
    // Reuse the CLI parser for method validation, then apply the map's operators.
    const parsed = parseCriterion(`${methodText}:${String(value)}`, `${methodText}:${String(value)}`, origin);
    const c: SelectionCriterion = {
      ...parsed,
      raw: `${methodText}:${String(value)}`,
      parents: this.flag(body, 'parents'),
      children: this.flag(body, 'children'),
      childrensParents: this.flag(body, 'childrens_parents'),
    };
    const pd = this.depth(body, 'parents_depth');
    const cd = this.depth(body, 'children_depth');
    if (pd !== undefined) c.parentsDepth = pd;
    if (cd !== undefined) c.childrenDepth = cd;
    const mode = body.indirect_selection;
    if (mode !== undefined) {
      if (typeof mode !== 'string' || !INDIRECT_SELECTION_MODES.includes(mode as IndirectSelection)) {
        this.fail(body, `invalid indirect_selection ${quote(mode)}`, `Use one of: ${INDIRECT_SELECTION_MODES.join(', ')}.`);
      }
      c.indirectSelection = mode as IndirectSelection;
    }
    validateValue(c.method as MethodName, c.value, (why, hint) => this.fail(body, why, hint));
    if ('exclude' in body) {
      return { kind: 'difference', components: [c, this.exclusions(body)], raw: c.raw, expectExists: false };
    }
    return c;
  }

  private flag(body: Record<string, unknown>, key: string): boolean {
    const v = body[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') this.fail(body, `\`${key}\` must be true or false, got ${quote(v)}`, `Write \`${key}: true\`.`);
    return v as boolean;
  }

  private depth(body: Record<string, unknown>, key: string): number | undefined {
    const v = body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      this.fail(body, `\`${key}\` must be a whole number, got ${quote(v)}`, `Write e.g. \`${key}: 2\`.`);
    }
    return v as number;
  }

  private origin(near: unknown): SelectorOrigin {
    const line = this.yaml.lineOf(near);
    return { file: this.yaml.file, ...(line !== undefined ? { line } : {}) };
  }

  private fail(near: unknown, why: string, hint: string): never {
    throw new TsdbtError('SELECTOR_INVALID', `Invalid selectors.yml: ${why}`, { ...this.origin(near), hint });
  }
}

function onlyChild(set: SelectionSet): SelectionSpec {
  const term = set.components[0]!;
  return term.kind === 'intersection' && term.components.length === 1 ? term.components[0]! : term;
}

function quote(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
}
