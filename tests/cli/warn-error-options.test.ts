/**
 * --warn-error and --warn-error-options (DBT_WARN_ERROR_OPTIONS), as dbt
 * 1.10: the warnings dbt sends through warn_or_error become errors (the
 * command stops with exit 2 before anything runs), are left warnings, or
 * are not shown; a test that warns fails under LogTestResult.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseWarnErrorOptions } from '../../src/cli/warn-error-options-read.js';
import { silencedBy, warnsAsError, type WarnErrorOptions } from '../../src/cli/warn-error-options.js';
import { warningEvent } from '../../src/cli/warning-events.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

async function cli(args: string[], dir: string, env: Record<string, string> = {}) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir], io.streams, env);
  const untimed = (t: string) => t.replace(/^\d\d:\d\d:\d\d {2}/gm, '');
  return { code, out: untimed(io.stdout.join('')), err: untimed(io.stderr.join('')) };
}

const options = (text: string, warnings: string[] = []): WarnErrorOptions => parseWarnErrorOptions(text, '--warn-error-options', warnings);
const NO_NODES = { name: 'NoNodesForSelectionCriteria', code: 'M030' };
const NO_PATCH = { name: 'NoNodeForYamlKey', code: 'I058' };
const DUPLICATE_KEYS = { name: 'DuplicateYAMLKeysDeprecation', code: 'D024' };

function usageError(text: string): string {
  try {
    options(text);
  } catch (e) {
    expect(e).toBeInstanceOf(TsdbtError);
    expect((e as TsdbtError).code).toBe('USAGE');
    return (e as TsdbtError).message;
  }
  throw new Error(`no error for ${text}`);
}

describe('reading --warn-error-options (cli/warn-error-options-read.ts)', () => {
  it('takes YAML or JSON, with dbt\'s older names include and exclude', () => {
    expect(options('{"error": "all", "warn": ["NoNodesForSelectionCriteria"]}')).toEqual({ error: 'all', warn: ['NoNodesForSelectionCriteria'], silence: [] });
    expect(options('{include: "*", exclude: [NoNodesForSelectionCriteria], silence: [NothingToDo]}')).toEqual({ error: 'all', warn: ['NoNodesForSelectionCriteria'], silence: ['NothingToDo'] });
    expect(options('error: [NoNodeForYamlKey]')).toEqual({ error: ['NoNodeForYamlKey'], warn: [], silence: [] });
    expect(options('{error: null, silence: null}')).toEqual({ error: [], warn: [], silence: [] });
  });

  it('refuses what dbt refuses, naming where the options came from', () => {
    expect(usageError('{error: all, include: all}')).toBe("--warn-error-options give 'error' or 'include' (its older name), not both");
    expect(usageError('{error: some}')).toBe('--warn-error-options \'error\' must be "all", "*" or a list of event names, not \'some\'');
    expect(usageError('{error: [NoNodeForYamlKey], warn: [NoNodesForSelectionCriteria]}')).toBe(
      "--warn-error-options 'warn' only applies when 'error' is \"all\" or \"*\", or when Deprecations is under 'error' or 'silence'",
    );
    expect(usageError('[all]')).toBe('--warn-error-options must be a mapping');
    expect(usageError('{error: [1]}')).toBe("--warn-error-options 'error' must be a list of event names (as dbt names them, e.g. NoNodesForSelectionCriteria)");
    const warnings: string[] = [];
    options('{error: all, exlude: [NothingToDo]}', warnings);
    expect(warnings).toEqual(["--warn-error-options: 'exlude' is not one of error, warn, silence, include, exclude; it is ignored."]);
  });
});

describe('which warnings are errors or silenced (dbt\'s precedence)', () => {
  it('a named event over Deprecations over all; silence over warn over error', () => {
    const all = options('{error: all, warn: [NoNodesForSelectionCriteria]}');
    expect([warnsAsError(all, NO_NODES), warnsAsError(all, NO_PATCH), warnsAsError(all, DUPLICATE_KEYS)]).toEqual([false, true, true]);
    const named = options('{error: [NoNodeForYamlKey]}');
    expect([warnsAsError(named, NO_NODES), warnsAsError(named, NO_PATCH), warnsAsError(named, DUPLICATE_KEYS)]).toEqual([false, true, false]);
    const deprecations = options('{error: [Deprecations], warn: [DuplicateYAMLKeysDeprecation]}');
    expect([warnsAsError(deprecations, DUPLICATE_KEYS), warnsAsError(deprecations, { name: 'CustomKeyInConfigDeprecation', code: 'D026' }), warnsAsError(deprecations, NO_PATCH)]).toEqual([false, true, false]);
    const silenced = options('{error: all, silence: [NoNodesForSelectionCriteria, Deprecations]}');
    expect([warnsAsError(silenced, NO_NODES), silencedBy(silenced, NO_NODES), silencedBy(silenced, DUPLICATE_KEYS), warnsAsError(silenced, DUPLICATE_KEYS), silencedBy(silenced, NO_PATCH)]).toEqual([false, true, true, false, false]);
    const namedOverSilence = options('{error: [DuplicateYAMLKeysDeprecation], silence: [Deprecations]}');
    expect([warnsAsError(namedOverSilence, DUPLICATE_KEYS), silencedBy(namedOverSilence, DUPLICATE_KEYS)]).toEqual([true, false]);
  });

  it('names the warnings dbt sends through warn_or_error, and no others', () => {
    expect(warningEvent("The selection criterion 'nope' does not match any enabled nodes")).toEqual(NO_NODES);
    expect(warningEvent("models/schema.yml: Did not find matching node for patch with name 'ghost' in the 'models' section.")).toEqual(NO_PATCH);
    expect(warningEvent("models/schema.yml:4: duplicate key 'name' in a mapping (first at line 3); the last value is used.")).toEqual(DUPLICATE_KEYS);
    expect(warningEvent('Nothing to do. Try checking your model configs and model specification args')?.name).toBe('NothingToDo');
    expect(warningEvent('DBT_STATIC_PARSER is set, but tsdbt does not act on it; it is ignored.')).toBeUndefined();
  });
});

const PROJECT = {
  'models/nums.sql': 'select * from (values (1), (2)) t(n)',
  // (A test that warns on nums; a properties entry, ghost, for a model that does not exist.)
  'models/schema.yml': 'version: 2\nmodels:\n  - {name: nums, columns: [{name: n, data_tests: [{accepted_values: {name: warns, values: [1], config: {severity: warn}}}]}]}\n  - name: ghost\n',
};
const NO_PATCH_TEXT = "models/schema.yml: Did not find matching node for patch with name 'ghost' in the 'models' section.";

describe('the CLI under --warn-error and --warn-error-options', () => {
  it('without them a warning is printed and the command succeeds', async () => {
    const dir = makeProject(PROJECT);
    const r = await cli(['parse'], dir);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`[WARNING]: ${NO_PATCH_TEXT}`);
  });

  it('--warn-error makes a parse warning dbt raises an error: exit 2, nothing runs', async () => {
    const dir = makeProject(PROJECT);
    const r = await cli(['build', '--warn-error'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`[WARN_ERROR] ${NO_PATCH_TEXT}`);
    expect(r.err).toContain('A warning (NoNodeForYamlKey) treated as an error: --warn-error.');
    expect(r.out).not.toContain('START');
    expect(existsSync(join(dir, 'target/run_results.json'))).toBe(false);
  });

  it('--warn-error-options names which: an event left out stays a warning, a silenced one is not shown', async () => {
    const dir = makeProject(PROJECT);
    const named = await cli(['ls', '--warn-error-options', '{"error": ["NoNodeForYamlKey"]}'], dir);
    expect(named.code).toBe(2);
    expect(named.err).toContain(`[WARN_ERROR] ${NO_PATCH_TEXT}`);
    const excepted = await cli(['ls', '-s', 'nothing_here', '--warn-error-options', '{error: all, warn: [NoNodeForYamlKey, NoNodesForSelectionCriteria]}'], dir);
    expect(excepted.code).toBe(0);
    expect(excepted.err).toContain(`[WARNING]: ${NO_PATCH_TEXT}`);
    expect(excepted.err).toContain("[WARNING]: The selection criterion 'nothing_here' does not match any enabled nodes");
    const selection = await cli(['ls', '-s', 'nothing_here', '--warn-error-options', '{error: [NoNodesForSelectionCriteria], silence: [NoNodeForYamlKey]}'], dir);
    expect(selection.code).toBe(2);
    expect(selection.err).not.toContain('ghost');
    expect(selection.err).toContain("[WARN_ERROR] The selection criterion 'nothing_here' does not match any enabled nodes");
  });

  it('a test that warns fails under LogTestResult, and only then; DBT_WARN_ERROR_OPTIONS says the same', async () => {
    const dir = makeProject({ ...PROJECT, 'models/schema.yml': PROJECT['models/schema.yml'].replace('  - name: ghost\n', '') });
    const warned = await cli(['build', '--warn-error-options', '{"error": ["NoNodeForYamlKey"]}'], dir);
    expect(warned.code).toBe(0);
    expect(warned.out).toContain('Done. PASS=1 WARN=1 ERROR=0 SKIP=0 NO-OP=0 TOTAL=2');
    const failed = await cli(['build'], dir, { DBT_WARN_ERROR_OPTIONS: '{"error": ["LogTestResult"]}' });
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('Done. PASS=1 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=2');
    expect(failed.err).toContain('Got 1 result, configured to warn if != 0 (warning treated as error: --warn-error-options)');
    const excepted = await cli(['build', '--warn-error-options', '{error: all, warn: [LogTestResult]}'], dir);
    expect(excepted.code).toBe(0);
  });

  it('--warn-error and --warn-error-options are not given together; bad options are a usage error', async () => {
    const dir = makeProject(PROJECT);
    const both = await cli(['parse', '--warn-error', '--warn-error-options', '{error: all}'], dir);
    expect(both.code).toBe(2);
    expect(both.err).toContain('[USAGE] --warn-error and --warn-error-options cannot both be given');
    const bad = await cli(['parse'], dir, { DBT_WARN_ERROR_OPTIONS: '{error: sometimes}' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('[USAGE] DBT_WARN_ERROR_OPTIONS \'error\' must be "all", "*" or a list of event names, not \'sometimes\'');
  });
});

describe("dbt_project.yml's flags: as defaults for the CLI's flags (cli/project-flags.ts)", () => {
  const withFlags = (flags: string, files: Record<string, string> = PROJECT) =>
    makeProject({ ...files, 'dbt_project.yml': `name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nflags:\n${flags}` });

  it('warn_error and warn_error_options there apply; the command line and DBT_ variables win over them', async () => {
    const strict = withFlags('  warn_error: true\n');
    expect((await cli(['parse'], strict)).err).toContain(`[WARN_ERROR] ${NO_PATCH_TEXT}`);
    expect((await cli(['parse'], strict, { DBT_WARN_ERROR: 'false' })).code).toBe(0);
    const named = withFlags('  warn_error_options:\n    error: [NoNodeForYamlKey]\n');
    const r = await cli(['parse'], named);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`[WARN_ERROR] ${NO_PATCH_TEXT}`);
    const silenced = await cli(['parse', '--warn-error-options', '{silence: [NoNodeForYamlKey]}'], named);
    expect(silenced.code).toBe(0);
    expect(silenced.err).not.toContain('ghost');
    // The project's own warn_error does not clash with the user's --warn-error-options (dbt counts only the user's).
    expect((await cli(['parse', '--warn-error-options', '{silence: [NoNodeForYamlKey]}'], strict)).code).toBe(2);
  });

  it('partial_parse: false parses in full each time, unless DBT_PARTIAL_PARSE says otherwise; a value that is not a boolean warns', async () => {
    const files = { 'models/a.sql': 'select 1 as id' };
    const full = withFlags('  partial_parse: false\n', files);
    await cli(['parse'], full);
    expect((await cli(['parse', '--debug'], full)).out).not.toContain('Partial parsing: nothing changed');
    // (A full parse writes no parse cache: the first partial one finds none.)
    expect((await cli(['parse', '--debug'], full, { DBT_PARTIAL_PARSE: 'true' })).out).toContain('Unable to do partial parsing because saved manifest not found');
    expect((await cli(['parse', '--debug'], full, { DBT_PARTIAL_PARSE: 'true' })).out).toContain('Partial parsing: nothing changed');
    const partial = withFlags('  partial_parse: true\n', files);
    await cli(['parse'], partial);
    expect((await cli(['parse', '--debug'], partial)).out).toContain('Partial parsing: nothing changed');
    const odd = withFlags('  fail_fast: sometimes\n', files);
    const r = await cli(['parse'], odd);
    expect(r.code).toBe(0);
    expect(r.err).toContain("[WARNING]: dbt_project.yml: flags: fail_fast is 'sometimes', not true or false; ignored.");
  });

  it('fail_fast: true stops a run at its first failure', async () => {
    const files = { 'models/a_bad.sql': 'select no_such_column', 'models/b_good.sql': 'select 1 as id' };
    const r = await cli(['run', '--threads', '1'], withFlags('  fail_fast: true\n', files));
    expect(r.code).toBe(1);
    expect(r.out).toContain('SKIP=1');
    const plain = await cli(['run', '--threads', '1'], withFlags('  fail_fast: false\n', files));
    expect(plain.out).toContain('PASS=1');
  });
});

describe("profiles.yml's config: (the place dbt 1.8 moved to dbt_project.yml's flags:)", () => {
  const withProfileConfig = (config: string, projectFlags = '') =>
    makeProject({
      ...PROJECT,
      ...(projectFlags && { 'dbt_project.yml': `name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nflags:\n${projectFlags}` }),
      'profiles.yml': `config:\n${config}test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n`,
    });

  it('is read as the project flags are, with a deprecation warning', async () => {
    const r = await cli(['parse'], withProfileConfig('  warn_error: true\n'));
    expect(r.code).toBe(2);
    expect(r.err).toContain("[WARNING]: profiles.yml: config: is deprecated (dbt 1.8 moved it): move these flags to flags: in dbt_project.yml.");
    expect(r.err).toContain(`[WARN_ERROR] ${NO_PATCH_TEXT}`);
    const plain = await cli(['parse'], withProfileConfig('  send_anonymous_usage_stats: false\n'));
    expect(plain.code).toBe(0);
    expect(plain.err).toContain('profiles.yml: config: is deprecated');
  });

  it('both it and dbt_project.yml flags: is an error, as in dbt', async () => {
    const r = await cli(['parse'], withProfileConfig('  use_colors: false\n', '  send_anonymous_usage_stats: false\n'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('[PROJECT_INVALID] dbt_project.yml: Flags are set both in dbt_project.yml (flags:) and in profiles.yml (config:)');
  });
});
