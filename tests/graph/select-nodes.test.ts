import { describe, expect, it } from 'vitest';
import { buildGraph, selectNodes } from '../../src/graph/index.js';
import { ManifestBuilder } from './manifest-builder.js';
import { names, select } from './project-fixture.js';

const MODELS = { defaultResourceTypes: ['model'] };
const TESTS = { defaultResourceTypes: ['test', 'unit_test'] };
const ALL_TESTS = [
  'assert_velocity_positive',
  'not_null_stg_commits_id',
  'relationships_activity_commits',
  'relationships_commits_users',
  'source_not_null_raw_commits_id',
  'unique_stg_users_id',
];

describe('selectNodes: names, paths, files, packages', () => {
  it('selects every node of the command when nothing is given', () => {
    expect(names(MODELS)).toEqual(['helper', 'int_activity', 'mart_users', 'mart_velocity', 'stg_commits', 'stg_users']);
    expect(names(TESTS)).toEqual([...ALL_TESTS, 'ut_velocity'].sort());
  });

  it('selects a model by name', () => {
    expect(names({ select: ['stg_commits'], ...MODELS })).toEqual(['stg_commits']);
  });

  it('matches directories and packages through the fqn (with and without the package)', () => {
    expect(names({ select: ['staging'], ...MODELS })).toEqual(['stg_commits', 'stg_users']);
    expect(names({ select: ['proj.marts'], ...MODELS })).toEqual(['mart_users', 'mart_velocity']);
    expect(names({ select: ['pkg2'], ...MODELS })).toEqual(['helper']);
    expect(names({ select: ['staging.*'], ...MODELS })).toEqual(['stg_commits', 'stg_users']);
    expect(names({ select: ['*.mart_*'], ...MODELS })).toEqual(['mart_users', 'mart_velocity']);
    expect(names({ select: ['fqn:*'], ...MODELS })).toHaveLength(6);
  });

  it('does not match a bare wildcard against nested models, as dbt (the pattern must cover the fqn tail)', () => {
    expect(select({ select: ['stg_*'], ...MODELS })).toEqual({
      names: [],
      warnings: ["The selection criterion 'stg_*' does not match any enabled nodes"],
    });
  });

  it('treats values with a slash, or naming a project directory, as paths', () => {
    expect(names({ select: ['models/staging'], resourceTypes: ['model', 'source'] })).toEqual([
      'raw.commits',
      'raw.users',
      'stg_commits',
      'stg_users',
    ]);
    expect(names({ select: ['models/staging/'], ...MODELS })).toEqual(['stg_commits', 'stg_users']);
    expect(names({ select: ['models/marts/mart_users.sql'], ...MODELS })).toEqual(['mart_users']);
    expect(names({ select: ['path:models/marts/*.sql'], ...MODELS })).toEqual(['mart_users', 'mart_velocity']);
    expect(names({ select: ['path:models/**/stg_*.sql'], ...MODELS })).toEqual(['stg_commits', 'stg_users']);
    // a properties file selects the nodes it patches
    expect(names({ select: ['path:models/staging/_models.yml'], ...MODELS })).toEqual(['stg_users']);
    // `models` has no slash but is a directory of the project
    expect(names({ select: ['models'], ...MODELS })).toEqual(['helper', 'int_activity', 'mart_users', 'mart_velocity', 'stg_commits', 'stg_users']);
    expect(names({ select: ['seeds'], defaultResourceTypes: ['seed'] })).toEqual(['countries']);
  });

  it('selects by file name or stem', () => {
    expect(names({ select: ['stg_users.sql'], ...MODELS })).toEqual(['stg_users']);
    expect(names({ select: ['file:stg_users'], ...MODELS })).toEqual(['stg_users']);
    expect(names({ select: ['file:mart_*.sql'], ...MODELS })).toEqual(['mart_users', 'mart_velocity']);
    expect(names({ select: ['countries.csv'], defaultResourceTypes: ['seed'] })).toEqual(['countries']);
  });

  it('selects by package, including package:this', () => {
    expect(names({ select: ['package:pkg2'], ...MODELS })).toEqual(['helper']);
    expect(names({ select: ['package:this'], ...MODELS })).toEqual(['int_activity', 'mart_users', 'mart_velocity', 'stg_commits', 'stg_users']);
    expect(names({ select: ['package:pkg*'], ...MODELS })).toEqual(['helper']);
  });
});

