import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { writeManifest } from '../../src/artifacts/manifest-writer.js';
import { TsdbtError, TsdbtErrorList } from '../../src/errors/tsdbt-error.js';
import { readPythonModel } from '../../src/project/python-model.js';
import { makeProject } from '../support/project-fixture.js';

const parse = (dir: string) => parseLoaded(loadProject({ projectDir: dir, env: {} }));

/** The errors a parse of `dir` raises, formatted. */
function parseErrors(dir: string): string[] {
  try {
    parse(dir);
  } catch (e) {
    if (e instanceof TsdbtErrorList) return e.errors.map((x) => x.format());
    if (e instanceof TsdbtError) return [e.format()];
    throw e;
  }
  return [];
}

const MODEL = `# dbt.ref('in_a_comment') is not a call
import pandas as pd

def helper(frame):
    def model(x):  # a nested model function is not the model
        return x
    return frame

def model(dbt, session):
    """A docstring naming dbt.ref('in_a_docstring')."""
    dbt.config(materialized='incremental', tags=['py', "two"], meta={'owner': 'me', 'n': -2})
    upstream = dbt.ref("base").to_pandas()
    pinned = dbt.ref('base_v', v=1)
    other = dbt.ref('test_project', 'other')
    events = dbt.source('raw', 'events')
    limit = dbt.config.get('limit', 10)
    note = r'''triple \\ quoted
    dbt.ref('in_a_string')'''
    return upstream
`;

