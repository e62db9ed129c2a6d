/**
 * Thin translation of Snowflake SQL into DuckDB SQL for the Snowflake test double.
 *
 * Identifier case (the one semantic difference that matters most): Snowflake
 * folds unquoted identifiers to upper case and keeps quoted ones verbatim.
 * DuckDB keeps the spelling it was given and matches case-insensitively. So
 * every unquoted identifier is rewritten to a quoted upper-case one
 * (`my_table` → `"MY_TABLE"`), which makes DuckDB create and report the same
 * names Snowflake would (`show objects`, result column names), while quoted
 * identifiers pass through untouched. Known gap: DuckDB still matches
 * `"Abc"` and `"ABC"` as the same name, where Snowflake keeps them apart.
 *
 * A word is left alone when it is a keyword or type name (a curated list, see
 * KEYWORDS), a function name (followed by `(`), or a date part in an interval
 * or extract. Everything else is an identifier. Columns named like a type
 * (`date`, `text`) therefore stay unquoted and keep DuckDB's spelling.
 *
 * Statements (show/describe/use/alter session/stage commands) are not
 * handled here but in snowflake-commands.ts.
 */
import { nextSignificant, prevSignificant, readArguments, tokenize } from './sql-tokens.js';
import type { Token } from './sql-tokens.js';

/** Session values substituted for CURRENT_WAREHOUSE() and friends. */
export interface TranslateContext {
  warehouse?: string;
  role?: string;
  database?: string;
  schema?: string;
  account?: string;
  user?: string;
}

const KEYWORDS = new Set(
  `select from where group by order having limit offset qualify as on and or not in is null true false case when then
else end join inner left right full outer cross natural using union all except intersect minus distinct with recursive
insert into values update set delete merge matched create or replace table view temporary temp if exists drop alter
add column rename to schema database truncate cast try_cast between like ilike rlike asc desc nulls first last over partition
rows range unbounded preceding following current row within filter lateral interval any some primary key foreign
references default unique check constraint collate escape comment grant returning window begin commit rollback
transaction top only ignore respect cascade restrict
int integer bigint smallint tinyint byteint numeric decimal float float4 float8 double precision real
varchar char character text boolean bool date time timestamp timestamptz datetime blob json variant
current_date current_time current_timestamp localtime localtimestamp`
    .split(/\s+/)
    .filter(Boolean),
);

/** Snowflake type names DuckDB spells differently (bare, i.e. not followed by a parenthesised length). */
const TYPE_RENAMES: Record<string, string> = {
  timestamp_ntz: 'timestamp',
  timestamp_ltz: 'timestamptz',
  timestamp_tz: 'timestamptz',
  variant: 'variant',
  object: 'variant',
  string: 'varchar',
  number: 'decimal(38,0)',
  float: 'double',
  float4: 'double',
  float8: 'double',
  real: 'double',
  byteint: 'tinyint',
  binary: 'blob',
  varbinary: 'blob',
};

/** Snowflake date/time part spellings → DuckDB's. */
const DATE_PARTS: Record<string, string> = {
  year: 'year', years: 'year', y: 'year', yy: 'year', yyyy: 'year', yr: 'year', yrs: 'year',
  quarter: 'quarter', quarters: 'quarter', q: 'quarter', qtr: 'quarter',
  month: 'month', months: 'month', mm: 'month', mon: 'month', mons: 'month',
  week: 'week', weeks: 'week', w: 'week', wk: 'week', weekofyear: 'week',
  day: 'day', days: 'day', d: 'day', dd: 'day', dayofmonth: 'day',
  hour: 'hour', hours: 'hour', h: 'hour', hh: 'hour', hr: 'hour',
  minute: 'minute', minutes: 'minute', mi: 'minute', min: 'minute', mins: 'minute',
  second: 'second', seconds: 'second', s: 'second', sec: 'second', secs: 'second',
  millisecond: 'millisecond', milliseconds: 'millisecond', ms: 'millisecond',
  microsecond: 'microsecond', microseconds: 'microsecond', us: 'microsecond',
  epoch: 'epoch', dow: 'dow', dayofweek: 'dow', doy: 'doy', dayofyear: 'doy',
};

/** Translate one Snowflake statement to DuckDB SQL. Pure: same input, same output. */
export function translateSnowflakeSql(sql: string, context: TranslateContext = {}): string {
  return translateTokens(tokenize(cloneAsCopy(sql)), context);
}

const CLONE_NAME = String.raw`(?:"[^"]*"|[\w$]+)(?:\s*\.\s*(?:"[^"]*"|[\w$]+))*`;