describe('selectNodes: methods', () => {
  it('selects by tag, with wildcards', () => {
    expect(names({ select: ['tag:nightly'], ...MODELS })).toEqual(['mart_velocity', 'stg_commits']);
    expect(names({ select: ['tag:nigh*'], ...MODELS })).toEqual(['mart_velocity', 'stg_commits']);
    expect(names({ select: ['tag:raw'], resourceTypes: ['source'] })).toEqual(['raw.commits']);
  });

  it('selects by config, nested keys, lists and booleans', () => {
    expect(names({ select: ['config.materialized:table'], ...MODELS })).toEqual(['mart_velocity']);
    expect(names({ select: ['config.materialized:incremental'], ...MODELS })).toEqual(['mart_users']);
    expect(names({ select: ['config.meta.owner:alice'], ...MODELS })).toEqual(['mart_velocity']);
    expect(names({ select: ['config.contract.enforced:true'], ...MODELS })).toEqual(['mart_velocity']);
    expect(names({ select: ['config.contract.enforced:False'], ...MODELS })).toEqual(['helper', 'int_activity', 'mart_users', 'stg_commits', 'stg_users']);
    expect(names({ select: ['config.unique_key:day'], ...MODELS })).toEqual(['mart_users']);
    expect(names({ select: ['config.group:finance'], ...MODELS })).toEqual(['mart_velocity']);
    // severity compares case-insensitively
    expect(names({ select: ['config.severity:WARN'], ...TESTS })).toEqual(['unique_stg_users_id']);
    expect(select({ select: ['config.meta.nope:x'], ...MODELS }).warnings).toEqual([
      "The selection criterion 'config.meta.nope:x' does not match any enabled nodes",
    ]);
  });

  it('selects by resource type', () => {
    expect(names({ select: ['resource_type:seed'] })).toEqual(['countries']);
    expect(names({ select: ['resource_type:snapshot'] })).toEqual(['snap_users']);
    expect(names({ select: ['resource_type:exposure'] })).toEqual(['exposure:dash']);
  });

  it('selects sources by source, source.table and package.source.table', () => {
    expect(names({ select: ['source:raw'] })).toEqual(['raw.commits', 'raw.users', 'source_not_null_raw_commits_id']);
    expect(names({ select: ['source:raw.commits'], resourceTypes: ['source'] })).toEqual(['raw.commits']);
    expect(names({ select: ['source:proj.raw.users'] })).toEqual(['raw.users']);
    expect(names({ select: ['source:*.us*'] })).toEqual(['raw.users']);
    expect(names({ select: ['source:raw+'], ...MODELS })).toEqual(['int_activity', 'mart_users', 'mart_velocity', 'stg_commits', 'stg_users']);
  });

  it('selects exposures and their parents', () => {
    expect(names({ select: ['exposure:dash'] })).toEqual(['exposure:dash']);
    expect(names({ select: ['+exposure:dash'], ...MODELS })).toEqual(['int_activity', 'mart_velocity', 'stg_commits', 'stg_users']);
  });

  it('selects tests by test_type and test_name', () => {
    const generic = ['not_null_stg_commits_id', 'relationships_activity_commits', 'relationships_commits_users', 'source_not_null_raw_commits_id', 'unique_stg_users_id'];
    expect(names({ select: ['test_type:generic'], ...TESTS })).toEqual(generic);
    expect(names({ select: ['test_type:singular'], ...TESTS })).toEqual(['assert_velocity_positive']);
    expect(names({ select: ['test_type:data'], ...TESTS })).toEqual(ALL_TESTS);
    expect(names({ select: ['test_type:unit'], ...TESTS })).toEqual(['ut_velocity']);
    expect(names({ select: ['test_name:not_null'], ...TESTS })).toEqual(['not_null_stg_commits_id', 'source_not_null_raw_commits_id']);
    expect(names({ select: ['test_name:relation*'], ...TESTS })).toEqual(['relationships_activity_commits', 'relationships_commits_users']);
    expect(names({ select: ['test_name:ut_velocity'], ...TESTS })).toEqual(['ut_velocity']);
    expect(names({ select: ['mart_velocity,test_type:unit'], ...TESTS })).toEqual(['ut_velocity']);
  });

  it('selects versioned models by name, name_vN, name.vN and version:', () => {
    const b = new ManifestBuilder().model('dim_customers', { version: 1 }).model('dim_customers', { version: 2 }).model('other');
    const m = b.build();
    for (const n of Object.values(m.nodes)) n.latest_version = 2;
    const g = buildGraph(m);
    const run = (select: string[]): string[] => [...selectNodes(m, g, { select }).selected].sort();
    expect(run(['dim_customers'])).toEqual(['model.proj.dim_customers.v1', 'model.proj.dim_customers.v2']);
    expect(run(['dim_customers_v2'])).toEqual(['model.proj.dim_customers.v2']);
    expect(run(['dim_customers.v1'])).toEqual(['model.proj.dim_customers.v1']);
    expect(run(['version:latest'])).toEqual(['model.proj.dim_customers.v2']);
    expect(run(['version:old'])).toEqual(['model.proj.dim_customers.v1']);
    expect(run(['version:none'])).toEqual(['model.proj.other']);
  });
});

