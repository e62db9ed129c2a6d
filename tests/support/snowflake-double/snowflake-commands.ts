/**
 * Snowflake statements the double answers itself instead of handing them to
 * DuckDB: session commands (USE, ALTER SESSION), metadata commands (SHOW,
 * DESCRIBE) and CREATE DATABASE (a DuckDB catalog, attached in memory).
 *
 * `parseCommand` only recognises the statement and resolves its names with
 * Snowflake's case rules; the double runs it (snowflake-double.ts).
 */
import { tokenize } from './sql-tokens.js';

export type Command =
  | { kind: 'use'; object: 'warehouse' | 'role' | 'database' | 'schema'; name: string[] }
  | { kind: 'alter_session'; set: Record<string, string>; unset: string[] }
  | { kind: 'show_objects'; terse: boolean; name: string[] }
  | { kind: 'show_schemas'; terse: boolean; database?: string }
  | { kind: 'describe_table'; name: string[] }
  | { kind: 'create_database'; name: string; orReplace: boolean; ifNotExists: boolean }
  | { kind: 'create_stage'; name: string[]; orReplace: boolean; ifNotExists: boolean }
  /** PUT file://<source> @<stage>: the driver uploads, the double only says where to. */
  | { kind: 'put'; source: string; stage: string[]; path: string }
  | { kind: 'copy_into'; table: string[]; stage: string[]; path: string; pattern?: string; files?: string[]; fileType?: string; formatName?: string[]; matchByName: boolean }
  /** REMOVE @stage[/path]: delete the staged files under the path. */
  | { kind: 'remove'; stage: string[]; path: string }
  | { kind: 'create_file_format'; name: string[]; fileType: string; orReplace: boolean; ifNotExists: boolean }
  /** CREATE [OR REPLACE] TABLE ... USING TEMPLATE (... INFER_SCHEMA(LOCATION => '@stage/path', FILE_FORMAT => 'fmt') ...). */
  | { kind: 'create_table_from_template'; table: string[]; stage: string[]; path: string; formatName: string[]; upperNames: boolean }
  /** SHOW PARAMETERS LIKE '<pattern>' IN SESSION (only session parameters: QUERY_TAG and those set by ALTER SESSION). */
  | { kind: 'show_parameters'; like?: string }
  | { kind: 'show_grants'; name: string[] }
  | { kind: 'grant' | 'revoke'; privilege: string; name: string[]; roles: string[] }
  /** ALTER TABLE ... CLUSTER BY / RESUME RECLUSTER: no physical effect in the double; the table must exist. */
  | { kind: 'alter_clustering'; name: string[] };

/** Resolve one identifier as Snowflake does: unquoted → upper case, quoted → verbatim. */
export function resolveIdentifier(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toUpperCase();
}

/** Parse `a.b."C"` into resolved parts; undefined when the text is not a dotted name. */
export function parseName(text: string): string[] | undefined {
  const tokens = tokenize(text.trim()).filter((t) => t.kind !== 'space');
  const parts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (i % 2 === 1) {
      if (t.kind !== 'punct' || t.text !== '.') return undefined;
      continue;
    }
    if (t.kind !== 'word' && t.kind !== 'quoted') return undefined;
    parts.push(resolveIdentifier(t.text));
  }
  return parts.length > 0 && tokens.length % 2 === 1 ? parts : undefined;
}

const NAME = `((?:"[^"]*"|[A-Za-z_][A-Za-z0-9_$]*)(?:\\s*\\.\\s*(?:"[^"]*"|[A-Za-z_][A-Za-z0-9_$]*))*)`;
/** A stage reference: `@~` (the user stage) or `@name`, with an optional `/sub/path/`; two groups. */
const STAGE = `@(~|(?:"[^"]*"|[A-Za-z_][A-Za-z0-9_$]*)(?:\\.(?:"[^"]*"|[A-Za-z_][A-Za-z0-9_$]*))*)(/[^\\s']*)?`;

function stageOf(name: string, path: string | undefined): { stage: string[]; path: string } {
  return { stage: name === '~' ? ['~'] : parseName(name)!, path: (path ?? '').replace(/^\/+|\/+$/g, '') };
}

