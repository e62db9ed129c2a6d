import { describe, expect, it } from 'vitest';
import { parseBlockYaml } from '../../src/util/yaml-block.js';
import { CollectionLines, KeyLineList, LineTable } from '../../src/util/yaml-result.js';

describe('LineTable: the block reader line tables over one entry per collection', () => {
  it('a mapping entered as its KeyLineList answers lines and keyLines, not itemLines; a list its line and items', () => {
    const t = new LineTable();
    const map = {};
    const list: unknown[] = [];
    t.entries.set(map, new KeyLineList(['a', 3, 'b', 4], 2));
    t.entries.set(list, new CollectionLines(7, undefined, [8, 9]));
    expect([t.lines.get(map), t.keyLines.get(map)?.get('b'), t.itemLines.get(map)]).toEqual([2, 4, undefined]);
    expect([t.lines.get(list), t.keyLines.get(list), t.itemLines.get(list)]).toEqual([7, undefined, [8, 9]]);
    expect([t.lines.get({}), t.keyLines.get({}), t.itemLines.get([])]).toEqual([undefined, undefined, undefined]);
  });

  it('set through the tables (as the flow reader does), in any order, over an entry or none', () => {
    const t = new LineTable();
    const flowMap = {};
    t.lines.set(flowMap, 5);
    t.keyLines.set(flowMap, new Map([['k', 5]]));
    expect([t.lines.get(flowMap), t.keyLines.get(flowMap)?.get('k'), t.itemLines.get(flowMap)]).toEqual([5, 5, undefined]);
    const flowList: unknown[] = [];
    t.itemLines.set(flowList, [6]);
    expect([t.lines.get(flowList), t.itemLines.get(flowList)]).toEqual([undefined, [6]]);
    t.lines.set(flowList, 6);
    expect(t.lines.get(flowList)).toBe(6);
    // A block mapping's entry changed through a table keeps its line and keys.
    const block = {};
    t.entries.set(block, new KeyLineList(['x', 10], 9));
    t.lines.set(block, 11);
    expect([t.lines.get(block), t.keyLines.get(block)?.get('x')]).toEqual([11, 10]);
  });

  it('what the reader records: lines of maps, lists, keys and items, block and flow', () => {
    const y = parseBlockYaml('a:\n  - x\n  - {k: 1,\n     j: [2, 3]}\nb: c\n')!;
    const doc = y.value as { a: [string, { k: number; j: number[] }] };
    expect([y.lines.get(doc), y.keyLines.get(doc)?.get('a'), y.keyLines.get(doc)?.get('b')]).toEqual([1, 1, 5]);
    expect([y.lines.get(doc.a), y.itemLines.get(doc.a)]).toEqual([2, [2, 3]]);
    expect([y.lines.get(doc.a[1]), y.keyLines.get(doc.a[1])?.get('j'), y.itemLines.get(doc.a[1])]).toEqual([3, 4, undefined]);
    expect([y.lines.get(doc.a[1].j), y.itemLines.get(doc.a[1].j)]).toEqual([4, [4, 4]]);
  });
});
