import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { TsdbtError, TsdbtErrorList } from '../../src/errors/tsdbt-error.js';
import { loadExtractConfig } from '../../src/extract/index.js';
import { makeProject } from './helpers.js';

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof TsdbtErrorList) return e.errors.map((x) => `${x.code} ${x.format()}`);
    if (e instanceof TsdbtError) return [`${e.code} ${e.format()}`];
    throw e;
  }
  throw new Error('expected an error');
}

describe('loadExtractConfig', () => {
  it('fills in defaults for a minimal config', () => {
    const dir = makeProject({
      'extract.yml': 'source:\n  base_url: http://x\nstreams:\n  - name: things\n    path: /things\n',
    });
    const c = loadExtractConfig(dir);
    expect(c.file).toBe(join(dir, 'extract.yml'));
    expect(c.source.defaults).toMatchObject({ timeout_ms: 30000, concurrency: 4, rate_limit: null, column_naming: 'snake_case', schema: 'raw' });
    expect(c.streams[0]).toMatchObject({
      name: 'things',
      records: '$',
      pagination: { type: 'none' },
      primary_key: [],
      table: 'things',
      land: true,
      on_schema_violation: 'fail',
      line: 4,
    });
  });

  it('loads the bundled cursor-sim config', () => {
    const c = loadExtractConfig('project');
    expect(c.streams.map((s) => s.name)).toEqual(['commits', 'repos', 'pull_requests', 'team_members', 'reviews']);
    expect(c.source.auth).toEqual({ type: 'basic', username: { env_var: 'CURSOR_API_KEY', default: 'cursor-sim-dev-key' }, password: undefined });
  });

  it('reports every problem at once with file, line and key', () => {
    const dir = makeProject({
      'extract.yml': [
        'source:',
        '  base_url: http://x',
        '  defaults:',
        '    concurency: 3',
        'streams:',
        '  - name: a',
        '    path: /a',
        '    pagination:',
        '      type: page_number',
        '      page_szie: 10',
        '  - name: b',
        '    path: /b',
        '    column_naming: camel',
        '  - path: /c',
        '',
      ].join('\n'),
    });
    const errs = errorsOf(() => loadExtractConfig(dir));
    expect(errs).toEqual([
      `EXTRACT_CONFIG ${dir}/extract.yml:4: Unknown key 'concurency' in source.defaults\n  Allowed keys: headers, timeout_ms, concurrency, rate_limit, max_body_bytes, retry, column_naming, schema.`,
      `EXTRACT_CONFIG ${dir}/extract.yml:13: streams[1].column_naming must be one of snake_case, as_is (got "camel")`,
      `EXTRACT_CONFIG ${dir}/extract.yml:14: streams[2] is missing the required key 'name'\n  Add 'name:' to streams[2].`,
    ].map((e) => e.replace(`${dir}/`, relPrefix(dir))));
  });

  it('checks the pagination block once the rest is valid', () => {
    const dir = makeProject({
      'extract.yml': 'source: {base_url: "http://x"}\nstreams:\n  - name: a\n    path: /a\n    pagination:\n      type: page_number\n      page_szie: 10\n',
    });
    expect(errorsOf(() => loadExtractConfig(dir))).toEqual([
      `EXTRACT_CONFIG ${relPrefix(dir)}extract.yml:7: Unknown key 'page_szie' in streams[0].pagination\n  Allowed keys: type, page_param, start, page_size_param, page_size, total_path, has_next_path, max_pages.`,
    ]);
  });

  it('rejects references to unknown streams, placeholders without a parent, and missing schema files', () => {
    const dir = makeProject({
      'extract.yml': [
        'source: {base_url: "http://x"}',
        'streams:',
        '  - name: a',
        '    path: /a/{parent.id}',
        '  - name: b',
        '    path: /b',
        '    parent: {stream: nope}',
        '    schema: schemas/b.json',
        '',
      ].join('\n'),
    });
    const errs = errorsOf(() => loadExtractConfig(dir)).map((e) => e.replace(relPrefix(dir), ''));
    expect(errs).toEqual([
      "EXTRACT_CONFIG extract.yml:4: streams[0] uses '{parent.id}' but declares no parent stream\n  Add `parent: {stream: <name>}`.",
      "EXTRACT_CONFIG extract.yml:7: streams[1].parent refers to stream 'nope', which is not declared\n  Declared streams: a, b.",
      "EXTRACT_CONFIG extract.yml:8: streams[1].schema points to 'schemas/b.json', which does not exist\n  Create schemas/b.json or fix the path.",
    ]);
  });

  it('requires a primary key for an incremental stream', () => {
    const dir = makeProject({
      'extract.yml': 'source: {base_url: "http://x"}\nstreams:\n  - name: a\n    path: /a\n    incremental: {cursor_field: ts, param: since}\n',
    });
    expect(errorsOf(() => loadExtractConfig(dir))).toEqual([
      'EXTRACT_CONFIG extract.yml:5: streams[0].incremental needs a primary_key: new rows are merged into the landed file on it\n  Add `primary_key:` to the stream.',
    ]);
  });

  it('rejects dependency cycles and YAML syntax errors', () => {
    const cyc = makeProject({
      'extract.yml': 'source: {base_url: "http://x"}\nstreams:\n  - {name: a, path: /a, parent: {stream: b}}\n  - {name: b, path: /b, parent: {stream: a}}\n',
    });
    expect(errorsOf(() => loadExtractConfig(cyc))[0]).toContain('Streams depend on each other in a cycle: a -> b -> a');
    const bad = makeProject({ 'extract.yml': 'source:\n  base_url: [unclosed\n' });
    expect(errorsOf(() => loadExtractConfig(bad))[0]).toMatch(/^YAML_SYNTAX .*extract.yml:\d+: Invalid YAML/);
  });

  it('names the missing file', () => {
    const dir = makeProject({});
    expect(errorsOf(() => loadExtractConfig(dir, 'other.yml'))[0]).toContain('No extract config at');
  });
});

function relPrefix(_dir: string): string {
  return '';
}
