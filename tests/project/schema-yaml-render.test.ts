import { describe, expect, it } from 'vitest';
import { renderEntryInPlace, rendersAtParse } from '../../src/project/schema-yaml-render.js';

describe("which properties values dbt renders when it reads the file", () => {
  it('follows dbt 1.10 schema YAML rules per top-level key', () => {
    expect(rendersAtParse('models', ['description'])).toBe(false);
    expect(rendersAtParse('models', ['columns', 0, 'description'])).toBe(false);
    expect(rendersAtParse('models', ['columns', 0, 'data_tests', 0, 'accepted_values', 'values', 0])).toBe(false);
    expect(rendersAtParse('models', ['columns', 0, 'data_type'])).toBe(true);
    expect(rendersAtParse('models', ['config', 'pre_hook'])).toBe(false);
    expect(rendersAtParse('models', ['config', 'schema'])).toBe(true);
    expect(rendersAtParse('models', ['versions', 0, 'columns', 1, 'description'])).toBe(false);
    expect(rendersAtParse('sources', ['database'])).toBe(true);
    expect(rendersAtParse('sources', ['description'])).toBe(false);
    expect(rendersAtParse('sources', ['tables', 2, 'identifier'])).toBe(true);
    expect(rendersAtParse('sources', ['tables', 2, 'description'])).toBe(false);
    expect(rendersAtParse('sources', ['tables', 2, 'columns', 0, 'tests', 0])).toBe(false);
    expect(rendersAtParse('sources', ['config', 'loaded_at_query'])).toBe(false);
    expect(rendersAtParse('macros', ['arguments', 0, 'description'])).toBe(false);
    expect(rendersAtParse('macros', ['arguments', 0, 'type'])).toBe(true);
  });

  it('renders in place, keeping maps and lists (so YAML line lookups still find them)', () => {
    const columns = [{ name: 'id', data_type: "{{ 'int' }}", description: '{{ doc("x") }}' }];
    const entry: Record<string, unknown> = { name: 'm', description: '{{ doc("m") }}', columns };
    renderEntryInPlace('models', entry, (t) => `<${t}>`);
    expect(entry.columns).toBe(columns);
    expect(columns[0]).toEqual({ name: 'id', data_type: "<{{ 'int' }}>", description: '{{ doc("x") }}' });
    expect(entry.description).toBe('{{ doc("m") }}');
  });
});
