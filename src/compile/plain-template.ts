import type { RenderContext } from '../jinja/index.js';

/**
 * A model whose Jinja is only text and `{{ ref(...) }}`, `{{ source(...) }}`
 * or `{{ config(...) }}` with literal arguments (dbt-core's benchmark shape,
 * and most staging models): read without compiling a template, then rendered
 * by calling the context's ref/source/config directly, as the compiled
 * template would (ctx.lookup finds them in the context's vars), and joining
 * the text. Every model's text differs, so the template cache never hits and
 * compiling one cost ~1 ms, half of a 2,000-model compile's rendering.
 */
export interface PlainTemplate {
  /** Text and calls in source order. */
  readonly parts: readonly (string | PlainCall)[];
}

interface PlainCall {
  readonly name: 'ref' | 'source' | 'config';
  readonly args: readonly Literal[];
  readonly kwargs: Readonly<Record<string, Literal>> | undefined;
}

type Literal = string | number | boolean | null | Literal[];

/** The callees taken: pure context members (no database, no rendering of user Jinja), so a failed attempt can simply be redone by the template. */
const CALLEES = new Set(['ref', 'source', 'config']);
const STRING = /'([^'\\]*)'|"([^"\\]*)"/y;
const INT = /(?:0|[1-9][0-9]*)(?![0-9_.eEA-Za-z])/y;
const CONSTANTS: Record<string, Literal> = { true: true, True: true, false: false, False: false, none: null, None: null };

/**
 * The source read as text and plain calls, or undefined when it holds
 * anything else (statements, comments, whitespace control, other names or
 * expressions, a carriage return): those are compiled as templates.
 */
export function readPlainTemplate(source: string): PlainTemplate | undefined {
  if (source.includes('{%') || source.includes('{#') || source.includes('\r')) return undefined;
  // The template drops one trailing newline of the source (Jinja2's keep_trailing_newline=False).
  const text = source.endsWith('\n') ? source.slice(0, -1) : source;
  const parts: (string | PlainCall)[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) {
      parts.push(text.slice(at));
      break;
    }
    if (open > at) parts.push(text.slice(at, open));
    const r = new Reader(text, open + 2);
    const call = r.call();
    if (!call) return undefined;
    r.space();
    if (!r.take('}}')) return undefined;
    parts.push(call);
    at = r.at;
  }
  return { parts };
}

/**
 * Render a plain template with `context`: the text with each call's value
 * as `{{ }}` prints it. Undefined when a call is not the context's own
 * member, returns something other than text, nothing or a relation, or
 * throws: the caller then renders the compiled template with a fresh
 * context (same output, same located error).
 */
export function renderPlainTemplate(template: PlainTemplate, context: RenderContext): string | undefined {
  let out = '';
  for (const part of template.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const fn = context.vars[part.name];
    if (typeof fn !== 'function') return undefined;
    const args: unknown[] = part.args.map(copy);
    if (part.kwargs) {
      const kwargs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(part.kwargs)) kwargs[k] = copy(v);
      args.push(Object.assign(kwargs, { __keywords: true }));
    }
    let value: unknown;
    try {
      value = (fn as (...a: unknown[]) => unknown)(...args);
    } catch {
      return undefined;
    }
    const text = printed(value);
    if (text === undefined) return undefined;
    out += text;
  }
  return out;
}

/** A fresh value per call, as the template builds its list literals each time. */
function copy(v: Literal): unknown {
  return Array.isArray(v) ? v.map(copy) : v;
}

/** `{{ value }}` for the values ref/source/config return: text, nothing (''), a relation (its __str__). */
function printed(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (value !== null && typeof value === 'object' && typeof (value as { render?: unknown }).render === 'function') {
    const str = (value as { __str__?: unknown }).__str__;
    if (typeof str === 'function') {
      const s: unknown = str.call(value);
      return typeof s === 'string' ? s : undefined;
    }
  }
  return undefined;
}

/** A cursor over one `{{ … }}`: `name(literal, …, key=literal, …)`. */
class Reader {
  constructor(
    private readonly text: string,
    public at: number,
  ) {}

  /** Past Jinja's whitespace (the ASCII kinds: space, tab, newline; anything rarer is left to the template). Scanned, not matched: a match array a call added up to ~70 MB of garbage at 10,000 models. */
  space(): void {
    const t = this.text;
    let at = this.at;
    for (let c = t.charCodeAt(at); c === 0x20 || c === 0x09 || c === 0x0a; c = t.charCodeAt(++at));
    this.at = at;
  }

  /** A name (`[A-Za-z_][A-Za-z0-9_]*`) and past it, or undefined (and not moved). */
  private name(): string | undefined {
    const t = this.text;
    const start = this.at;
    let at = start;
    for (let c = t.charCodeAt(at); (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || (at > start && c >= 0x30 && c <= 0x39); c = t.charCodeAt(++at));
    if (at === start) return undefined;
    this.at = at;
    return t.slice(start, at);
  }

  take(s: string): boolean {
    if (!this.text.startsWith(s, this.at)) return false;
    this.at += s.length;
    return true;
  }

  private match(re: RegExp): RegExpExecArray | null {
    re.lastIndex = this.at;
    const m = re.exec(this.text);
    if (m) this.at = re.lastIndex;
    return m;
  }

  call(): PlainCall | undefined {
    // `{{-`/`{{+` (whitespace control) are left to the template.
    this.space();
    const name = this.name();
    if (!name || !CALLEES.has(name)) return undefined;
    this.space();
    if (!this.take('(')) return undefined;
    const args: Literal[] = [];
    let kwargs: Record<string, Literal> | undefined;
    this.space();
    if (this.take(')')) return { name: name as PlainCall['name'], args, kwargs };
    for (;;) {
      this.space();
      const start = this.at;
      const key = this.name();
      let isKey = false;
      if (key !== undefined) {
        this.space();
        // `key=` but not `key==`.
        isKey = this.text[this.at] === '=' && this.text[this.at + 1] !== '=';
        if (isKey) this.at++;
        else this.at = start;
      }
      const value = this.literal();
      if (value === undefined) return undefined;
      if (isKey) {
        kwargs ??= {};
        if (Object.prototype.hasOwnProperty.call(kwargs, key!) || key === '__keywords') return undefined;
        kwargs[key!] = value;
      } else {
        // A positional argument after a keyword is a syntax error: the template reports it.
        if (kwargs) return undefined;
        args.push(value);
      }
      this.space();
      if (this.take(')')) return { name: name as PlainCall['name'], args, kwargs };
      if (!this.take(',')) return undefined;
    }
  }

  private literal(): Literal | undefined {
    this.space();
    const s = this.match(STRING);
    if (s) return s[1] ?? s[2]!;
    const n = this.match(INT);
    if (n) return Number(n[0]) <= Number.MAX_SAFE_INTEGER ? Number(n[0]) : undefined;
    if (this.take('[')) {
      const items: Literal[] = [];
      this.space();
      if (this.take(']')) return items;
      for (;;) {
        const v = this.literal();
        if (v === undefined) return undefined;
        items.push(v);
        this.space();
        if (this.take(']')) return items;
        if (!this.take(',')) return undefined;
      }
    }
    const start = this.at;
    const name = this.name();
    if (name !== undefined && Object.prototype.hasOwnProperty.call(CONSTANTS, name)) return CONSTANTS[name];
    this.at = start;
    return undefined;
  }
}
