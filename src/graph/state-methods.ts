import { TsdbtError } from '../errors/tsdbt-error.js';
import type { GraphMember, Manifest } from '../manifest/types.js';
import { MacroCallIndex } from './macro-calls.js';
import type { PreviousState, StateRecord } from './previous-state.js';
import { STATE_SELECTORS } from './previous-state.js';

/**
 * dbt's state comparison (`state:new`, `state:modified[.sub]`, ...): a
 * member of the current manifest against its namesake in the --state
 * manifest. Each `same*` follows the same_* method of dbt's node classes;
 * what a resource type lacks (a source has no body) never marks it modified
 * by that sub-selector.
 */
export class StateComparer {
  private modifiedMacros: Set<string> | undefined;
  private readonly calls: MacroCallIndex;

  constructor(
    private readonly manifest: Manifest,
    private readonly state: PreviousState,
    rootProject: string,
  ) {
    this.calls = new MacroCallIndex(manifest, rootProject);
  }

  /** A predicate for `state:<selector>`; an unknown selector is SELECTOR_INVALID. */
  matcher(selector: string): (m: GraphMember) => boolean {
    const old = (m: GraphMember) => this.previous(m.unique_id);
    switch (selector) {
      case 'new':
        return (m) => old(m) === undefined;
      case 'old':
        return (m) => old(m) !== undefined;
      case 'modified':
        return (m) => this.modified(old(m), m);
      case 'unmodified':
        return (m) => !this.modified(old(m), m);
      case 'modified.body':
        return (m) => hasBody(m) && (old(m) === undefined || !sameBody(m, old(m)!));
      case 'modified.configs':
        return (m) => hasConfig(m) && (old(m) === undefined || !sameConfig(m, old(m)!));
      case 'modified.persisted_descriptions':
        return (m) => isParsedNode(m) && (old(m) === undefined || !samePersistedDescription(m, old(m)!));
      case 'modified.relation':
        return (m) => hasRelation(m) && (old(m) === undefined || !sameDatabaseRepresentation(m, old(m)!));
      case 'modified.macros':
        return (m) => this.macrosModified(m);
      case 'modified.contract':
        return (m) => isParsedNode(m) && (old(m) === undefined || !sameContract(m, old(m)!));
      default:
        throw new TsdbtError('SELECTOR_INVALID', `Invalid state selector 'state:${selector}'`, {
          hint: `Use one of: ${STATE_SELECTORS.map((s) => `state:${s}`).join(', ')}.`,
        });
    }
  }

  private previous(id: string): StateRecord | undefined {
    const m = this.state.manifest;
    return m.nodes[id] ?? m.sources[id] ?? m.exposures[id] ?? m.unit_tests[id];
  }

  /** dbt's check_modified_content: different contents, an upstream macro changed, or the contract changed. */
  private modified(old: StateRecord | undefined, m: GraphMember): boolean {
    return !sameContents(m, old) || this.macrosModified(m);
  }

  /** The member calls (through any chain of macros) a macro that is new, edited or removed since the state run. */
  private macrosModified(m: GraphMember): boolean {
    const changed = (this.modifiedMacros ??= this.changedMacros());
    if (changed.size === 0) return false;
    // Recorded dependencies, and the calls in the node's own code (its config block and hooks included).
    const recorded = (m as { depends_on?: { macros?: string[] } }).depends_on?.macros ?? [];
    const raw = (m as { raw_code?: unknown }).raw_code;
    const start = [...recorded, ...(typeof raw === 'string' ? this.calls.calls(raw, m.package_name) : [])];
    const seen = new Set<string>();
    const stack = [...start];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (changed.has(id)) return true;
      stack.push(...this.calls.macroCalls(id));
    }
    return false;
  }

  private changedMacros(): Set<string> {
    const before = this.state.manifest.macros;
    const now = this.manifest.macros;
    const out = new Set<string>();
    for (const [id, macro] of Object.entries(now)) if (before[id]?.macro_sql !== macro.macro_sql) out.add(id);
    for (const id of Object.keys(before)) if (!(id in now)) out.add(id);
    return out;
  }
}