/**
 * `create or replace [transient] table a clone b [copy grants] [copy tags]`:
 * Snowflake's zero-copy clone has no DuckDB form; a copy of b's rows is the
 * same to every test (the statement itself is what tests assert).
 */
function cloneAsCopy(sql: string): string {
  const m = new RegExp(`^\\s*create\\s+or\\s+replace\\s+(?:transient\\s+)?table\\s+(${CLONE_NAME})\\s+clone\\s+(${CLONE_NAME})(?:\\s+copy\\s+(?:grants|tags))*\\s*;?\\s*$`, 'i').exec(sql);
  return m ? `create or replace table ${m[1]} as select * from ${m[2]}` : sql;
}

function translateTokens(tokens: Token[], context: TranslateContext): string {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'param') {
      // Snowflake's numbered binds :1 are DuckDB's $1
      out.push(t.text.startsWith(':') ? `$${t.text.slice(1)}` : t.text);
      continue;
    }
    if (t.kind === 'string' && t.text.startsWith("'") && t.text.includes('\\')) {
      out.push(standardString(t.text));
      continue;
    }
    if ((t.kind === 'word' || t.kind === 'quoted') && isDatabaseOfInformationSchema(tokens, i)) {
      // `db.information_schema.x`: DuckDB has one information_schema for every catalog (rows carry table_catalog)
      i = nextSignificant(tokens, i + 1);
      continue;
    }
    if (t.kind !== 'word') {
      out.push(t.text);
      continue;
    }
    const lower = t.text.toLowerCase();
    const next = nextSignificant(tokens, i + 1);
    const prev = prevSignificant(tokens, i);
    const nextTok = next >= 0 ? tokens[next]! : undefined;
    const prevTok = prev >= 0 ? tokens[prev]! : undefined;
    const qualified = isPunct(prevTok, '.') || isPunct(nextTok, '.');

    if (!qualified && (lower === 'temporary' || lower === 'temp' || lower === 'secure') && (isWord(nextTok, 'table') || isWord(nextTok, 'view')) && isWord(prevTok, 'replace')) {
      // DuckDB keeps temporary objects in its own catalog (no db.schema name) and has no secure views;
      // a plain object, dropped by the materialization afterwards, behaves the same for tests
      i = next - 1;
      continue;
    }
    if (!qualified && lower === 'copy' && isWord(nextTok, 'grants')) {
      // grants are the double's bookkeeping (see double-session.ts), not DuckDB's
      i = next;
      continue;
    }
    if (lower === 'to' && isWord(prevTok, 'rename')) {
      // Snowflake renames to a qualified name; DuckDB takes the bare new name
      let last = next;
      for (let k = next; k >= 0 && k < tokens.length; ) {
        const dot = nextSignificant(tokens, k + 1);
        if (dot < 0 || !isPunct(tokens[dot], '.')) break;
        last = nextSignificant(tokens, dot + 1);
        k = last;
      }
      out.push(t.text, ' ');
      const name = tokens[last]!;
      out.push(name.kind === 'word' ? quoteUpper(name.text) : name.text);
      i = last;
      continue;
    }
    if (lower === 'transient' && isWord(nextTok, 'table') && !qualified) {
      // DuckDB has no transient tables; a plain table behaves the same for tests
      i = next - 1;
      continue;
    }
    if (isPunct(nextTok, '(') && !qualified && !isTableNamePosition(prevTok)) {
      const rewritten = rewriteFunction(lower, tokens, next, context);
      if (rewritten) {
        out.push(rewritten.sql);
        i = rewritten.close;
        continue;
      }
      if (lower === 'number' || lower === 'numeric') {
        out.push('decimal');
        continue;
      }
      if (/^timestamp(_ntz|_ltz|_tz)?$/.test(lower) || lower === 'datetime' || lower === 'time') {
        // TIMESTAMP_NTZ(9): DuckDB's timestamps have one precision; keep the type, drop the digits
        const call = readArguments(tokens, next);
        if (call) {
          out.push(lower === 'time' ? 'time' : lower === 'timestamp_ltz' || lower === 'timestamp_tz' ? 'timestamptz' : 'timestamp');
          i = call.close;
          continue;
        }
      }
      out.push(t.text);
      continue;
    }
    if (!qualified && lower in TYPE_RENAMES && isTypePosition(prevTok, lower)) {
      out.push(TYPE_RENAMES[lower]!);
      continue;
    }
    if (!qualified && lower === 'array' && (isPunct(prevTok, '::') || isWord(prevTok, 'as'))) {
      out.push('variant');
      continue;
    }
    if (!qualified && KEYWORDS.has(lower)) {
      out.push(t.text);
      continue;
    }
    if (!qualified && lower in DATE_PARTS && isDatePartPosition(tokens, prev, nextTok)) {
      out.push(DATE_PARTS[lower]!);
      continue;
    }
    out.push(quoteUpper(t.text));
  }
  return out.join('');
}

