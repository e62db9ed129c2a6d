/**
 * Jinja is bounded: nesting too deep is a located syntax error, modules.re
 * cannot hang on a catastrophic pattern, and modules.re reads Python's
 * syntax (goldens from python3's re).
 */
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';
import { pythonModules } from '../../../src/jinja/python/modules/index.js';

const env = new JinjaEnvironment();
function render(t: string): string {
  return env.renderString(t, 'models/m.sql', { vars: { modules: pythonModules } });
}
function failure(t: string): TsdbtError {
  try {
    render(t);
  } catch (e) {
    expect(e).toBeInstanceOf(TsdbtError);
    return e as TsdbtError;
  }
  throw new Error('rendered');
}

describe('nesting is bounded', () => {
  it.each([
    ['parentheses', `{{ ${'('.repeat(5000)}1${')'.repeat(5000)} }}`, 'the template is nested too deeply to parse'],
    ['lists', `{{ ${'['.repeat(5000)}1${']'.repeat(5000)} }}`, 'the template is nested too deeply to parse'],
    ['if blocks', `${'{% if true %}'.repeat(3000)}x${'{% endif %}'.repeat(3000)}`, 'the template is nested too deeply to parse'],
    ['a chain of +', `{{ 1${' + 1'.repeat(5000)} }}`, 'expression is nested too deeply (more than 400 levels)'],
    ['attributes', `{{ x${'.a'.repeat(5000)} }}`, 'expression is nested too deeply (more than 400 levels)'],
    ['filters', `{{ 1${'|string'.repeat(5000)} }}`, 'expression is nested too deeply (more than 400 levels)'],
  ])('%s', (_, t, message) => {
    const e = failure(`select 1\n${t}`);
    expect([e.code, e.file, e.line]).toEqual(['JINJA_SYNTAX', 'models/m.sql', 2]);
    expect(e.message.startsWith(message)).toBe(true);
  });

  it('keeps ordinary nesting', () => {
    expect(render(`{{ 1${' + 1'.repeat(300)} }}`)).toBe('301');
  });
});

describe('modules.re is bounded', () => {
  it.each([
    ["modules.re.match('(a+)+$', 'a' * 40 + 'b')", 'None'],
    ["modules.re.search('(a+)+$', 'a' * 5000 + 'b')", 'None'],
    ["modules.re.fullmatch('(a|aa)+', 'a' * 60 + 'b')", 'None'],
    ["modules.re.match('(\\\\w+\\\\s?)*$', 'an apple a day keeps the doctor away' * 3 + '!')", 'None'],
    ["modules.re.findall('(x+x+)+y', 'x' * 50)", '[]'],
  ])('%s answers quickly', (expr, out) => {
    const t0 = Date.now();
    expect(render(`{{ ${expr} }}`)).toBe(out);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('refuses up front a nested repetition that must backtrack', () => {
    expect(failure("{{ modules.re.match('(a+)+(?=c)', 'a' * 40) }}").message).toContain('re.error: pattern');
    expect(failure("{{ modules.re.match('(a+)+$', 'a' * 40 + 'b\\n') }}").message).toContain('which can take exponential time');
  });
});

// python3: [pattern, subject, re.search(...) -> [group(0), span()] or None]
const RE_GOLDEN: [string, string, [string, number[]] | null][] = [["(?i)(?s)A.B", "a\nb", ["a\nb", [0, 3]]], ["(?i)abc", "ABC", ["ABC", [0, 3]]], ["(?P<y>\\d{4})-(?P=y)", "2020-2020", ["2020-2020", [0, 9]]], ["\\Aab", "abab", ["ab", [0, 2]]], ["ab\\Z", "abab", ["ab", [2, 4]]], ["x$", "x\n", ["x", [0, 1]]], ["(?m)^b$", "a\nb\nc", ["b", [2, 3]]], ["(?x) a b # comment", "ab", ["ab", [0, 2]]], ["a{,2}", "aaa", ["aa", [0, 2]]], ["(?s)(?i)(?m)^B.", "a\nb\n", ["b\n", [2, 4]]], ["(a)(b)?", "ac", ["a", [0, 1]]]];

describe('modules.re reads Python patterns (python3 goldens)', () => {
  it.each(RE_GOLDEN)('%j on %j', (p, s, want) => {
    const m = (pythonModules.re as { search(p: string, s: string): { group(i: number): string; span(): number[] } | null }).search(p, s);
    expect(m === null ? null : [m.group(0), [...m.span()]]).toEqual(want);
  });
});
