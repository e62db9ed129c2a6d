/**
 * The tokenizer (lexer.ts) scans character codes: numbers, strings,
 * operators and text runs as Jinja2's lexer reads them, with the token
 * values, types and lines the parser expects.
 */
import { describe, expect, it } from 'vitest';
import { JinjaTokenizer } from '../../../src/jinja/lexer.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';

function tokens(src: string): [string, string, number][] {
  const t = new JinjaTokenizer(src, 'f.sql');
  const out: [string, string, number][] = [];
  for (let tok = t.nextToken(); tok; tok = t.nextToken()) out.push([tok.type, tok.value, tok.lineno]);
  return out;
}

const code = (src: string): [string, string][] => tokens(`{{ ${src} }}`).slice(1, -1).map(([type, value]) => [type, value]);

describe('JinjaTokenizer', () => {
  it('reads numbers with underscores, fractions and exponents; an int after a `.` operator stays an int', () => {
    expect(code('1_000 1.5e3 2E-2 3e 1__2 x.0.1 1. 12_3.4_5e6_7')).toEqual([
      ['int', '1_000'],
      ['float', '1.5e3'],
      ['float', '2E-2'],
      ['int', '3'],
      ['symbol', 'e'],
      ['int', '1'],
      ['symbol', '__2'],
      ['symbol', 'x'],
      ['operator', '.'],
      ['int', '0'],
      ['operator', '.'],
      ['int', '1'],
      ['int', '1'],
      ['operator', '.'],
      ['float', '12_3.4_5e6_7'],
    ]);
  });

  it('reads string literals to their unescaped closing quote and decodes them as Python does', () => {
    expect(code(`'a\\'b' "c\\"d" 'e\\nf\\x41\\d' '%}'`)).toEqual([
      ['string', "a'b"],
      ['string', 'c"d'],
      ['string', 'e\nfA\\d'],
      ['string', '%}'],
    ]);
  });

  it('counts the lines a multi-line string spans', () => {
    expect(tokens("{{ 'a\nb' }}\n{{ x }}").map(([type, , line]) => [type, line])).toEqual([
      ['variable-start', 0],
      ['string', 0],
      ['variable-end', 1],
      ['data', 1],
      ['variable-start', 2],
      ['symbol', 2],
      ['variable-end', 2],
    ]);
  });

  it('refuses an unterminated string, also one ending in a backslash', () => {
    for (const src of ["{{ 'abc }}", "{{ 'abc\\"]) {
      expect(() => tokens(src)).toThrow(TsdbtError);
      expect(() => tokens(src)).toThrow('unterminated string literal starting with \'');
    }
  });

  it('reads the longest operator first and every punctuation mark', () => {
    expect(code('a//b**c==d!=e<=f>=g<h>i=!j+k-l*m/n%o.p~q|r,s:t(u)[v]{w}').map(([type, value]) => (type === 'symbol' ? value : `${type}:${value}`)).join(' ')).toBe(
      'a operator:// b operator:** c operator:== d operator:!= e operator:<= f operator:>= g operator:< h operator:> i operator:= operator:! j operator:+ k operator:- l operator:* m operator:/ n operator:% o operator:. p tilde:~ q pipe:| r comma:, s colon:: t left-paren:( u right-paren:) left-bracket:[ v right-bracket:] left-curly:{ w right-curly:}',
    );
  });

  it('ends text at `{{`, `{%` or `{#` only; a lone `{` is text', () => {
    expect(tokens('a { b {x} {{ c }} d {# e #} f {% if g %}').map(([type, value]) => `${type}:${value}`)).toEqual([
      'data:a { b {x} ',
      'variable-start:{{',
      'symbol:c',
      'variable-end:}}',
      'data: d ',
      'comment:{# e #}',
      'data: f ',
      'block-start:{%',
      'symbol:if',
      'symbol:g',
      'block-end:%}',
    ]);
  });

  it('reads names with non-ASCII letters whole', () => {
    expect(code('naïve é_1 x')).toEqual([
      ['symbol', 'naïve'],
      ['symbol', 'é_1'],
      ['symbol', 'x'],
    ]);
  });

  it('refuses a character no token starts with', () => {
    expect(() => code('a ? b')).toThrow("unexpected character '?'");
  });
});
