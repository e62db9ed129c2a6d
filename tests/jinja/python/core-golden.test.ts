/**
 * Golden cases from Python 3.11 (golden/gen_core.py → golden/core.json):
 * str/repr, operators, truthiness, str/list/dict methods, str.format, %
 * formatting, json.dumps/loads, indexing and slicing.
 */
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { pyFromJson, pyToJson } from '../../../src/jinja/python/json.js';
import { lookupPythonMethod } from '../../../src/jinja/python/methods.js';
import {
  pyAdd,
  pyCompare,
  pyDiv,
  pyFloorDiv,
  pyIn,
  pyMod,
  pyMul,
  pyNeg,
  pyPow,
  pySub,
  pyTruthy,
} from '../../../src/jinja/python/operators.js';
import { pyIndex, pySlice } from '../../../src/jinja/python/indexing.js';
import { pyRepr, pyStr } from '../../../src/jinja/python/repr.js';
import { callArgs, dec, expectOutcome, type Outcome } from './golden-codec.js';

interface Case extends Outcome {
  kind: string;
  [k: string]: unknown;
}

const cases = JSON.parse(readFileSync(new URL('./golden/core.json', import.meta.url), 'utf8')) as Case[];

const ops: Record<string, (a: unknown, b: unknown) => unknown> = {
  add: pyAdd,
  sub: pySub,
  mul: pyMul,
  div: pyDiv,
  floordiv: pyFloorDiv,
  mod: pyMod,
  pow: pyPow,
  eq: (a, b) => pyCompare(a, '==', b),
  ne: (a, b) => pyCompare(a, '!=', b),
  lt: (a, b) => pyCompare(a, '<', b),
  le: (a, b) => pyCompare(a, '<=', b),
  gt: (a, b) => pyCompare(a, '>', b),
  ge: (a, b) => pyCompare(a, '>=', b),
  in: pyIn,
};

function label(c: Case): string {
  const { kind, out, error, message, ...rest } = c;
  void out;
  void error;
  void message;
  return `${kind} ${JSON.stringify(rest)}`.slice(0, 160);
}

function run(c: Case): void {
  switch (c.kind) {
    case 'str':
      return expectOutcome(c, () => dec(c.value), pyStr);
    case 'repr':
      return expectOutcome(c, () => dec(c.value), pyRepr);
    case 'op':
      return expectOutcome(c, () => ops[c.op as string](dec(c.a), dec(c.b)), pyStr);
    case 'truthy':
      return expectOutcome(c, () => pyTruthy(dec(c.value)), pyStr);
    case 'neg':
      return expectOutcome(c, () => pyNeg(dec(c.value)), pyStr);
    case 'method': {
      const obj = dec(c.obj);
      expectOutcome(
        c,
        () => {
          const m = lookupPythonMethod(obj, c.name as string);
          expect(m, `no method ${String(c.name)}`).toBeTypeOf('function');
          return m!(...callArgs(c.args as unknown[], c.kwargs as Record<string, unknown>));
        },
        pyStr,
      );
      if (c.after !== undefined) expect(pyStr(obj)).toBe(c.after);
      return;
    }
    case 'json':
      return expectOutcome(c, () => pyToJson(dec(c.value), c.indent as number | string | null, c.sortKeys as boolean), String);
    case 'fromjson':
      if (c.error) {
        expect(() => pyFromJson(c.text as string)).toThrow(/^ValueError: /);
        return;
      }
      return expectOutcome(c, () => pyFromJson(c.text as string), pyRepr);
    case 'index':
      return expectOutcome(c, () => pyIndex(dec(c.obj), c.key), pyStr);
    case 'slice':
      return expectOutcome(c, () => pySlice(dec(c.obj), c.start, c.stop, c.step), pyRepr);
  }
  throw new Error(`unknown case kind ${c.kind}`);
}

describe('Python core semantics (golden from Python 3.11)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(1000));
  for (const c of cases) it(label(c), () => run(c));
});
