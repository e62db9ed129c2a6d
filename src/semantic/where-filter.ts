import { TsdbtError } from '../errors/tsdbt-error.js';

/**
 * `where` filters in dbt's template form —
 * `{{ Dimension('customer__country') }} = 'US'` — read by a restricted
 * grammar of our own, never by the Jinja renderer. References name only
 * semantic-manifest objects (resolved by the compiler), every literal
 * becomes a bind parameter, and anything else (a subquery, a statement
 * separator, a function outside the allow-list) is rejected with its
 * position: QUERY_FILTER.
 */
export type FilterRefKind = 'Dimension' | 'TimeDimension' | 'Entity' | 'Metric';

export interface FilterRef {
  kind: FilterRefKind;
  /** `customer__country`, `metric_time`, a metric name. */
  name: string;
  /** TimeDimension's second argument or `.grain('week')`. */
  grain: string | null;
  /** Metric('m', group_by=['e']). */
  groupBy: string[];
}

export type FilterNode =
  | { t: 'ref'; ref: FilterRef }
  | { t: 'lit'; value: string | number | boolean }
  | { t: 'null' }
  | { t: 'not'; e: FilterNode }
  | { t: 'bin'; op: string; l: FilterNode; r: FilterNode }
  | { t: 'is_null'; e: FilterNode; negated: boolean }
  | { t: 'in'; e: FilterNode; items: FilterNode[]; negated: boolean }
  | { t: 'between'; e: FilterNode; lo: FilterNode; hi: FilterNode; negated: boolean }
  | { t: 'like'; e: FilterNode; pattern: FilterNode; negated: boolean; ilike: boolean }
  | { t: 'call'; fn: string; args: FilterNode[] }
  | { t: 'paren'; e: FilterNode };

const FUNCTIONS = new Set(['lower', 'upper', 'trim', 'length', 'abs', 'coalesce', 'round']);
const REF_KINDS = new Set(['Dimension', 'TimeDimension', 'Entity', 'Metric']);

interface Tok { k: 'str' | 'num' | 'id' | 'op' | 'open' | 'close'; v: string; pos: number }

function fail(text: string, pos: number, what: string): never {
  throw new TsdbtError('QUERY_FILTER', `where filter ${JSON.stringify(text)} at column ${pos + 1}: ${what}`, {
    hint: "Filters compare {{ Dimension('entity__name') }}, {{ TimeDimension('metric_time', 'day') }}, {{ Entity('name') }} with literals using = != < <= > >= IN BETWEEN LIKE IS NULL AND OR NOT; functions: " + [...FUNCTIONS].join(', ') + '.',
    detail: { position: pos + 1 },
  });
}

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (text.startsWith('{{', i)) { out.push({ k: 'open', v: '{{', pos: i }); i += 2; continue; }
    if (text.startsWith('}}', i)) { out.push({ k: 'close', v: '}}', pos: i }); i += 2; continue; }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= text.length) fail(text, i, 'unterminated string');
        if (text[j] === c) {
          if (text[j + 1] === c) { v += c; j += 2; continue; }
          break;
        }
        v += text[j++];
      }
      out.push({ k: 'str', v, pos: i });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(text.slice(i));
    if (num) { out.push({ k: 'num', v: num[0], pos: i }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (id) { out.push({ k: 'id', v: id[0], pos: i }); i += id[0].length; continue; }
    const op = /^(<=|>=|<>|!=|=|<|>|\(|\)|,|\.|\[|\]|\+|-|\*|\/)/.exec(text.slice(i));
    if (op) { out.push({ k: 'op', v: op[0], pos: i }); i += op[0].length; continue; }
    fail(text, i, `unexpected ${JSON.stringify(c)}`);
  }
  return out;
}