/** tokens[i] is the database part of `db.information_schema`. */
function isDatabaseOfInformationSchema(tokens: Token[], i: number): boolean {
  const dot = nextSignificant(tokens, i + 1);
  if (dot < 0 || !isPunct(tokens[dot], '.') || isPunct(tokens[prevSignificant(tokens, i)], '.')) return false;
  const next = tokens[nextSignificant(tokens, dot + 1)];
  return next !== undefined && next.text.replace(/"/g, '').toLowerCase() === 'information_schema';
}

/**
 * A Snowflake string literal, where backslash escapes (`\\`, `\'`, `\n`, `\t`),
 * as DuckDB's standard literal, where backslash is an ordinary character.
 */
function standardString(literal: string): string {
  const body = literal.slice(1, literal.endsWith("'") && literal.length > 1 ? -1 : undefined);
  const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
  let text = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      const e = body[++i]!;
      text += ESCAPES[e] ?? e;
    } else if (c === "'" && body[i + 1] === "'") {
      text += "'";
      i++;
    } else text += c;
  }
  return `'${text.replace(/'/g, "''")}'`;
}

function quoteUpper(word: string): string {
  return `"${word.toUpperCase()}"`;
}

function isPunct(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === text;
}

function isWord(t: Token | undefined, lower: string): boolean {
  return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === lower;
}

/** `create table foo (`, `insert into foo (`: a name followed by a column list, not a function call. */
function isTableNamePosition(prev: Token | undefined): boolean {
  return ['table', 'into', 'view', 'exists', 'with', 'join', 'from', 'merge', 'using', 'update'].some((w) => isWord(prev, w));
}

/** A Snowflake type name is renamed after `::`, `as` (cast) or in a column definition (after an identifier). */
function isTypePosition(prev: Token | undefined, lower: string): boolean {
  if (isPunct(prev, '::') || isWord(prev, 'as')) return true;
  if (prev === undefined) return false;
  // column definitions: `id number`, `"X" variant`; `real`/`float` are common enough as types only
  return prev.kind === 'quoted' || (prev.kind === 'word' && !KEYWORDS.has(prev.text.toLowerCase()) && lower !== 'object');
}

/** `interval 1 day`, `interval '1' day`, `interval (n) day`, `extract(day from x)`. */
function isDatePartPosition(tokens: Token[], prev: number, next: Token | undefined): boolean {
  if (prev < 0) return false;
  if (isWord(next, 'from') && isPunct(tokens[prev], '(')) {
    const fn = prevSignificant(tokens, prev);
    return fn >= 0 && isWord(tokens[fn], 'extract');
  }
  let start = prev;
  const p = tokens[prev]!;
  if (isPunct(p, ')')) {
    // walk back to the matching `(`
    let depth = 0;
    for (; start >= 0; start--) {
      if (isPunct(tokens[start], ')')) depth++;
      else if (isPunct(tokens[start], '(') && --depth === 0) break;
    }
  } else if (p.kind !== 'number' && p.kind !== 'string') return false;
  const before = prevSignificant(tokens, start);
  return before >= 0 && isWord(tokens[before], 'interval');
}