type Rec = Record<string, unknown>;
const field = (r: unknown, key: string): unknown => (r as Rec | undefined)?.[key];

const isSource = (m: GraphMember) => m.resource_type === 'source';
const isExposure = (m: GraphMember) => m.resource_type === 'exposure';
const isUnitTest = (m: GraphMember) => m.resource_type === 'unit_test';
/** dbt's ParsedNode: models, seeds, snapshots, tests, analyses, operations. */
const isParsedNode = (m: GraphMember) => !isSource(m) && !isExposure(m) && !isUnitTest(m);
const isGenericTest = (m: GraphMember) => m.resource_type === 'test' && field(m, 'test_metadata') != null;
const hasBody = isParsedNode;
const hasConfig = (m: GraphMember) => !isUnitTest(m);
const hasRelation = (m: GraphMember) => isParsedNode(m) || isSource(m);

/** same_contents per resource type: a member with no previous version is "different" except sources and exposures (as dbt). */
function sameContents(m: GraphMember, old: StateRecord | undefined): boolean {
  if (isSource(m)) {
    if (old === undefined) return true;
    return (
      sameDatabaseRepresentation(m, old) &&
      sameFqn(m, old) &&
      sameConfig(m, old) &&
      equal(field(m, 'quoting'), field(old, 'quoting')) &&
      equal(field(m, 'freshness'), field(old, 'freshness')) &&
      equal(field(m, 'loaded_at_field'), field(old, 'loaded_at_field')) &&
      equal(field(m, 'external') ?? null, field(old, 'external') ?? null)
    );
  }
  if (isExposure(m)) {
    if (old === undefined) return true;
    const keys = ['type', 'owner', 'maturity', 'url', 'description', 'label', 'depends_on'];
    return sameFqn(m, old) && keys.every((k) => equal(field(m, k) ?? null, field(old, k) ?? null)) && sameConfig(m, old);
  }
  if (old === undefined) return false;
  if (isUnitTest(m)) return sameUnitTest(m, old);
  if (isGenericTest(m)) return sameConfig(m, old) && sameFqn(m, old);
  const same =
    sameBody(m, old) &&
    sameConfig(m, old) &&
    samePersistedDescription(m, old) &&
    sameFqn(m, old) &&
    sameDatabaseRepresentation(m, old) &&
    sameContract(m, old);
  if (!same || m.resource_type !== 'model') return same;
  // Changing the latest version, access or deprecation date changes how refs to the model resolve.
  return ['latest_version', 'access', 'deprecation_date'].every((k) => equal(field(m, k) ?? null, field(old, k) ?? null));
}

/**
 * A unit test compares its definition's checksum, as dbt (manifest.json's unit_tests entries since tsdbt writes
 * dbt's UnitTestDefinition); an entry of an older tsdbt manifest (node-shaped) compares its definition and fqn.
 */
function sameUnitTest(m: GraphMember, old: StateRecord): boolean {
  const checksum = field(old, 'checksum');
  if (typeof checksum === 'string') return field(field(m, 'manifest_entry'), 'checksum') === checksum;
  return equal(field(m, 'unit_test'), field(old, 'unit_test')) && sameFqn(m, old);
}

/** Seeds compare their file checksum; other nodes their raw code. */
function sameBody(m: GraphMember, old: StateRecord): boolean {
  if (m.resource_type === 'seed') return equal(field(m, 'checksum'), field(old, 'checksum'));
  return field(m, 'raw_code') === field(old, 'raw_code');
}

const sameFqn = (m: GraphMember, old: StateRecord) => equal(m.fqn, field(old, 'fqn'));