/** Parse one filter; throws QUERY_FILTER with the position of the first thing it does not accept. */
export function parseFilter(text: string): FilterNode {
  const toks = tokenize(text);
  let p = 0;
  const peek = () => toks[p];
  const at = () => (p < toks.length ? toks[p]!.pos : text.length);
  const isKw = (kw: string) => peek()?.k === 'id' && peek()!.v.toUpperCase() === kw;
  const isOp = (op: string) => peek()?.k === 'op' && peek()!.v === op;
  const expectOp = (op: string) => { if (!isOp(op)) fail(text, at(), `expected '${op}'`); p++; };
  const describe = () => (p < toks.length ? `unexpected '${toks[p]!.v}'` : 'unexpected end of filter');

  const orExpr = (): FilterNode => {
    let l = andExpr();
    while (isKw('OR')) { p++; l = { t: 'bin', op: 'or', l, r: andExpr() }; }
    return l;
  };
  const andExpr = (): FilterNode => {
    let l = notExpr();
    while (isKw('AND')) { p++; l = { t: 'bin', op: 'and', l, r: notExpr() }; }
    return l;
  };
  const notExpr = (): FilterNode => {
    if (isKw('NOT')) { p++; return { t: 'not', e: notExpr() }; }
    return cmp();
  };
  const cmp = (): FilterNode => {
    const e = arith();
    const t = peek();
    if (t?.k === 'op' && ['=', '!=', '<>', '<', '<=', '>', '>='].includes(t.v)) { p++; return { t: 'bin', op: t.v === '!=' ? '<>' : t.v, l: e, r: arith() }; }
    if (isKw('IS')) {
      p++;
      const negated = isKw('NOT') ? (p++, true) : false;
      if (!isKw('NULL')) fail(text, at(), 'expected NULL after IS');
      p++;
      return { t: 'is_null', e, negated };
    }
    const negated = isKw('NOT') ? (p++, true) : false;
    if (isKw('IN')) {
      p++;
      expectOp('(');
      const items: FilterNode[] = [];
      do {
        const item = primary();
        if (item.t !== 'lit') fail(text, at(), 'IN lists hold literals only');
        items.push(item);
      } while (isOp(',') && ++p);
      expectOp(')');
      return { t: 'in', e, items, negated };
    }
    if (isKw('BETWEEN')) {
      p++;
      const lo = arith();
      if (!isKw('AND')) fail(text, at(), 'expected AND in BETWEEN');
      p++;
      return { t: 'between', e, lo, hi: arith(), negated };
    }
    if (isKw('LIKE') || isKw('ILIKE')) {
      const ilike = isKw('ILIKE');
      p++;
      return { t: 'like', e, pattern: arith(), negated, ilike };
    }
    if (negated) fail(text, at(), 'expected IN, BETWEEN or LIKE after NOT');
    return e;
  };
  const arith = (): FilterNode => {
    let l = primary();
    while (peek()?.k === 'op' && ['+', '-', '*', '/'].includes(peek()!.v)) { const op = toks[p++]!.v; l = { t: 'bin', op, l, r: primary() }; }
    return l;
  };
  const primary = (): FilterNode => {
    const t = peek();
    if (!t) fail(text, at(), 'unexpected end of filter');
    if (t.k === 'str') { p++; return { t: 'lit', value: t.v }; }
    if (t.k === 'num') { p++; return { t: 'lit', value: Number(t.v) }; }
    if (t.k === 'op' && t.v === '-' && toks[p + 1]?.k === 'num') { p += 2; return { t: 'lit', value: -Number(toks[p - 1]!.v) }; }
    if (t.k === 'op' && t.v === '(') {
      p++;
      if (isKw('SELECT') || isKw('WITH')) fail(text, at(), 'subqueries are not allowed');
      const e = orExpr();
      expectOp(')');
      return { t: 'paren', e };
    }
    if (t.k === 'open') return ref();
    if (t.k === 'id') {
      const up = t.v.toUpperCase();
      if (up === 'TRUE' || up === 'FALSE') { p++; return { t: 'lit', value: up === 'TRUE' }; }
      if (up === 'NULL') { p++; return { t: 'null' }; }
      if (FUNCTIONS.has(t.v.toLowerCase()) && toks[p + 1]?.v === '(') {
        p += 2;
        const args: FilterNode[] = [];
        if (!isOp(')')) do args.push(orExpr()); while (isOp(',') && ++p);
        expectOp(')');
        return { t: 'call', fn: t.v.toLowerCase(), args };
      }
      if (toks[p + 1]?.v === '(') fail(text, t.pos, `function '${t.v}' is not allowed`);
      fail(text, t.pos, `'${t.v}' is not a reference; write {{ Dimension('entity__${t.v}') }}`);
    }
    fail(text, at(), describe());
  };
  const ref = (): FilterNode => {
    p++; // {{
    const kindTok = peek();
    if (kindTok?.k !== 'id' || !REF_KINDS.has(kindTok.v)) fail(text, at(), 'expected Dimension, TimeDimension, Entity or Metric inside {{ }}');
    p++;
    expectOp('(');
    const strArg = () => { const s = peek(); if (s?.k !== 'str') fail(text, at(), 'expected a quoted name'); p++; return s.v; };
    const name = strArg();
    let grain: string | null = null;
    const groupBy: string[] = [];
    const entityPath: string[] = [];
    while (isOp(',')) {
      p++;
      if (peek()?.k === 'id' && toks[p + 1]?.v === '=') {
        const key = toks[p]!.v;
        p += 2;
        if (key === 'group_by') {
          if (isOp('[')) { p++; if (!isOp(']')) do groupBy.push(strArg()); while (isOp(',') && ++p); expectOp(']'); } else groupBy.push(strArg());
        } else if (key === 'entity_path') {
          // Dimension('country__region', entity_path=['customer']) is customer__country__region.
          if (isOp('[')) { p++; if (!isOp(']')) do entityPath.push(strArg()); while (isOp(',') && ++p); expectOp(']'); } else entityPath.push(strArg());
        } else if (key === 'time_granularity_name' || key === 'grain') grain = strArg();
        else fail(text, toks[p - 2]!.pos, `unknown argument '${key}'`);
      } else if (kindTok.v === 'TimeDimension' && grain === null) grain = strArg();
      else if (kindTok.v === 'Metric') { if (isOp('[')) { p++; do groupBy.push(strArg()); while (isOp(',') && ++p); expectOp(']'); } else groupBy.push(strArg()); }
      else fail(text, at(), describe());
    }
    expectOp(')');
    if (isOp('.')) {
      p++;
      if (peek()?.v !== 'grain') fail(text, at(), "only .grain('...') may follow a reference");
      p++;
      expectOp('(');
      grain = strArg();
      expectOp(')');
    }
    if (peek()?.k !== 'close') fail(text, at(), "expected '}}'");
    p++;
    return { t: 'ref', ref: { kind: kindTok.v as FilterRefKind, name: [...entityPath, name].join('__'), grain, groupBy } };
  };

  if (toks.length === 0) fail(text, 0, 'the filter is empty');
  const node = orExpr();
  if (p < toks.length) fail(text, at(), describe());
  return node;
}

