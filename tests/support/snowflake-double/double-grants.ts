/**
 * Session parameters and grants in the Snowflake double: SHOW PARAMETERS,
 * SHOW GRANTS, GRANT / REVOKE (one role per statement, as Snowflake takes
 * them), and dropping an object's grants when `create or replace` runs
 * without COPY GRANTS, as Snowflake does.
 */
import type { QueryResult } from '../../../src/adapters/base/connection.js';
import type { DoubleSession, SessionState } from './double-session.js';
import type { Command } from './snowflake-commands.js';

/** Session parameters as SHOW PARAMETERS lists them (QUERY_TAG always, others once set). */
export function showParameters(state: SessionState, like: string | undefined): QueryResult {
  const params: [string, string][] = [['QUERY_TAG', state.queryTag], ...Object.entries(state.parameters)];
  const re = like === undefined ? undefined : new RegExp(`^${like.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i');
  const rows = params.filter(([k]) => !re || re.test(k)).map(([k, v]) => [k, v, '', 'SESSION', '', 'STRING']);
  const names = ['key', 'value', 'default', 'level', 'description', 'type'];
  return { columns: names.map((name) => ({ name, type: 'VARCHAR' })), rows };
}

function grantsOf(s: DoubleSession, name: string[]): Map<string, Set<string>> {
  const key = s.qualify(name).join('.');
  s.stages.grants ??= new Map();
  let g = s.stages.grants.get(key);
  if (!g) {
    g = new Map();
    s.stages.grants.set(key, g);
  }
  return g;
}

export async function showGrants(s: DoubleSession, name: string[]): Promise<QueryResult> {
  await s.describe(name);
  const key = s.qualify(name).join('.');
  const rows: unknown[][] = [[null, 'OWNERSHIP', 'TABLE', key, 'ROLE', s.state.role ?? 'PUBLIC', 'true', s.state.role ?? 'PUBLIC']];
  for (const [privilege, roles] of grantsOf(s, name)) for (const role of [...roles].sort()) rows.push([null, privilege, 'TABLE', key, 'ROLE', role, 'false', s.state.role ?? 'PUBLIC']);
  const names = ['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option', 'granted_by'];
  return { columns: names.map((n) => ({ name: n, type: 'VARCHAR' })), rows };
}

export async function grant(s: DoubleSession, c: Extract<Command, { kind: 'grant' | 'revoke' }>): Promise<QueryResult> {
  await s.describe(c.name);
  const grants = grantsOf(s, c.name);
  const roles = grants.get(c.privilege) ?? new Set<string>();
  for (const r of c.roles) if (c.kind === 'grant') roles.add(r);
  else roles.delete(r);
  grants.set(c.privilege, roles);
  return { columns: [{ name: 'status', type: 'VARCHAR' }], rows: [['Statement executed successfully.']] };
}

/** `create or replace` without COPY GRANTS drops the object's grants, as in Snowflake. */
export function forgetGrantsOnReplace(s: DoubleSession, sql: string): void {
  const m = /^\s*create\s+or\s+replace\s+(?:(?:secure|transient|temporary|temp)\s+)*(?:table|view)\s+((?:"[^"]*"|[\w$]+)(?:\s*\.\s*(?:"[^"]*"|[\w$]+))*)([\s\S]*)$/i.exec(sql);
  if (!m || /^\s*copy\s+grants\b/i.test(m[2]!) || !s.stages.grants) return;
  const name = m[1]!.split('.').map((p) => (p.trim().startsWith('"') ? p.trim().slice(1, -1) : p.trim().toUpperCase()));
  s.stages.grants.delete(s.qualify(name).join('.'));
}