/** Recognise a Snowflake-only statement; undefined for SQL that DuckDB should run (after translation). */
export function parseCommand(sql: string): Command | undefined {
  const s = stripComments(sql).trim().replace(/;\s*$/, '').trim();
  let m: RegExpExecArray | null;

  if ((m = new RegExp(`^use\\s+(?:(warehouse|role|database|schema)\\s+)?${NAME}$`, 'i').exec(s))) {
    const object = (m[1]?.toLowerCase() ?? 'schema') as 'warehouse' | 'role' | 'database' | 'schema';
    return { kind: 'use', object, name: parseName(m[2]!)! };
  }
  if ((m = /^alter\s+session\s+(set|unset)\s+([\s\S]+)$/i.exec(s))) {
    const set: Record<string, string> = {};
    const unset: string[] = [];
    if (m[1]!.toLowerCase() === 'unset') {
      for (const p of m[2]!.split(',')) unset.push(p.trim().toUpperCase());
    } else {
      const re = /([A-Za-z_]+)\s*=\s*('(?:[^'\\]|''|\\.)*'|[^\s,]+)/g;
      let p: RegExpExecArray | null;
      while ((p = re.exec(m[2]!))) {
        const raw = p[2]!;
        set[p[1]!.toUpperCase()] = raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'").replace(/\\'/g, "'") : raw;
      }
    }
    return { kind: 'alter_session', set, unset };
  }
  if ((m = new RegExp(`^show\\s+(terse\\s+)?objects\\s+in\\s+(?:schema\\s+)?${NAME}$`, 'i').exec(s))) {
    return { kind: 'show_objects', terse: !!m[1], name: parseName(m[2]!)! };
  }
  if ((m = new RegExp(`^show\\s+(terse\\s+)?schemas(?:\\s+in\\s+(?:database\\s+)?${NAME})?$`, 'i').exec(s))) {
    return { kind: 'show_schemas', terse: !!m[1], database: m[2] ? parseName(m[2])![0] : undefined };
  }
  if ((m = new RegExp(`^(?:describe|desc)\\s+(?:table\\s+|view\\s+)?${NAME}(?:\\s+type\\s*=\\s*columns)?$`, 'i').exec(s))) {
    return { kind: 'describe_table', name: parseName(m[1]!)! };
  }
  if ((m = new RegExp(`^create\\s+(or\\s+replace\\s+)?(?:transient\\s+)?database\\s+(if\\s+not\\s+exists\\s+)?${NAME}$`, 'i').exec(s))) {
    return { kind: 'create_database', name: parseName(m[3]!)![0]!, orReplace: !!m[1], ifNotExists: !!m[2] };
  }
  if ((m = new RegExp(`^create\\s+(or\\s+replace\\s+)?(?:temporary\\s+|temp\\s+)?stage\\s+(if\\s+not\\s+exists\\s+)?${NAME}(?:\\s[\\s\\S]*)?$`, 'i').exec(s))) {
    return { kind: 'create_stage', name: parseName(m[3]!)!, orReplace: !!m[1], ifNotExists: !!m[2] };
  }
  if ((m = new RegExp(`^put\\s+'?file://([^'\\s]+)'?\\s+${STAGE}(?:\\s[\\s\\S]*)?$`, 'i').exec(s))) {
    return { kind: 'put', source: m[1]!, ...stageOf(m[2]!, m[3]) };
  }
  if ((m = new RegExp(`^(?:remove|rm)\\s+${STAGE}$`, 'i').exec(s))) {
    return { kind: 'remove', ...stageOf(m[1]!, m[2]) };
  }
  if ((m = new RegExp(`^create\\s+(or\\s+replace\\s+)?(?:temporary\\s+|temp\\s+)?file\\s+format\\s+(if\\s+not\\s+exists\\s+)?${NAME}\\s+(?:type\\s*=\\s*'?(\\w+)'?)[\\s\\S]*$`, 'i').exec(s))) {
    return { kind: 'create_file_format', name: parseName(m[3]!)!, fileType: m[4]!.toUpperCase(), orReplace: !!m[1], ifNotExists: !!m[2] };
  }
  if ((m = new RegExp(`^create\\s+or\\s+replace\\s+(?:transient\\s+)?table\\s+${NAME}\\s+using\\s+template\\s*\\(([\\s\\S]*)\\)$`, 'i').exec(s))) {
    const inner = m[2]!;
    const loc = new RegExp(`location\\s*=>\\s*'${STAGE}'`, 'i').exec(inner);
    const fmt = /file_format\s*=>\s*'([^']+)'/i.exec(inner);
    if (!loc || !fmt) return undefined;
    return { kind: 'create_table_from_template', table: parseName(m[1]!)!, ...stageOf(loc[1]!, loc[2]), formatName: parseName(fmt[1]!)!, upperNames: /upper\s*\(\s*column_name\s*\)/i.test(inner) };
  }
  if ((m = new RegExp(`^copy\\s+into\\s+${NAME}\\s+from\\s+${STAGE}([\\s\\S]*)$`, 'i').exec(s))) {
    const rest = m[4]!;
    const pattern = /\bpattern\s*=\s*'([^']*)'/i.exec(rest)?.[1];
    const files = /\bfiles\s*=\s*\(([^)]*)\)/i.exec(rest)?.[1]?.split(',').map((f) => f.trim().replace(/^'|'$/g, ''));
    const fileType = /\btype\s*=\s*'?(\w+)'?/i.exec(rest)?.[1]?.toUpperCase();
    const formatName = /\bformat_name\s*=\s*'?([^'\s)]+)'?/i.exec(rest)?.[1];
    const matchByName = /\bmatch_by_column_name\s*=\s*'?case_(in)?sensitive'?/i.test(rest);
    return { kind: 'copy_into', table: parseName(m[1]!)!, ...stageOf(m[2]!, m[3]), pattern, files, fileType: formatName ? undefined : (fileType ?? 'CSV'), formatName: formatName ? parseName(formatName) : undefined, matchByName };
  }
  if ((m = /^show\s+parameters(?:\s+like\s+'([^']*)')?(?:\s+in\s+session)?$/i.exec(s))) {
    return { kind: 'show_parameters', like: m[1] };
  }
  if ((m = new RegExp(`^show\\s+grants\\s+on\\s+(?:table\\s+|view\\s+)?${NAME}$`, 'i').exec(s))) {
    return { kind: 'show_grants', name: parseName(m[1]!)! };
  }
  if ((m = new RegExp(`^(grant|revoke)\\s+(\\w+)\\s+on\\s+(?:table\\s+|view\\s+)?${NAME}\\s+(?:to|from)\\s+role\\s+([\\s\\S]+)$`, 'i').exec(s))) {
    // one grantee per statement, as Snowflake requires
    const role = parseName(m[4]!.trim());
    if (!role || role.length !== 1) return undefined;
    return { kind: m[1]!.toLowerCase() as 'grant' | 'revoke', privilege: m[2]!.toUpperCase(), name: parseName(m[3]!)!, roles: role };
  }
  if ((m = new RegExp(`^alter\\s+table\\s+${NAME}\\s+(?:cluster\\s+by\\s*\\([\\s\\S]*\\)|resume\\s+recluster|suspend\\s+recluster|drop\\s+clustering\\s+key)$`, 'i').exec(s))) {
    return { kind: 'alter_clustering', name: parseName(m[1]!)! };
  }
  return undefined;
}

function stripComments(sql: string): string {
  return tokenize(sql)
    .map((t) => (t.kind === 'space' ? (t.text.startsWith('--') || t.text.startsWith('/*') ? ' ' : t.text) : t.text))
    .join('');
}

/** Snowflake's name for a DuckDB column type, as DESCRIBE TABLE shows it. */
export function snowflakeTypeName(duckdbType: string): string {
  const t = duckdbType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(t)) return 'NUMBER(38,0)';
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return `NUMBER(${dec[1]},${dec[2]})`;
  if (t === 'DOUBLE' || t === 'FLOAT') return 'FLOAT';
  if (t === 'VARCHAR') return 'VARCHAR(16777216)';
  if (t === 'BOOLEAN' || t === 'DATE' || t === 'VARIANT') return t;
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMP_TZ(9)';
  if (t.startsWith('TIMESTAMP')) return 'TIMESTAMP_NTZ(9)';
  if (t === 'TIME') return 'TIME(9)';
  if (t === 'BLOB') return 'BINARY(8388608)';
  if (t.endsWith(']')) return 'ARRAY';
  if (t.startsWith('STRUCT') || t.startsWith('MAP')) return 'OBJECT';
  return t;
}
