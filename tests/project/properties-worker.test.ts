/**
 * Properties files parsed on a worker thread (util/prefetched-yaml.ts, given
 * to readProperties by prefetchProperties) must give what a parse here
 * gives: the same index, the same warnings, and the same located errors in
 * the same order, for files the worker parses and for files it hands back
 * (a syntax error, YAML the block reader leaves to `yaml`).
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnYamlWorker } from '../../src/api/yaml-worker-spawn.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { emptyProperties, prefetchProperties, readProperties } from '../../src/project/properties.js';
import type { ProjectConfig } from '../../src/project/project-config.js';
import { offerEarlyYamlWorker, releaseEarlyYamlWorker, tookEarlyYamlWorker, type EarlyYamlWorker } from '../../src/util/early-yaml-worker.js';
import { forceYamlWorkerForTests, PrefetchedYaml, type YamlWorkerSpawn } from '../../src/util/prefetched-yaml.js';
import { BOOTSTRAP_SOURCE, moduleWorkerBoot } from '../../src/util/worker-boot.js';
import { makeProject } from '../support/project-fixture.js';

afterEach(() => {
  forceYamlWorkerForTests(false);
});

const FILES: Record<string, string> = {
  'models/a.yml': [
    'version: 2',
    'models:',
    '  - name: a',
    '    description: first',
    '    columns:',
    '      - name: id',
    '        tests: [unique, not_null]',
    '      - name: kind',
    '        data_tests:',
    '          - accepted_values:',
    '              values: ["x", "y"]',
    '              config: {severity: warn}',
    '    config: {tags: [t1]}',
    '    meta: {owner: me}',
    '  - name: b',
    '    tests:',
    '      - dbt_utils.expression_is_true:',
    '          expression: "id > 0"',
    '',
  ].join('\n'),
  // A key written twice: a warning with both lines.
  'models/b_dup.yml': 'version: 2\nmodels:\n  - name: c\n    description: one\n    description: two\n',
  // Anchors and aliases: declined by the block reader, parsed by `yaml` (here).
  'models/c_alias.yml': 'version: 2\nmodels:\n  - name: d\n    columns:\n      - &col\n        name: x\n        tests: [not_null]\n  - name: e\n    columns:\n      - *col\n',
  // A syntax error: located, from `yaml`.
  'models/d_broken.yml': 'version: 2\nmodels:\n  - name: f\n    columns: [a, b\n  - name: g\n',
  // An entry without a name and a test with a config key twice: schema errors, located.
  'models/e_schema.yml': 'version: 2\nmodels:\n  - description: nameless\n  - name: h\n    columns:\n      - name: id\n        tests:\n          - unique:\n              severity: warn\n              config: {severity: error}\n',
  'seeds/s.yml': 'version: 2\nseeds:\n  - name: s1\n    columns:\n      - name: v\n        tests: [not_null]\nsources:\n  - name: raw\n    tables:\n      - name: events\n        columns:\n          - name: id\n            tests: [unique]\n',
};

function config(dir: string): ProjectConfig {
  return { name: 'p', root: dir, modelPaths: ['models'], seedPaths: ['seeds'], snapshotPaths: ['snapshots'], analysisPaths: ['analyses'], macroPaths: ['macros'], testPaths: ['tests'] } as unknown as ProjectConfig;
}

/** readProperties over the project's files, the worker's results taken when `worker`. */
function read(dir: string, worker: boolean | YamlWorkerSpawn) {
  const c = config(dir);
  const prefetch = prefetchProperties([c], worker === true ? spawnYamlWorker : worker || undefined);
  const index = emptyProperties();
  const errors: TsdbtError[] = [];
  const warnings: string[] = [];
  readProperties(prefetch.files.get(c)!, c.name, index, errors, undefined, warnings, prefetch.parsed);
  prefetch.parsed?.close();
  const plain = (m: Map<string, { keyLine?: unknown }>) => [...m].map(([k, v]) => [k, { ...v, keyLine: undefined }]);
  return {
    index: JSON.stringify({ ...index, models: plain(index.models), seeds: plain(index.seeds), snapshots: plain(index.snapshots), analyses: plain(index.analyses), macros: plain(index.macros) }),
    errors: errors.map((e) => ({ code: e.code, message: e.message, file: e.file, line: e.line, column: e.column, hint: e.hint })),
    warnings,
  };
}

/** `run`'s result, and the paths whose parse a PrefetchedYaml gave from its worker meanwhile. */
function takingFromWorker<T>(run: () => T): { result: T; taken: string[] } {
  const take = PrefetchedYaml.prototype.take;
  const taken: string[] = [];
  const spy = vi.spyOn(PrefetchedYaml.prototype, 'take').mockImplementation(function (this: PrefetchedYaml, path: string) {
    const b = take.call(this, path);
    if (b) taken.push(path);
    return b;
  });
  try {
    return { result: run(), taken };
  } finally {
    spy.mockRestore();
  }
}

