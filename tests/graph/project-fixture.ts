import { buildGraph, selectNodes, type SelectOptions } from '../../src/graph/index.js';
import type { Manifest } from '../../src/manifest/types.js';
import { ManifestBuilder } from './manifest-builder.js';

/**
 * A small project used by the selection tests:
 *
 *   raw.commits -> stg_commits ─┐
 *   raw.users ──> stg_users ────┼-> int_activity -> mart_velocity -> exposure dash
 *   countries ──┘      │        │
 *                      ├-> mart_users (incremental)
 *                      └-> snap_users
 *   pkg2: helper (unrelated)
 *
 * Tests: not_null_stg_commits_id, unique_stg_users_id,
 * relationships_commits_users (stg_commits + stg_users),
 * relationships_activity_commits (int_activity + stg_commits),
 * assert_velocity_positive (singular, on mart_velocity),
 * source_not_null_raw_commits_id (on the source), unit test ut_velocity.
 */
export function projectManifest(): Manifest {
  return new ManifestBuilder('proj')
    .source('raw', 'commits', { file: 'models/staging/sources.yml', tags: ['raw'] })
    .source('raw', 'users', { file: 'models/staging/sources.yml' })
    .seed('countries')
    .model('stg_commits', { sources: ['raw.commits'], path: 'staging/stg_commits.sql', tags: ['staging', 'nightly'] })
    .model('stg_users', {
      sources: ['raw.users'],
      refs: ['countries'],
      path: 'staging/stg_users.sql',
      tags: ['staging'],
      patchPath: 'proj://models/staging/_models.yml',
    })
    .model('int_activity', { refs: ['stg_commits', 'stg_users'], path: 'intermediate/int_activity.sql', config: { materialized: 'ephemeral' } })
    .model('mart_velocity', {
      refs: ['int_activity'],
      path: 'marts/mart_velocity.sql',
      tags: ['nightly'],
      config: { materialized: 'table', meta: { owner: 'alice' }, contract: { enforced: true }, group: 'finance' },
    })
    .model('mart_users', { refs: ['stg_users'], path: 'marts/mart_users.sql', config: { materialized: 'incremental', unique_key: ['id', 'day'] } })
    .snapshot('snap_users', { refs: ['stg_users'], path: 'snap_users.sql' })
    .model('helper', { package: 'pkg2', path: 'helper.sql' })
    .test('not_null_stg_commits_id', { on: ['stg_commits'], generic: 'not_null' })
    .test('unique_stg_users_id', { on: ['stg_users'], generic: 'unique', config: { severity: 'warn' } })
    .test('relationships_commits_users', { on: ['stg_commits', 'stg_users'], generic: 'relationships' })
    .test('relationships_activity_commits', { on: ['int_activity', 'stg_commits'], generic: 'relationships' })
    .test('assert_velocity_positive', { on: ['mart_velocity'], tags: ['nightly'] })
    .test('source_not_null_raw_commits_id', { on: ['source:raw.commits'], generic: 'not_null' })
    .unitTest('ut_velocity', 'mart_velocity')
    .exposure('dash', ['mart_velocity'])
    .build();
}

const manifest = projectManifest();
export const graph = buildGraph(manifest);

/** Short, readable names for assertions: node names, `raw.commits` for sources, `exposure:dash`. */
export function shortName(id: string): string {
  const m = graph.member(id)!;
  if (m.resource_type === 'source') return `${(m as { source_name: string }).source_name}.${m.name}`;
  if (m.resource_type === 'exposure') return `exposure:${m.name}`;
  return m.name;
}

/** Run a selection over the fixture and return sorted short names plus warnings. */
export function select(opts: SelectOptions): { names: string[]; warnings: string[] } {
  const { selected, warnings } = selectNodes(manifest, graph, opts);
  return { names: [...selected].map(shortName).sort(), warnings };
}

export function names(opts: SelectOptions): string[] {
  return select(opts).names;
}

export { manifest };
