/**
 * YAML as PyYAML's safe_dump/safe_load write and read it, for dbt's
 * `toyaml`/`fromyaml` context functions.
 *
 * pyToYaml follows safe_dump(sort_keys=False, allow_unicode=False): block
 * style, sequences inside mappings not indented, strings quoted only when
 * YAML 1.1 would read them as something else, lines folded past column 80.
 * pyFromYaml reads YAML 1.1 (yes/no are booleans, 1.0 stays a float, dates
 * become datetime.date / datetime.datetime).
 */
import type { Document, Node } from 'yaml';
import { yamlLib } from '../../util/yaml-lib.js';
import { pyError } from './errors.js';
import { formatPyFloat, PyFloat, pyFloat } from './py-float.js';
import { isDict, pyTypeName, strText } from './types.js';
import { PyDate, PyDateTime } from './modules/datetime.js';
import { UTC_FIXED, PyFixedTimezone } from './modules/tz.js';

const WIDTH = 80;

const RESOLVES_NON_STR = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:<<|=)$/,
];

type Style = 'plain' | 'single' | 'double';

function styleOf(s: string): Style {
  // allow_unicode=False: anything outside printable ASCII (but line breaks) needs double quotes.
  if (/[^\x20-\x7e\n]/.test(s)) return 'double';
  if (s.includes('\n')) return 'single';
  if (s === '' || s[0] === ' ' || s[s.length - 1] === ' ') return 'single';
  if (/^[#,[\]{}&*!|>'"%@`]/.test(s)) return 'single';
  if (/^[-?:](?: |$)/.test(s)) return 'single';
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return 'single';
  if (s.startsWith('---') || s.startsWith('...')) return 'single';
  if (RESOLVES_NON_STR.some((re) => re.test(s))) return 'single';
  return 'plain';
}

const DOUBLE_ESC: Record<string, string> = { '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e', '"': '"', '\\': '\\', '\x85': 'N', '\xa0': '_', '\u2028': 'L', '\u2029': 'P' };

/** Write `text` (plain or single-quoted body) starting at `column`, folding at single spaces past WIDTH. */
function fold(text: string, column: number, indent: number, quoted: boolean): string {
  let out = '';
  let col = column;
  const words = text.split(/( +|\n+)/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '') continue;
    if (w[0] === '\n') {
      // A run of k line breaks is written as k+1 breaks then the indent (PyYAML's folding).
      out += '\n'.repeat(w.length + 1) + ' '.repeat(indent);
      col = indent;
      continue;
    }
    if (w[0] === ' ') {
      const atEdge = i === 0 || i === words.length - 1;
      if (w.length === 1 && col > WIDTH && !(quoted && atEdge)) {
        out += `\n${' '.repeat(indent)}`;
        col = indent;
      } else {
        out += w;
        col += w.length;
      }
      continue;
    }
    out += w;
    col += w.length;
  }
  return out;
}

function scalar(v: unknown, column: number, indent: number): { text: string; plain: boolean } {
  if (v === null || v === undefined) return { text: 'null', plain: true };
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false', plain: true };
  if (typeof v === 'number' || v instanceof PyFloat) {
    const n = Number(v);
    if (typeof v === 'number' && Number.isInteger(v)) return { text: String(v), plain: true };
    if (Number.isNaN(n)) return { text: '.nan', plain: true };
    if (!Number.isFinite(n)) return { text: n > 0 ? '.inf' : '-.inf', plain: true };
    let r = formatPyFloat(n).toLowerCase();
    if (!r.includes('.') && r.includes('e')) r = r.replace('e', '.0e');
    return { text: r, plain: true };
  }
  if (v instanceof PyDateTime) return { text: v.isoformat(' '), plain: true };
  if (v instanceof PyDate) return { text: v.isoformat(), plain: true };
  const s = strText(v);
  if (s === undefined) throw pyError('YAMLError', `cannot represent an object: ${pyTypeName(v)}`, 'toyaml() takes dicts, lists, strings, numbers, booleans and None.');
  switch (styleOf(s)) {
    case 'plain':
      return { text: fold(s, column, indent, false), plain: true };
    case 'single':
      return { text: `'${fold(s.replace(/'/g, "''"), column + 1, indent, true)}'`, plain: false };
    case 'double': {
      let out = '"';
      for (const ch of s) {
        const c = ch.codePointAt(0)!;
        if (DOUBLE_ESC[ch] !== undefined) out += `\\${DOUBLE_ESC[ch]}`;
        else if (c >= 0x20 && c <= 0x7e) out += ch;
        else if (c <= 0xff) out += `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
        else if (c <= 0xffff) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
        else out += `\\U${c.toString(16).toUpperCase().padStart(8, '0')}`;
      }
      return { text: `${out}"`, plain: false };
    }
  }
}

function isEmptyContainer(v: unknown): string | undefined {
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (isDict(v) && Object.keys(v).length === 0) return '{}';
  return undefined;
}

/** Lines of a block collection at `indent`. */
function block(v: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    return v
      .map((item) => {
        const empty = isEmptyContainer(item);
        if (empty) return `${pad}- ${empty}\n`;
        if (Array.isArray(item) || isDict(item)) return `${pad}- ${block(item, indent + 2).slice(indent + 2)}`;
        return `${pad}- ${scalar(item, indent + 2, indent + 2).text}\n`;
      })
      .join('');
  }
  const d = v as Record<string, unknown>;
  return Object.keys(d)
    .map((k) => {
      const key = scalar(k, indent, indent).text;
      const val = d[k];
      const empty = isEmptyContainer(val);
      if (empty) return `${pad}${key}: ${empty}\n`;
      if (isDict(val)) return `${pad}${key}:\n${block(val, indent + 2)}`;
      if (Array.isArray(val)) return `${pad}${key}:\n${block(val, indent)}`;
      return `${pad}${key}: ${scalar(val, indent + key.length + 2, indent + 2).text}\n`;
    })
    .join('');
}

/** PyYAML's `yaml.safe_dump(value, sort_keys=sortKeys)`. */
export function pyToYaml(value: unknown, sortKeys = false): string {
  const v = sortKeys ? sortDeep(value) : value;
  const empty = isEmptyContainer(v);
  if (empty) return `${empty}\n`;
  if (Array.isArray(v) || isDict(v)) return block(v, 0);
  const s = scalar(v, 0, 2);
  return s.plain ? `${s.text}\n...\n` : `${s.text}\n`;
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (isDict(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortDeep(v[k]);
    return out;
  }
  return v;
}

const INT_11 = RESOLVES_NON_STR[2];
const FLOAT_11 = RESOLVES_NON_STR[1];

function toPython(node: Node | null | undefined, doc: Document): unknown {
  if (node === null || node === undefined) return null;
  const { isAlias, isMap, isScalar, isSeq } = yamlLib();
  if (isAlias(node)) return toPython(node.resolve(doc) as Node, doc);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const k = toPython(pair.key as Node, doc);
      out[k === null ? 'None' : typeof k === 'string' ? k : String(k instanceof PyFloat ? formatPyFloat(k.value) : typeof k === 'boolean' ? (k ? 'True' : 'False') : k)] = toPython(pair.value as Node, doc);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((x) => toPython(x as Node, doc));
  if (isScalar(node)) {
    const v = node.value;
    const raw = (node as { source?: unknown }).source;
    // The yaml library's 1.1 schema is wider than PyYAML's resolver: 'y'/'n' booleans, '1e3' floats.
    if (typeof v === 'boolean' && typeof raw === 'string' && /^[yYnN]$/.test(raw)) return raw;
    if (typeof v === 'number' && typeof raw === 'string' && node.type === 'PLAIN' && !INT_11.test(raw) && !FLOAT_11.test(raw)) return raw;
    if (typeof v === 'number') {
      const src = raw ?? String(v);
      return /[.eE]|inf|nan/i.test(String(src)) && !/^[-+]?0x/i.test(String(src)) ? pyFloat(v) : v;
    }
    if (v instanceof Date) {
      const src = String(node.source ?? '');
      if (/^\d{4}-\d\d-\d\d$/.test(src)) return new PyDate(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
      const tz = /(?:Z|([-+])(\d\d?)(?::(\d\d))?)$/.exec(src.trim());
      const us = Number((/\.(\d+)/.exec(src)?.[1] ?? '').padEnd(6, '0').slice(0, 6) || 0);
      const utc = Math.floor(v.getTime() / 1000);
      if (!tz) return PyDateTime.fromWall(utc, us, null, null);
      const off = tz[1] ? (tz[1] === '-' ? -1 : 1) * (Number(tz[2]) * 3600 + Number(tz[3] ?? 0) * 60) : 0;
      return PyDateTime.fromUtc(utc, us, off === 0 ? UTC_FIXED : new PyFixedTimezone(off));
    }
    return v;
  }
  return null;
}

/** PyYAML's `yaml.safe_load(text)`. Syntax errors throw a TsdbtError quoting the line. */
export function pyFromYaml(text: string): unknown {
  const doc = yamlLib().parseDocument(text, { version: '1.1', keepSourceTokens: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw pyError('YAMLError', `${e.message.split('\n')[0]}${line !== undefined ? ` (line ${line})` : ''}`, 'Check the YAML indentation and quoting.');
  }
  return toPython(doc.contents as Node, doc as Document);
}