describe('selectNodes: graph operators', () => {
  it('adds all or n generations of parents', () => {
    expect(names({ select: ['+mart_velocity'], ...MODELS })).toEqual(['int_activity', 'mart_velocity', 'stg_commits', 'stg_users']);
    expect(names({ select: ['1+mart_velocity'], ...MODELS })).toEqual(['int_activity', 'mart_velocity']);
    expect(names({ select: ['2+mart_velocity'], defaultResourceTypes: ['model', 'seed'] })).toEqual(['int_activity', 'mart_velocity', 'stg_commits', 'stg_users']);
    expect(names({ select: ['3+mart_velocity'], defaultResourceTypes: ['model', 'seed'] })).toEqual(['countries', 'int_activity', 'mart_velocity', 'stg_commits', 'stg_users']);
  });

  it('adds all or n generations of children', () => {
    expect(names({ select: ['stg_users+'], defaultResourceTypes: ['model', 'snapshot'] })).toEqual(['int_activity', 'mart_users', 'mart_velocity', 'snap_users', 'stg_users']);
    expect(names({ select: ['stg_users+1'], defaultResourceTypes: ['model', 'snapshot'] })).toEqual(['int_activity', 'mart_users', 'snap_users', 'stg_users']);
    expect(names({ select: ['1+int_activity+1'], ...MODELS })).toEqual(['int_activity', 'mart_velocity', 'stg_commits', 'stg_users']);
  });

  it('@ adds descendants and the ancestors of those descendants', () => {
    // stg_users is no ancestor of stg_commits, but is a parent of its child int_activity
    expect(names({ select: ['@stg_commits'], ...MODELS })).toEqual(['int_activity', 'mart_velocity', 'stg_commits', 'stg_users']);
    expect(names({ select: ['@stg_commits'], defaultResourceTypes: ['seed', 'source'] })).toEqual(['countries', 'raw.commits', 'raw.users']);
  });

  it('selects the whole upstream with its tests for a build', () => {
    expect(names({ select: ['+mart_velocity'] })).toEqual([
      'assert_velocity_positive',
      'countries',
      'int_activity',
      'mart_velocity',
      'not_null_stg_commits_id',
      'raw.commits',
      'raw.users',
      'relationships_activity_commits',
      'relationships_commits_users',
      'source_not_null_raw_commits_id',
      'stg_commits',
      'stg_users',
      'unique_stg_users_id',
      'ut_velocity',
    ]);
  });
});

