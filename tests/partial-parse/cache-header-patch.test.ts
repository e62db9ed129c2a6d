import { describe, expect, it } from 'vitest';
import { patchedHeaderLine } from '../../src/api/cache-header-patch.js';
import { paddedHeader, type ParseCacheHeader } from '../../src/api/parse-cache.js';
import { hashText } from '../../src/util/file-states.js';

/**
 * patchedHeaderLine (api/cache-header-patch.ts): a splice's new cache header
 * made from the old line's bytes is exactly the line a serialisation gives
 * (JSON.stringify, padded to the old line's length), or nothing.
 */
function header(n: number, seed = 1): ParseCacheHeader {
  const paths = Array.from({ length: n }, (_, i) => `/p/models/m_${String(i).padStart(4, '0')}.sql`);
  return {
    format: 3,
    build: '0.1.0+1.5',
    key: hashText('key'),
    id: '11111111-2222-3333-4444-555555555555',
    files: {
      paths,
      size: paths.map((_, i) => 100 + ((i * 7 + seed) % 50)),
      mtimeMs: paths.map((_, i) => 1796460810068.6592 + i * 0.125),
      hash: paths.map((p) => hashText(p + seed)),
    },
    statesAt: 1796460900000,
    envRead: { HOME: hashText('home'), GONE: null },
    warnings: ['a "quoted" warning ],"size":[ in text'],
    indexBytes: 123456,
  };
}

const lineOf = (h: ParseCacheHeader) => Buffer.from(paddedHeader(JSON.stringify(h)));
const serialised = (h: ParseCacheHeader, length: number) => {
  const json = JSON.stringify(h);
  return `${json}${' '.repeat(length - Buffer.byteLength(json))}\n`;
};

/** The header after a splice: new id and states time, these rows changed. */
function next(old: ParseCacheHeader, rows: number[], change: (i: number, f: ParseCacheHeader['files']) => void, extra: Partial<ParseCacheHeader> = {}): ParseCacheHeader {
  const files = { paths: old.files.paths, size: [...old.files.size], mtimeMs: [...old.files.mtimeMs], hash: [...old.files.hash] };
  for (const i of rows) change(i, files);
  return { ...old, id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', files, statesAt: old.statesAt + 2500, envRead: { ...old.envRead }, ...extra };
}

describe('patchedHeaderLine', () => {
  const n = 300;
  const cases: [string, number[], (i: number, f: ParseCacheHeader['files']) => void][] = [
    ['the first row, same widths', [0], (i, f) => ((f.size[i] = f.size[i]! + 1), (f.mtimeMs[i] = f.mtimeMs[i]! + 1000), (f.hash[i] = hashText(`x${i}`)))],
    ['a middle row, longer size and time', [150], (i, f) => ((f.size[i] = 123_456_789), (f.mtimeMs[i] = 1796461000000.123456), (f.hash[i] = hashText(`y${i}`)))],
    ['the last row, shorter size and an integral time', [n - 1], (i, f) => ((f.size[i] = 7), (f.mtimeMs[i] = 1796461000000), (f.hash[i] = hashText(`z${i}`)))],
    ['rows at the start, middle and end, one only touched (same hash)', [0, 1, 150, n - 2, n - 1], (i, f) => ((f.size[i] = i % 2 ? 5 : 99_999), (f.mtimeMs[i] = f.mtimeMs[i]! + (i === 150 ? 0.5 : 3)), i === 150 || (f.hash[i] = hashText(`w${i}`)))],
    ['no row (only the id and time)', [], () => undefined],
  ];
  for (const [name, rows, change] of cases) {
    it(`${name}: the bytes a serialisation writes`, () => {
      const old = header(n);
      const line = lineOf(old);
      const now = next(old, rows, change);
      const got = patchedHeaderLine(line, old, now);
      expect(got?.toString('utf8')).toBe(serialised(now, line.length));
    });
  }

  it('an env var newly read: the bytes a serialisation writes', () => {
    const old = header(20);
    const line = lineOf(old);
    const now = next(old, [3], (i, f) => (f.size[i] = 1), { envRead: { ...old.envRead, NEW_ONE: hashText('v') } });
    expect(patchedHeaderLine(line, old, now)?.toString('utf8')).toBe(serialised(now, line.length));
  });

  it('an empty file table', () => {
    const old = header(0);
    const line = lineOf(old);
    const now = next(old, [], () => undefined);
    expect(patchedHeaderLine(line, old, now)?.toString('utf8')).toBe(serialised(now, line.length));
  });

  it('nothing when it cannot be proved or does not fit: other paths, other keys, a line not as serialised, no room left', () => {
    const old = header(50);
    const line = lineOf(old);
    const touched = (h: ParseCacheHeader) => next(h, [10], (i, f) => (f.size[i] = f.size[i]! + 1));
    expect(patchedHeaderLine(line, old, { ...touched(old), files: { ...touched(old).files, paths: [...old.files.paths.slice(1), '/p/z.sql'] } })).toBeUndefined();
    expect(patchedHeaderLine(line, old, { ...touched(old), warnings: ['another'] })).toBeUndefined();
    expect(patchedHeaderLine(line, old, { ...touched(old), indexBytes: 1 })).toBeUndefined();
    // Serialised with spaces (not as JSON.stringify writes it): the values are not where they should be.
    const spaced = Buffer.from(JSON.stringify(old, null, 1).replace(/\n/g, ' '));
    expect(patchedHeaderLine(spaced, old, touched(old))).toBeUndefined();
    // A header whose size value is not the one parsed (the line does not describe it).
    const other = { ...old, files: { ...old.files, size: old.files.size.map((s, i) => (i === 10 ? s + 100 : s)) } };
    expect(patchedHeaderLine(line, other, touched(other))).toBeUndefined();
    // No padding left and a longer value: it does not fit the line.
    const tight = Buffer.from(JSON.stringify(old));
    expect(patchedHeaderLine(tight, old, next(old, [10], (i, f) => (f.size[i] = 123_456_789)))).toBeUndefined();
    // The same widths fit a line with no padding.
    const same = next(old, [10], (i, f) => (f.size[i] = f.size[i]! + 1));
    expect(patchedHeaderLine(tight, old, same)?.toString('utf8')).toBe(`${JSON.stringify(same)}\n`);
  });
});
