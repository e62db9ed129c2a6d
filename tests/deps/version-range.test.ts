import { describe, expect, it } from 'vitest';
import { describeInterval, pickVersion, reduceRequirements } from '../../src/deps/version-range.js';

const req = (spec: string, requiredBy = 'packages.yml') => ({ spec, requiredBy, file: 'packages.yml', line: 2 });
const available = ['0.1.0', '1.0.0', '1.0.1', '1.1.0-b1', '1.1.0', '2.0.0'];

describe('hub version ranges', () => {
  it('intersects ranges and picks the newest version inside', () => {
    const interval = reduceRequirements('a/b', [req('>=1.0.0'), req('<2.0.0'), req('<=1.1.0', 'pkg_x')]);
    expect(describeInterval(interval)).toBe('>=1.0.0, <=1.1.0');
    expect(pickVersion('a/b', interval, available, false)).toEqual({ version: '1.1.0', latest: '2.0.0' });
  });

  it('reads exact versions with or without =, and two-part versions', () => {
    expect(pickVersion('a/b', reduceRequirements('a/b', [req('1.0')]), available, false).version).toBe('1.0.0');
    expect(pickVersion('a/b', reduceRequirements('a/b', [req('=1.0.1')]), available, false).version).toBe('1.0.1');
    expect(describeInterval(reduceRequirements('a/b', [req('1.0.1'), req('>=1.0.0')]))).toBe('=1.0.1');
  });

  it('allows pre-releases when a specifier names one', () => {
    const interval = reduceRequirements('a/b', [req('>=1.1.0-a1'), req('<1.1.0')]);
    expect(pickVersion('a/b', interval, available, false).version).toBe('1.1.0-b1');
  });

  it('reads a pre-release written without a dash, as dbt does (>=1.1.0b1)', () => {
    const interval = reduceRequirements('a/b', [req('>=1.1.0b1'), req('<1.1.0')]);
    expect(describeInterval(interval)).toBe('>=1.1.0-b1, <1.1.0');
    expect(pickVersion('a/b', interval, available, false).version).toBe('1.1.0-b1');
    expect(pickVersion('a/b', reduceRequirements('a/b', [req('>=1.0.0rc2'), req('<2.0.0')]), available, false).version).toBe('1.1.0');
  });

  it('treats > and < as exclusive when checking for conflicts', () => {
    expect(() => reduceRequirements('a/b', [req('>1.0.0'), req('<=1.0.0', 'pkg_y')])).toThrowError(
      expect.objectContaining({
        code: 'PACKAGE_ERROR',
        message: 'Version ranges for package a/b conflict: ">1.0.0" required by packages.yml and "<=1.0.0" required by pkg_y cannot both be satisfied',
      }),
    );
    expect(describeInterval(reduceRequirements('a/b', [req('>=1.0.0'), req('<=1.0.0')]))).toBe('=1.0.0');
  });

  it('lists the available versions when none matches', () => {
    expect(() => pickVersion('a/b', reduceRequirements('a/b', [req('>=3.0.0')]), available, false, { file: 'packages.yml', line: 4 })).toThrowError(
      expect.objectContaining({
        file: 'packages.yml',
        line: 4,
        message: 'Could not find a matching version for package a/b\n  Requested range: >=3.0.0\n  Available versions: 0.1.0, 1.0.0, 1.0.1, 1.1.0, 2.0.0',
        hint: 'Change the version of a/b to a range that includes one of the available versions, e.g. version: "2.0.0".',
      }),
    );
  });
});