describe('Python models: parse', () => {
  it('are model nodes as dbt-core 1.10 writes them: language python, refs, sources and config from the dbt calls', () => {
    const dir = makeProject({
      'dbt_project.yml': 'name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nmodels:\n  test_project:\n    +materialized: view\n',
      'models/base.sql': 'select 1 as id',
      'models/other.sql': 'select 2 as id',
      'models/base_v_v1.sql': 'select 3 as id',
      'models/py/py_model.py': `\n\n${MODEL}\n`,
      'models/py/plain.py': 'def model(dbt, session):\n    return dbt.ref("base")\n',
      'models/props.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\nmodels:\n  - name: base_v\n    versions:\n      - v: 1\n',
    });
    const { manifest } = parse(dir);
    const json = JSON.parse(readFileSync(writeManifest(join(dir, 'target'), manifest), 'utf8'));
    const node = json.nodes['model.test_project.py_model'];
    expect(node).toEqual({
      unique_id: 'model.test_project.py_model',
      resource_type: 'model',
      package_name: 'test_project',
      name: 'py_model',
      path: 'py/py_model.py',
      original_file_path: 'models/py/py_model.py',
      fqn: ['test_project', 'py', 'py_model'],
      raw_code: MODEL.trim(),
      description: '',
      tags: ['py', 'two'],
      meta: { owner: 'me', n: -2 },
      alias: 'py_model',
      schema: 'main',
      database: 'memory',
      relation_name: '"memory"."main"."py_model"',
      config: expect.objectContaining({
        enabled: true,
        materialized: 'incremental',
        tags: ['py', 'two'],
        meta: { owner: 'me', n: -2 },
        config_keys_used: ['limit'],
        config_keys_defaults: [10],
      }),
      unrendered_config: { materialized: 'incremental', tags: ['py', 'two'], meta: { owner: 'me', n: -2 }, config_keys_used: ['limit'], config_keys_defaults: [10] },
      language: 'python',
      refs: [
        { name: 'base', package: null, version: null },
        { name: 'base_v', package: null, version: 1 },
        { name: 'other', package: 'test_project', version: null },
      ],
      sources: [['raw', 'events']],
      depends_on: { nodes: ['model.test_project.base', 'model.test_project.base_v.v1', 'model.test_project.other', 'source.test_project.raw.events'], macros: [] },
      columns: {},
      patch_path: null,
      docs: { show: true, node_color: null },
      checksum: { name: 'sha256', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
      access: 'protected',
      group: null,
      constraints: [],
      deprecation_date: null,
      time_spine: null,
      contract: { enforced: false, alias_types: true, checksum: null },
    });
    // dbt's checksum: sha256 of the file stripped of surrounding whitespace.
    expect(node.checksum.checksum).toBe(createHash('sha256').update(MODEL.trim()).digest('hex'));
    // A Python model is a table unless its properties say otherwise: over dbt_project.yml's `+materialized: view`.
    const plain = json.nodes['model.test_project.plain'];
    expect([plain.config.materialized, plain.unrendered_config, plain.language]).toEqual(['table', { materialized: 'table' }, 'python']);
  });

  it("a properties file's materialized wins over the Python default; the file's dbt.config() over both", () => {
    const dir = makeProject({
      'models/a.py': 'def model(dbt, session):\n    return session.sql("select 1")\n',
      'models/b.py': 'def model(dbt, session):\n    dbt.config(materialized="table")\n    return 1\n',
      'models/props.yml': 'version: 2\nmodels:\n  - name: a\n    config:\n      materialized: view\n  - name: b\n    config:\n      materialized: view\n',
    });
    const { manifest } = parse(dir);
    expect(manifest.nodes['model.test_project.a']!.config.materialized).toBe('view');
    expect(manifest.nodes['model.test_project.a']!.unrendered_config).toEqual({ materialized: 'view' });
    expect(manifest.nodes['model.test_project.b']!.config.materialized).toBe('table');
  });

  it('reports what dbt cannot parse, located in the file, every broken file at once', () => {
    const dir = makeProject({
      'models/ok.sql': 'select 1 as id',
      'models/var_arg.py': "\n# leading lines count\ndef model(dbt, session):\n    name = 'ok'\n    return dbt.ref(name)\n",
      'models/fstring.py': 'def model(dbt, session):\n    return dbt.source(f"raw", "t")\n',
      'models/expr.py': "def model(dbt, session):\n    dbt.config(materialized='ta' + 'ble')\n    return 1\n",
      'models/no_model.py': 'def transform(dbt, session):\n    return 1\n',
      'models/two_models.py': 'def model(dbt, session):\n    return 1\n\ndef model(dbt, session):\n    return 2\n',
      'models/bad_args.py': 'def model(session):\n    return 1\n',
      'models/jinja.py': 'def model(dbt, session):\n    return "{{ ref(\'ok\') }}"\n',
      'models/child.sql': "select * from {{ ref('var_arg') }}",
    });
    expect(parseErrors(dir).sort()).toEqual([
      "models/bad_args.py:1: Parsing Error in a Python model: the model function: its first argument must be named 'dbt'; it must take two arguments, dbt and session, not 1\n  define it as `def model(dbt, session):`",
      'models/expr.py:2: Parsing Error in a Python model: the arguments of dbt.config() must be Python literals (strings, numbers, True, False, None, and lists, tuples and dicts of them), found `+`\n  write the value itself in the call (dbt reads these calls without running the file)',
      'models/fstring.py:2: Parsing Error in a Python model: the arguments of dbt.source() must be Python literals (strings, numbers, True, False, None, and lists, tuples and dicts of them), found the f-string f"raw"\n  write the value itself in the call (dbt reads these calls without running the file)',
      'models/jinja.py:2: Parsing Error in a Python model: Jinja is not allowed in a Python model (dbt renders the file as Jinja and requires it unchanged)\n  remove the `{{`, `{%` or `{#` (in an f-string, build the braces another way)',
      'models/no_model.py: Parsing Error in a Python model: dbt allows exactly one model function per Python file, found 0\n  define one top-level `def model(dbt, session):` that returns a dataframe',
      'models/two_models.py:1: Parsing Error in a Python model: dbt allows exactly one model function per Python file, found 2\n  define one top-level `def model(dbt, session):` that returns a dataframe',
      'models/var_arg.py:5: Parsing Error in a Python model: the arguments of dbt.ref() must be Python literals (strings, numbers, True, False, None, and lists, tuples and dicts of them), found `name`\n  write the value itself in the call (dbt reads these calls without running the file)',
    ]);
  });
});

describe('Python models: the token scanner', () => {
  const read = (src: string) => {
    const r = readPythonModel(src, 'models/m.py');
    if (r instanceof TsdbtError) throw r;
    return r;
  };

  it('reads literals of every kind: prefixed and adjacent strings, escapes, numbers, nested containers', () => {
    const r = read(
      "def model(dbt, session):\n    dbt.config(a=b'x', b=R'\\d', c='it''s', d=\"\\tq\\\"\", e=0x1F, f=1_000, g=2.5e1, h=(1,), i=(2), j={'k': [None, True, False]}, l=u'\\u00e9')\n    return 1\n",
    );
    expect(r.configCalls).toEqual([{ a: 'x', b: '\\d', c: 'its', d: '\tq"', e: 31, f: 1000, g: 25, h: [1], i: 2, j: { k: [null, true, false] }, l: 'é' }]);
  });

  it('finds dbt calls in chained expressions, call arguments, lambdas and across lines; not attributes of other objects', () => {
    const r = read(
      [
        'def model(dbt, session):',
        '    a = dbt.ref("a").filter(x > 1)',
        '    b = pd.concat([dbt.ref(',
        '        "b",',
        '    ), dbt.source("s", "t")])',
        '    self.dbt.ref("not_dbt")',
        '    c = other.dbt.source("no", "pe")',
        '    dbt.config(materialized="table", # a comment inside the call',
        '               tags=["x"])',
        '    return a',
      ].join('\n'),
    );
    expect(r.refs).toEqual([
      { name: 'a', package: null, version: null },
      { name: 'b', package: null, version: null },
    ]);
    expect(r.sources).toEqual([['s', 't']]);
    expect(r.configCalls).toEqual([{ materialized: 'table', tags: ['x'] }]);
  });

  it("finds dbt calls in an f-string's fields, as dbt does", () => {
    const r = read(`def model(dbt, session):\n    return session.sql(f"""select *\n  from {dbt.ref('a')} join {dbt.source("s", "t")!s:>5}""")\n`);
    expect([r.refs, r.sources]).toEqual([[{ name: 'a', package: null, version: null }], [['s', 't']]]);
    const bad = readPythonModel(`def model(dbt, session):\n    return session.sql(f"""select *\n  from {dbt.ref(name)}""")\n`, 'models/m.py');
    expect(bad instanceof TsdbtError ? [bad.line, bad.message] : bad).toEqual([3, 'Parsing Error in a Python model: the arguments of dbt.ref() must be Python literals (strings, numbers, True, False, None, and lists, tuples and dicts of them), found `name`']);
  });

  it('an empty file (comments only) is not checked for a model function, as dbt', () => {
    expect(read('# nothing yet\n')).toEqual({ refs: [], sources: [], configCalls: [] });
  });

  it('an unterminated string, and wrong arity of dbt calls, are errors on their line', () => {
    const err = (src: string) => {
      const r = readPythonModel(src, 'models/m.py');
      return r instanceof TsdbtError ? `${r.line}: ${r.message}` : 'no error';
    };
    expect(err("def model(dbt, session):\n    x = 'open\n    return 1\n")).toBe('2: Parsing Error in a Python model: a string that does not end');
    expect(err('def model(dbt, session):\n    return dbt.source("only_one")\n')).toBe('2: Parsing Error in a Python model: dbt.source() takes a source name and a table name, as strings');
    expect(err('def model(dbt, session):\n    return dbt.config.get()\n')).toBe('2: Parsing Error in a Python model: dbt.config.get() needs at least one argument, the config key');
    expect(err('def model(dbt, session):\n    return dbt.config.get("a", 1, 2)\n')).toBe('2: Parsing Error in a Python model: dbt.config.get() takes at most 2 arguments (3 given)');
  });
});
