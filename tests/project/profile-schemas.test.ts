import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { profileSchemas } from '../../src/api/adapter-registry.js';
import { loadProject } from '../../src/api/load-project.js';
import { certainlyValid } from '../../src/project/profile-quick-check.js';
import { makeProject } from '../support/project-fixture.js';

// profiles.ts compiles these without checking them against the meta-schema
// (that check cost ~40 ms of every command), so the check lives here.
describe('adapter profile schemas', () => {
  it('are valid JSON Schemas', () => {
    const schemas = profileSchemas();
    expect(Object.keys(schemas).sort()).toEqual(['duckdb', 'snowflake']);
    const ajv = new Ajv({ strict: false });
    for (const [type, schema] of Object.entries(schemas)) expect(ajv.validateSchema(schema), `${type}: ${ajv.errorsText()}`).toBe(true);
    // And a broken schema is caught by the same check.
    expect(ajv.validateSchema({ type: 'object', required: 'host' })).toBe(false);
  });
});

describe('certainlyValid (skips ajv for valid targets)', () => {
  const duckdb = profileSchemas().duckdb!;
  const snowflake = profileSchemas().snowflake!;
  const ajv = new Ajv({ allErrors: true, strict: false });

  it('says yes only where ajv says valid, and never yes where ajv says invalid', () => {
    const samples: Record<string, unknown>[] = [
      { type: 'duckdb' },
      { type: 'duckdb', path: 'dev.duckdb', schema: 'main', threads: 4 },
      { type: 'duckdb', threads: '4', extensions: ['httpfs', { name: 'x' }], settings: { a: 1 }, keep_open: true },
      { type: 'duckdb', threads: 1.5 },
      { type: 'duckdb', threads: true },
      { type: 'duckdb', extensions: ['httpfs', 3] },
      { type: 'duckdb', path: 'x', pathh: 'typo' },
      { type: 'duckdb', settings: [] },
      { type: 'postgres' },
      { path: 'x' },
      { type: 'duckdb', threads: null },
      { type: 'duckdb', attach: [{ path: 'a' }, 'b'] },
    ];
    const answers = samples.map((c) => [certainlyValid(duckdb, c), ajv.validate(duckdb, c)]);
    expect(answers).toEqual([
      [true, true], [true, true], [true, true],
      [false, false], [false, false], [false, false], [false, false], [false, false], [false, false], [false, false], [false, false], [false, false],
    ]);
  });

  it('does not answer for keywords it does not know (the Snowflake schema goes to ajv)', () => {
    const target = { type: 'snowflake', account: 'a', user: 'u', password: 'p', database: 'd', schema: 's', warehouse: 'w' };
    expect(certainlyValid(snowflake, target)).toBeUndefined();
    expect(certainlyValid({ type: 'string', pattern: '^a' }, 'a')).toBeUndefined();
    expect(certainlyValid({ type: 'object', properties: { a: { minimum: 1 } } }, { a: 2 })).toBeUndefined();
  });

  it('an invalid target still gets ajv\'s error, a typo still gets the warning', () => {
    const warnings: string[] = [];
    const dir = makeProject({ 'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: x.duckdb\n      threds: 4\n', 'models/a.sql': 'select 1' });
    loadProject({ projectDir: dir, env: {}, logger: { info: () => {}, debug: () => {}, warn: (m: string) => warnings.push(m) } });
    const all = [...warnings, ...loadProject({ projectDir: dir, env: {} }).warnings];
    expect(all.some((w) => w.includes("unknown field 'threds' in target 'dev' (did you mean 'threads'?)"))).toBe(true);
    const bad = makeProject({ 'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      keep_open: 3\n', 'models/a.sql': 'select 1' });
    expect(() => loadProject({ projectDir: bad, env: {} })).toThrowError(expect.objectContaining({ code: 'PROFILE_INVALID', message: "Target 'dev': field 'keep_open' must be boolean", line: 6 }));
  });
});