/** A date part given as a bare word or a string literal, normalised to DuckDB's name. */
function datePart(arg: Token[]): string | undefined {
  const sig = arg.filter((t) => t.kind !== 'space');
  if (sig.length !== 1) return undefined;
  const t = sig[0]!;
  const raw = t.kind === 'string' ? t.text.slice(1, -1) : t.kind === 'word' || t.kind === 'quoted' ? t.text.replace(/"/g, '') : undefined;
  return raw === undefined ? undefined : DATE_PARTS[raw.toLowerCase()];
}

function literal(value: string | undefined): string | undefined {
  return value === undefined ? undefined : `'${value.replace(/'/g, "''")}'`;
}

/**
 * Rewrite a Snowflake-only function call starting at the word before `open`.
 * Returns the DuckDB SQL and the index of the closing parenthesis, or
 * undefined to leave the call as it is.
 */
function rewriteFunction(
  name: string,
  tokens: Token[],
  open: number,
  context: TranslateContext,
): { sql: string; close: number } | undefined {
  const call = readArguments(tokens, open);
  if (!call) return undefined;
  const { close, args } = call;
  const empty = args.length === 1 && args[0]!.every((t) => t.kind === 'space');
  const arg = (k: number) => translateTokens(args[k]!, context).trim();
  const done = (sql: string | undefined) => (sql === undefined ? undefined : { sql, close });

  switch (name) {
    case 'flatten': {
      // LATERAL FLATTEN(INPUT => arr) yields one row per element with a VALUE column; the double's
      // arrays are DuckDB lists, so a lateral UNNEST gives the same rows (empty or null arrays: none)
      const input = args.map((_, k) => arg(k)).find((a) => /^"?INPUT"?\s*=>/i.test(a));
      if (!input) return undefined;
      return done(`(select unnest(${input.replace(/^"?INPUT"?\s*=>\s*/i, '')}) as "VALUE")`);
    }
    case 'current_timestamp':
    case 'current_date':
    case 'current_time':
    case 'localtimestamp':
      // Snowflake takes an optional precision in parentheses; DuckDB takes none
      return done(name);
    case 'sysdate':
    case 'getdate':
      return empty ? done('current_timestamp') : undefined;
    case 'convert_timezone':
      // (target_tz, ts) or (source_tz, target_tz, naive_ts); DuckDB's timezone() gives the wall time there
      if (args.length === 2) return done(`timezone(${arg(0)}, cast(${arg(1)} as timestamptz))`);
      return args.length === 3 ? done(`timezone(${arg(1)}, timezone(${arg(0)}, cast(${arg(2)} as timestamp)))`) : undefined;
    case 'iff':
      return args.length === 3 ? done(`(CASE WHEN ${arg(0)} THEN ${arg(1)} ELSE ${arg(2)} END)`) : undefined;
    case 'array_size':
      return args.length === 1 ? done(`json_array_length(cast(${arg(0)} as json))`) : undefined;
    case 'dateadd':
    case 'timestampadd':
    case 'timeadd': {
      const part = args.length === 3 ? datePart(args[0]!) : undefined;
      return part ? done(`(${arg(2)} + interval (${arg(1)}) ${part})`) : undefined;
    }
    case 'datediff':
    case 'timestampdiff':
    case 'timediff': {
      const part = args.length === 3 ? datePart(args[0]!) : undefined;
      return part ? done(`date_diff('${part}', ${arg(1)}, ${arg(2)})`) : undefined;
    }
    case 'date_trunc': {
      const part = args.length === 2 ? datePart(args[0]!) : undefined;
      return part ? done(`date_trunc('${part}', ${arg(1)})`) : undefined;
    }
    case 'to_timestamp_tz':
    case 'to_timestamp_ltz':
      return args.length === 1 && !empty ? done(`cast(${arg(0)} as timestamptz)`) : undefined;
    case 'to_timestamp_ntz':
    case 'to_timestamp':
      return args.length === 1 && !empty ? done(`cast(${arg(0)} as timestamp)`) : undefined;
    case 'to_date':
      return args.length === 1 && !empty ? done(`cast(${arg(0)} as date)`) : undefined;
    case 'parse_json':
      return args.length === 1 ? done(`cast(cast(${arg(0)} as json) as variant)`) : undefined;
    case 'to_binary': {
      // Snowflake's default binary input format is HEX
      const format = args.length === 2 ? arg(1).toLowerCase() : "'hex'";
      if (format === "'hex'") return done(`unhex(${arg(0)})`);
      if (format === "'utf-8'" || format === "'utf8'") return done(`encode(${arg(0)})`);
      return format === "'base64'" ? done(`from_base64(${arg(0)})`) : undefined;
    }
    case 'listagg':
      return done(`string_agg(${args.map((_, k) => arg(k)).join(', ')})`);
    case 'current_warehouse':
      return empty ? done(literal(context.warehouse) ?? 'NULL') : undefined;
    case 'current_role':
      return empty ? done(literal(context.role) ?? 'NULL') : undefined;
    case 'current_account':
      return empty ? done(literal(context.account) ?? 'NULL') : undefined;
    case 'current_user':
      return empty ? done(literal(context.user) ?? 'NULL') : undefined;
    case 'current_database':
      return empty && context.database !== undefined ? done(literal(context.database)) : undefined;
    case 'current_schema':
      return empty && context.schema !== undefined ? done(literal(context.schema)) : undefined;
    default:
      return undefined;
  }
}