describe('properties parsed on a worker thread', () => {
  it('give the same index, warnings and located errors as a parse here', () => {
    const dir = makeProject(FILES);
    const here = read(dir, false);
    forceYamlWorkerForTests(true);
    const { result: there, taken } = takingFromWorker(() => read(dir, true));
    expect(there).toEqual(here);
    // The worker parsed every file the block reader reads; the alias file and the broken one were parsed here.
    expect(taken.map((p) => p.slice(dir.length + 1)).sort()).toEqual(['models/a.yml', 'models/b_dup.yml', 'models/e_schema.yml', 'seeds/s.yml']);
    expect(here.warnings).toEqual([expect.stringMatching(/^models\/b_dup\.yml:5: duplicate key 'description'/)]);
    expect(here.errors.map((e) => [e.code, e.file, e.line])).toEqual([
      ['YAML_SYNTAX', 'models/d_broken.yml', expect.any(Number)],
      ['YAML_SCHEMA', 'models/e_schema.yml', 3],
      ['YAML_SCHEMA', 'models/e_schema.yml', 8],
    ]);
    expect(JSON.parse(here.index).tests.length).toBeGreaterThan(5);
  }, 60_000);

  it('are parsed here when the worker is not given, or for files it was not given', () => {
    const dir = makeProject({ 'models/x.yml': 'version: 2\nmodels:\n  - name: x\n' });
    expect(prefetchProperties([config(dir)]).parsed).toBeUndefined();
    // Small files on an unforced start: not worth a worker.
    expect(prefetchProperties([config(dir)], spawnYamlWorker).parsed).toBeUndefined();
  });
});

/** A YAML worker started as bin/tsdbt.js starts one before the CLI loads: booted, waiting on a port for its files. */
function earlyYamlWorker(): EarlyYamlWorker {
  const { port1, port2 } = new MessageChannel();
  const boot = moduleWorkerBoot(new URL('../../src/api/yaml-parse-worker.ts', import.meta.url).href);
  const worker = new Worker(BOOTSTRAP_SOURCE, { eval: true, workerData: { waitOn: port2, entry: boot.entry, hooks: boot.hooks }, transferList: [port2] });
  worker.unref();
  const offer: EarlyYamlWorker = { worker, port: port1, failed: false };
  worker.on('exit', () => void (offer.failed = true));
  return offer;
}

describe('the YAML worker bin/tsdbt.js starts before the CLI loads (util/early-yaml-worker.ts)', () => {
  afterEach(() => {
    releaseEarlyYamlWorker();
    tookEarlyYamlWorker();
  });

  it('is the first prefetch\'s worker, sent its files then: the same index, warnings and errors as a parse here', () => {
    const dir = makeProject(FILES);
    const here = read(dir, false);
    const offer = earlyYamlWorker();
    offerEarlyYamlWorker(offer);
    forceYamlWorkerForTests(true);
    const spawned = vi.fn(spawnYamlWorker);
    const { result, taken } = takingFromWorker(() => read(dir, spawned));
    expect(result).toEqual(here);
    // As from a worker started then: every file the block reader reads came from it.
    expect(taken).toHaveLength(4);
    expect(spawned.mock.results[0]!.value).toBe(offer.worker);
    expect(tookEarlyYamlWorker()).toBe(true);
    expect(tookEarlyYamlWorker()).toBe(false);
  }, 60_000);

  it('one that stopped before it was taken is passed over: the prefetch starts a worker of its own', async () => {
    const offer = earlyYamlWorker();
    await offer.worker.terminate();
    expect(offer.failed).toBe(true);
    offerEarlyYamlWorker(offer);
    forceYamlWorkerForTests(true);
    const dir = makeProject({ 'models/x.yml': 'version: 2\nmodels:\n  - name: x\n    description: only\n' });
    const c = config(dir);
    const spawned = vi.fn(spawnYamlWorker);
    const prefetch = prefetchProperties([c], spawned);
    const worker = spawned.mock.results[0]!.value as Worker;
    expect(worker).not.toBe(offer.worker);
    expect(tookEarlyYamlWorker()).toBe(false);
    const index = emptyProperties();
    readProperties(prefetch.files.get(c)!, c.name, index, [], undefined, [], prefetch.parsed);
    prefetch.parsed?.close();
    expect(index.models.get('x')?.raw.description).toBe('only');
  }, 60_000);

  it('one the prefetch does not take (too little YAML for a worker) is ended', async () => {
    const offer = earlyYamlWorker();
    const exited = new Promise<number>((done) => offer.worker.once('exit', done));
    offerEarlyYamlWorker(offer);
    const dir = makeProject({ 'models/x.yml': 'version: 2\nmodels:\n  - name: x\n' });
    expect(prefetchProperties([config(dir)], spawnYamlWorker).parsed).toBeUndefined();
    await exited;
    expect(offer.failed).toBe(true);
    expect(tookEarlyYamlWorker()).toBe(false);
  }, 60_000);
});
