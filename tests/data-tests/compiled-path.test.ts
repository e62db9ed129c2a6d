import { describe, expect, it } from 'vitest';
import { compiledPathOf } from '../../src/compile/node-compiler.js';
import { genericTestNode } from '../../src/project/generic-tests.js';

describe('compiled path of a generic test', () => {
  it('uses the hashed short name for names of 64 characters or more, as dbt does', () => {
    const node = genericTestNode(
      {
        testName: 'accepted_values',
        args: { values: ['placed', 'shipped', 'completed', 'return_pending', 'returned'] },
        config: {},
        columnName: 'status',
        target: { kind: 'model', name: 'orders' },
        file: 'models/schema.yml',
        line: 3,
        package: 'jaffle_shop',
      },
    );
    expect(node.name.length).toBeGreaterThanOrEqual(64);
    expect(node.path).toMatch(/^accepted_values_orders_[0-9a-f]{32}\.sql$/);
    expect(compiledPathOf(node)).toBe(`target/compiled/jaffle_shop/models/schema.yml/${node.path}`);
  });
});
