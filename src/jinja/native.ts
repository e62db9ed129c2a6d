/**
 * dbt's native rendering (NativeSandboxEnvironment), used for YAML values
 * such as `port: "{{ env_var('PORT') | as_number }}"`: a template that is a
 * single `{{ expr }}` yields the expression's value itself (a list, an int,
 * ...); anything else yields the joined text. Strings marked with
 * `as_native`/`as_bool`/`as_number` go through Python's `ast.literal_eval`;
 * `as_text` keeps text as text.
 */
import { TsdbtError } from '../errors/tsdbt-error.js';
import { decodePythonString } from './lexer.js';
import { makeFloat, makeTuple, pyStr } from './py-hooks.js';

export type MarkerKind = 'text' | 'native' | 'bool' | 'number';

/** A string a native-mode filter marked (a String object carrying `val`, so it renders as its text). */
export class NativeMarker extends String {
  constructor(
    readonly val: string,
    readonly kind: MarkerKind,
  ) {
    super(val);
  }
  override toString(): string {
    return this.val;
  }
}

/** The as_* filters of the native environment. */
export function nativeFilters(): Record<string, (v: unknown) => unknown> {
  const mark = (kind: MarkerKind) => (v: unknown) => new NativeMarker(v instanceof NativeMarker ? v.val : pyStr(v), kind);
  return { as_text: mark('text'), as_native: mark('native'), as_bool: mark('bool'), as_number: mark('number') };
}

/** Combine the rendered nodes of a native template (dbt's quoted_native_concat). */
export function nativeConcat(nodes: unknown[], file: string): unknown {
  if (nodes.length === 0) return '';
  if (nodes.length > 1) return nodes.map((v) => (typeof v === 'string' ? v : pyStr(v))).join('');
  const raw = nodes[0];
  if (!(raw instanceof NativeMarker)) return raw;
  if (raw.kind === 'text') return raw.val;
  const value = literalEval(raw.val);
  const result = value === NOT_A_LITERAL ? raw.val : value;
  if (raw.kind === 'bool' && typeof result !== 'boolean') {
    throw new TsdbtError('JINJA_RENDER', `Could not convert value '${raw.val}' into type 'bool'`, { file, hint: 'Render True or False, e.g. {{ var("flag") | as_bool }} with flag: true.' });
  }
  if (raw.kind === 'number' && !(typeof result === 'number' || (typeof result === 'object' && result !== null && typeof result.valueOf() === 'number'))) {
    throw new TsdbtError('JINJA_RENDER', `Could not convert value '${raw.val}' into type 'number'`, { file, hint: 'Render a number, e.g. {{ env_var("PORT") | as_number }} with PORT=5432.' });
  }
  return result;
}

const NOT_A_LITERAL = Symbol('not a literal');
const WS = /\s*/y;
const NUM = /[-+]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?)/y;
const STR = /'([^'\\\n]*(?:\\.[^'\\\n]*)*)'|"([^"\\\n]*(?:\\.[^"\\\n]*)*)"/y;

/** Python's ast.literal_eval over its common literals; NOT_A_LITERAL when `src` is not one. */
export function literalEval(src: string): unknown {
  let i = 0;
  const ws = (): void => {
    WS.lastIndex = i;
    WS.exec(src);
    i = WS.lastIndex;
  };
  const fail = (): never => {
    throw NOT_A_LITERAL;
  };
  const value = (): unknown => {
    ws();
    const c = src[i];
    if (c === '[' || c === '(' || c === '{') return container(c);
    if (c === "'" || c === '"') {
      let out = '';
      while (src[i] === "'" || src[i] === '"') {
        STR.lastIndex = i;
        const m = STR.exec(src) ?? fail();
        out += decodePythonString(m[1] ?? m[2] ?? '');
        i = STR.lastIndex;
        ws();
      }
      return out;
    }
    for (const [word, v] of [['True', true], ['False', false], ['None', null]] as const) {
      if (src.startsWith(word, i) && !/\w/.test(src[i + word.length] ?? '')) {
        i += word.length;
        return v;
      }
    }
    NUM.lastIndex = i;
    const m = NUM.exec(src);
    if (!m || m[0] === '' || /^[-+]?$/.test(m[0])) return fail();
    i = NUM.lastIndex;
    const text = m[0].replace(/_/g, '');
    if (/^[-+]?0[xX]/.test(text)) return Number.parseInt(text, 16);
    return /[.eE]/.test(text) ? makeFloat(Number.parseFloat(text)) : Number.parseInt(text, 10);
  };
  const container = (open: string): unknown => {
    const close = open === '[' ? ']' : open === '(' ? ')' : '}';
    i++;
    const items: unknown[] = [];
    const dict: Record<string, unknown> = {};
    let isDict = false;
    let commas = 0;
    for (;;) {
      ws();
      if (src[i] === close) {
        i++;
        break;
      }
      if (items.length + Object.keys(dict).length > 0) {
        if (src[i] !== ',') return fail();
        i++;
        commas++;
        ws();
        if (src[i] === close) {
          i++;
          break;
        }
      }
      const v = value();
      ws();
      if (open === '{' && src[i] === ':') {
        i++;
        isDict = true;
        dict[String(v)] = value();
      } else {
        if (isDict) return fail();
        items.push(v);
      }
    }
    if (open === '[') return items;
    if (open === '(') return items.length === 1 && commas === 0 ? items[0] : makeTuple(items);
    return isDict || items.length === 0 ? dict : fail(); // sets are not supported
  };
  try {
    const v = value();
    ws();
    return i === src.length ? v : NOT_A_LITERAL;
  } catch (e) {
    if (e === NOT_A_LITERAL) return NOT_A_LITERAL;
    throw e;
  }
}