/** Every reference a filter makes, in order. */
export function filterRefs(node: FilterNode, out: FilterRef[] = []): FilterRef[] {
  switch (node.t) {
    case 'ref': out.push(node.ref); break;
    case 'not': case 'paren': filterRefs(node.e, out); break;
    case 'is_null': filterRefs(node.e, out); break;
    case 'bin': filterRefs(node.l, out); filterRefs(node.r, out); break;
    case 'in': filterRefs(node.e, out); break;
    case 'between': filterRefs(node.e, out); filterRefs(node.lo, out); filterRefs(node.hi, out); break;
    case 'like': filterRefs(node.e, out); filterRefs(node.pattern, out); break;
    case 'call': for (const a of node.args) filterRefs(a, out); break;
    default: break;
  }
  return out;
}

/**
 * SQL for a filter: references through `resolve`, literals as `?` with
 * their values appended to `binds` in the order they appear in the text.
 */
export function renderFilter(node: FilterNode, resolve: (ref: FilterRef) => string, binds: unknown[]): string {
  const r = (n: FilterNode): string => renderFilter(n, resolve, binds);
  switch (node.t) {
    case 'ref': return resolve(node.ref);
    case 'lit': binds.push(node.value); return '?';
    case 'null': return 'null';
    case 'not': return `not ${r(node.e)}`;
    case 'paren': return `(${r(node.e)})`;
    case 'bin': return `${r(node.l)} ${node.op} ${r(node.r)}`;
    case 'is_null': return `${r(node.e)} is ${node.negated ? 'not ' : ''}null`;
    case 'in': { const e = r(node.e); return `${e} ${node.negated ? 'not ' : ''}in (${node.items.map(r).join(', ')})`; }
    case 'between': { const e = r(node.e); const lo = r(node.lo); return `${e} ${node.negated ? 'not ' : ''}between ${lo} and ${r(node.hi)}`; }
    case 'like': { const e = r(node.e); return `${e} ${node.negated ? 'not ' : ''}${node.ilike ? 'ilike' : 'like'} ${r(node.pattern)}`; }
    case 'call': return `${node.fn}(${node.args.map(r).join(', ')})`;
  }
}