describe('selectNodes: set operators, exclude, resource types, warnings', () => {
  it('unions space-separated terms and list entries', () => {
    expect(names({ select: ['stg_commits mart_users'], ...MODELS })).toEqual(['mart_users', 'stg_commits']);
    expect(names({ select: ['stg_commits', 'mart_users'], ...MODELS })).toEqual(['mart_users', 'stg_commits']);
  });

  it('intersects comma-separated parts, including the tests each part pulls in', () => {
    expect(names({ select: ['staging,tag:nightly'], ...MODELS })).toEqual(['stg_commits']);
    expect(names({ select: ['+mart_velocity,tag:staging'], ...MODELS })).toEqual(['stg_commits', 'stg_users']);
    expect(names({ select: ['tag:nightly,config.materialized:table'] })).toEqual(['assert_velocity_positive', 'mart_velocity', 'ut_velocity']);
  });

  it('excludes nodes and, eagerly, their tests', () => {
    expect(names({ select: ['+mart_velocity'], exclude: ['stg_users'] })).toEqual([
      'assert_velocity_positive',
      'countries',
      'int_activity',
      'mart_velocity',
      'not_null_stg_commits_id',
      'raw.commits',
      'raw.users',
      'relationships_activity_commits',
      'source_not_null_raw_commits_id',
      'stg_commits',
      'ut_velocity',
    ]);
    expect(names({ exclude: ['tag:staging'], ...MODELS })).toEqual(['helper', 'int_activity', 'mart_users', 'mart_velocity']);
    expect(names({ select: ['staging'], exclude: ['stg_users'], ...TESTS })).toEqual(['not_null_stg_commits_id', 'relationships_activity_commits']);
  });

  it('filters by --resource-type within the command types', () => {
    expect(names({ resourceTypes: ['seed', 'snapshot'] })).toEqual(['countries', 'snap_users']);
    expect(names({ resourceTypes: ['test'], defaultResourceTypes: ['model', 'seed', 'snapshot', 'test', 'unit_test'] })).toEqual(ALL_TESTS);
    expect(names({ resourceTypes: ['all'], ...MODELS })).toHaveLength(6);
    expect(() => names({ resourceTypes: ['modle'] })).toThrowError(
      expect.objectContaining({ code: 'SELECTOR_INVALID', message: "Invalid resource type 'modle' in --resource-type." }),
    );
  });

  it('warns, with dbt\'s text, for each term that matches nothing', () => {
    expect(select({ select: ['nope', 'stg_commits'], exclude: ['ghost'], ...MODELS })).toEqual({
      names: ['stg_commits'],
      warnings: [
        "The selection criterion 'nope' does not match any enabled nodes",
        "The selection criterion 'ghost' does not match any enabled nodes",
      ],
    });
    expect(select({ select: ['stg_commits,tag:nope'], ...MODELS }).warnings).toEqual([
      "The selection criterion 'stg_commits,tag:nope' does not match any enabled nodes",
    ]);
  });

  it('does not warn when the match is only removed by the command resource types', () => {
    expect(select({ select: ['not_null_stg_commits_id'], ...MODELS })).toEqual({ names: [], warnings: [] });
  });
});

describe('selectNodes: indirect selection of tests', () => {
  it('eager (default) takes every test touching a selected node', () => {
    expect(names({ select: ['stg_commits'], ...TESTS })).toEqual([
      'not_null_stg_commits_id',
      'relationships_activity_commits',
      'relationships_commits_users',
    ]);
    expect(names({ select: ['stg_commits'] })).toEqual([
      'not_null_stg_commits_id',
      'relationships_activity_commits',
      'relationships_commits_users',
      'stg_commits',
    ]);
  });

  it('cautious takes a test only when all its parents are selected', () => {
    expect(names({ select: ['stg_commits'], indirectSelection: 'cautious', ...TESTS })).toEqual(['not_null_stg_commits_id']);
    // the relationships test joins once both parents are in the union
    expect(names({ select: ['stg_commits stg_users'], indirectSelection: 'cautious', ...TESTS })).toEqual([
      'not_null_stg_commits_id',
      'relationships_commits_users',
      'unique_stg_users_id',
    ]);
  });

  it('buildable also takes tests whose other parents are upstream of the selection', () => {
    expect(names({ select: ['int_activity'], indirectSelection: 'eager', ...TESTS })).toEqual(['relationships_activity_commits']);
    expect(names({ select: ['int_activity'], indirectSelection: 'cautious', ...TESTS })).toEqual([]);
    expect(names({ select: ['int_activity'], indirectSelection: 'buildable', ...TESTS })).toEqual(['relationships_activity_commits']);
    expect(names({ select: ['int_activity'], indirectSelection: 'empty', ...TESTS })).toEqual([]);
  });

  it('empty takes no attached tests at all', () => {
    expect(names({ select: ['stg_commits'], indirectSelection: 'empty' })).toEqual(['stg_commits']);
    // a unit test's fqn is [package, model, test], so the model's name matches it directly (not indirectly)
    expect(names({ select: ['mart_velocity'], indirectSelection: 'empty', ...TESTS })).toEqual(['ut_velocity']);
  });

  it('pulls in unit tests of a selected model', () => {
    expect(names({ select: ['mart_velocity'], ...TESTS })).toEqual(['assert_velocity_positive', 'ut_velocity']);
  });
});
