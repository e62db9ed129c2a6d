/**
 * Minimal stand-ins for src/jinja/python/ (written in parallel by another
 * engineer): value rendering, a few methods and filters. py-hooks.ts is the
 * one place that chooses between these and the real ones.
 */
import { splitArgs } from './kwargs.js';

/** A float with an integral value (Python's `1.0`), so it renders with its `.0`. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return floatRepr(this.value);
  }
}

export function makeFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  return String(n);
}

const TUPLE = Symbol.for('tsdbt.tuple');

export function makeTuple(items: unknown[]): unknown[] {
  Object.defineProperty(items, TUPLE, { value: true });
  return items;
}

export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pyRepr(value);
}

export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatRepr(value);
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) {
    const inner = value.map(pyRepr).join(', ');
    return isTuple(value) ? (value.length === 1 ? `(${inner},)` : `(${inner})`) : `[${inner}]`;
  }
  if (typeof value === 'function') return `<function ${value.name || 'anonymous'}>`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
    }
    return String(value);
  }
  return String(value);
}

type Method = (...args: unknown[]) => unknown;

export function lookupPythonMethod(obj: unknown, name: string): Method | undefined {
  if (typeof obj === 'string') {
    switch (name) {
      case 'upper':
        return () => obj.toUpperCase();
      case 'lower':
        return () => obj.toLowerCase();
      case 'strip':
        return () => obj.trim();
      case 'split':
        return (sep?: unknown) => (typeof sep === 'string' ? obj.split(sep) : obj.trim().split(/\s+/));
      case 'startswith':
        return (p: unknown) => obj.startsWith(String(p));
      case 'endswith':
        return (p: unknown) => obj.endsWith(String(p));
      case 'replace':
        return (a: unknown, b: unknown) => obj.split(String(a)).join(String(b));
      case 'format':
        return (...args: unknown[]) => {
          let i = 0;
          return obj.replace(/\{\}/g, () => pyStr(args[i++]));
        };
      case 'join':
        return (xs: unknown) => (xs as unknown[]).map((x) => pyStr(x)).join(obj);
    }
    return undefined;
  }
  if (Array.isArray(obj)) {
    switch (name) {
      case 'append':
        return (x: unknown) => {
          obj.push(x);
          return null;
        };
      case 'extend':
        return (xs: unknown) => {
          obj.push(...(xs as unknown[]));
          return null;
        };
      case 'pop':
        return (i?: unknown) => (typeof i === 'number' ? obj.splice(i, 1)[0] : obj.pop());
      case 'index':
        return (x: unknown) => obj.indexOf(x);
    }
    return undefined;
  }
  if (obj !== null && typeof obj === 'object') {
    const d = obj as Record<string, unknown>;
    switch (name) {
      case 'items':
        return () => Object.entries(d).map((e) => makeTuple(e));
      case 'keys':
        return () => Object.keys(d);
      case 'values':
        return () => Object.values(d);
      case 'get':
        return (...raw: unknown[]) => {
          const { args } = splitArgs(raw);
          const k = String(args[0]);
          return Object.prototype.hasOwnProperty.call(d, k) ? d[k] : (args[1] ?? null);
        };
      case 'update':
        return (...raw: unknown[]) => {
          const { args, kwargs } = splitArgs(raw);
          Object.assign(d, (args[0] as object) ?? {}, kwargs);
          return null;
        };
      case 'pop':
        return (k: unknown, dflt?: unknown) => {
          const key = String(k);
          if (!Object.prototype.hasOwnProperty.call(d, key)) return dflt;
          const v = d[key];
          delete d[key];
          return v;
        };
    }
  }
  return undefined;
}

function lengthOf(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (v instanceof Map || v instanceof Set) return v.size;
  if (v && typeof v === 'object') return Object.keys(v).length;
  return 0;
}

export const pythonFilters: Record<string, (...args: unknown[]) => unknown> = {
  upper: (v) => pyStr(v).toUpperCase(),
  lower: (v) => pyStr(v).toLowerCase(),
  trim: (v) => pyStr(v).trim(),
  length: lengthOf,
  count: lengthOf,
  string: (v) => (v === undefined ? '' : pyStr(v)),
  int: (v) => {
    const n = Number.parseInt(String(v), 10);
    return Number.isNaN(n) ? 0 : n;
  },
  list: (v) => (typeof v === 'string' ? [...v] : Array.isArray(v) ? [...v] : v && typeof v === 'object' ? Object.keys(v) : []),
  join: (v, sep) => (v as unknown[]).map((x) => pyStr(x)).join(typeof sep === 'string' ? sep : ''),
  default: (v, d, bool) => (v === undefined || (bool === true && !v) ? (d === undefined ? '' : d) : v),
  d: (v, d, bool) => (v === undefined || (bool === true && !v) ? (d === undefined ? '' : d) : v),
  first: (v) => (v as unknown[])[0],
  last: (v) => (v as unknown[])[(v as unknown[]).length - 1],
  replace: (v, a, b) => pyStr(v).split(String(a)).join(String(b)),
  safe: (v) => v,
  e: (v) => v,
  abs: (v) => Math.abs(Number(v)),
  sort: (v) => [...(v as unknown[])].sort(),
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...(v as unknown[])].reverse()),
  indent: (v, n) => pyStr(v).split('\n').join('\n' + ' '.repeat(typeof n === 'number' ? n : 4)),
  tojson: (v) => JSON.stringify(v),
};

export const pythonTests: Record<string, (...args: unknown[]) => boolean> = {};