/** Config keys that are not "config" in dbt's comparison (they belong to the relation, or are metadata). */
const CONFIG_NOT_COMPARED = new Set(['alias', 'schema', 'database', 'tags', 'group']);
/** A test's config: only what changes its result is compared. */
const TEST_CONFIG_COMPARED = ['severity', 'where', 'limit', 'fail_calc', 'warn_if', 'error_if', 'store_failures', 'store_failures_as'];

/** dbt compares the configs as written (unrendered), so a target-dependent value does not count as a change. */
function sameConfig(m: GraphMember, old: StateRecord): boolean {
  const mine = (field(m, 'unrendered_config') ?? {}) as Rec;
  const theirs = (field(old, 'unrendered_config') ?? {}) as Rec;
  const keys =
    m.resource_type === 'test'
      ? TEST_CONFIG_COMPARED
      : [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].filter((k) => isSource(m) || !CONFIG_NOT_COMPARED.has(k));
  return keys.every((k) => (k in mine) === (k in theirs) && equal(mine[k], theirs[k]));
}

/** Descriptions only count when persist_docs writes them to the database. */
function samePersistedDescription(m: GraphMember, old: StateRecord): boolean {
  const persist = (field(field(m, 'config'), 'persist_docs') ?? {}) as Rec;
  if (persist.relation && m.description !== field(old, 'description')) return false;
  if (persist.columns) {
    const descriptions = (cols: unknown) =>
      Object.fromEntries(Object.entries((cols ?? {}) as Record<string, Rec>).map(([k, c]) => [k, c.description]));
    if (!equal(descriptions(field(m, 'columns')), descriptions(field(old, 'columns')))) return false;
  }
  return true;
}

/** Nodes compare database/schema/alias as configured (not as generate_*_name rendered them); sources their relation. */
function sameDatabaseRepresentation(m: GraphMember, old: StateRecord): boolean {
  if (isSource(m)) return ['database', 'schema', 'identifier'].every((k) => (field(m, k) ?? null) === (field(old, k) ?? null));
  const mine = (field(m, 'unrendered_config') ?? {}) as Rec;
  const theirs = (field(old, 'unrendered_config') ?? {}) as Rec;
  return ['database', 'schema', 'alias'].every((k) => equal(mine[k], theirs[k]));
}

/** Only models have contracts: enforced on/off, or (enforced) the columns, types and constraints it promises. */
function sameContract(m: GraphMember, old: StateRecord): boolean {
  if (m.resource_type !== 'model') return true;
  const enforced = (r: unknown) => Boolean(field(field(r, 'contract'), 'enforced') ?? field(field(field(r, 'config'), 'contract'), 'enforced'));
  const now = enforced(m);
  const before = enforced(old);
  if (!now && !before) return true;
  if (now !== before) return false;
  return contractState(m) === contractState(old);
}

const ENFORCING_MATERIALIZATIONS = new Set(['table', 'incremental']);

/** What an enforced contract promises, as comparable text (column order does not matter). */
function contractState(r: unknown): string {
  const columns = Object.values((field(r, 'columns') ?? {}) as Record<string, Rec>).sort((a, b) => String(a.name).localeCompare(String(b.name)));
  let state = columns.map((c) => `|${String(c.name)}${String(c.data_type ?? null)}${JSON.stringify(c.constraints ?? [])}`).join('');
  const materialized = String(field(field(r, 'config'), 'materialized') ?? '');
  if (ENFORCING_MATERIALIZATIONS.has(materialized)) state += materialized + JSON.stringify(field(r, 'constraints') ?? []);
  return state;
}

/** Deep equality over JSON values (key order ignored). */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === undefined && b === undefined;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => equal(v, bb[i]));
  }
  const ka = Object.keys(a as Rec).filter((k) => (a as Rec)[k] !== undefined);
  const kb = Object.keys(b as Rec).filter((k) => (b as Rec)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => equal((a as Rec)[k], (b as Rec)[k]));
}
