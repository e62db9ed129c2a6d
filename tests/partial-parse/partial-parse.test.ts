import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { PARSE_CACHE_FILE } from '../../src/api/parse-cache.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { writeManifest } from '../../src/artifacts/manifest-writer.js';
import { makeProject } from '../support/project-fixture.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';

/** A small project touching what partial parsing must get right: refs, macros, YAML, vars, env vars, a package. */
const BASE: Record<string, string> = {
  'dbt_project.yml': 'name: pp\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nvars:\n  flavour: plain\nmodels:\n  pp:\n    +materialized: view\n',
  'macros/cents.sql': '{% macro cents(col) %}({{ col }} * 100){% endmacro %}\n',
  'macros/label.sql': "{% macro label() %}{{ return('lbl_' ~ var('flavour')) }}{% endmacro %}\n",
  'models/base_a.sql': 'select 1 as id, 2 as amount\n',
  'models/base_b.sql': "{{ config(tags=['b']) }}\nselect 2 as id, 3 as amount\n",
  'models/mid.sql': "select id, {{ cents('amount') }} as c from {{ ref('base_a') }}\nunion all\nselect id, amount from {{ ref('base_b') }}\n",
  'models/env_model.sql': "{{ config(alias=env_var('PP_ALIAS', 'env_model')) }}\nselect * from {{ ref('mid') }}\n",
  'models/var_model.sql': "{{ config(tags=[label()]) }}\nselect '{{ var(\"flavour\") }}' as f\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: mid\n    description: the middle\n    columns:\n      - name: id\n        tests: [not_null, unique]\n  - name: base_a\n    columns:\n      - name: id\n        tests:\n          - relationships:\n              to: ref(\'base_b\')\n              field: id\n',
  'tests/assert_mid.sql': "select * from {{ ref('mid') }} where id < 0\n",
  // A macro reached only through another (and through adapter.dispatch): its change must re-parse tagged.
  'macros/outer.sql': "{% macro outer_tag() %}{{ return(adapter.dispatch('inner_tag')()) }}{% endmacro %}\n",
  'macros/inner.sql': "{% macro default__inner_tag() %}{{ return('t1') }}{% endmacro %}\n",
  'models/tagged.sql': "{{ config(tags=[outer_tag(), env_var('PP_TAG', 'none')]) }}\nselect * from {{ ref('base_a') }}\n",
  // A custom generic test (its macro runs at parse, outside any node file).
  'tests/generic/is_positive.sql': '{% test is_positive(model, column_name) %}{{ config(severity="warn") }}select * from {{ model }} where {{ column_name }} < 0{% endtest %}\n',
  'models/more.yml': 'version: 2\nmodels:\n  - name: tagged\n    columns:\n      - name: id\n        tests: [is_positive]\n',
  'models/docs.md': '{% docs mid_doc %}Middle docs{% enddocs %}\n',
  'dbt_packages/pkg/dbt_project.yml': 'name: pkg\nversion: "1.0.0"\nconfig-version: 2\n',
  'dbt_packages/pkg/macros/pkg_macro.sql': '{% macro pkg_macro() %}42{% endmacro %}\n',
  'dbt_packages/pkg/models/pkg_model.sql': 'select {{ pkg_macro() }} as answer\n',
};

/** One random edit of the project, or of the invocation (vars, env). */
type Edit = (s: Session, rand: () => number) => string;

interface Session {
  dir: string;
  vars?: string;
  env: Record<string, string | undefined>;
  modelCount: number;
}

let clock = 0;
/** Writes a file with a modification time of its own, well in the past (so unchanged files are trusted on stat). */
function put(dir: string, rel: string, text: string): void {
  const path = join(dir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const t = (Date.now() - 60_000 + clock++) / 1000;
  utimesSync(path, t, t);
}

const pick = <T>(xs: T[], rand: () => number): T => xs[Math.floor(rand() * xs.length)]!;
const appendTo = (s: Session, rel: string, text: string) => put(s.dir, rel, readFileSync(join(s.dir, rel), 'utf8') + text);

const EDITS: Edit[] = [
  // change a model's body (the partial path)
  (s, r) => {
    const m = pick(['base_a', 'base_b', 'mid', 'env_model'], r);
    appendTo(s, `models/${m}.sql`, `-- edit ${clock}\n`);
    return `change model ${m}`;
  },
  // change a model's refs
  (s, r) => {
    put(s.dir, 'models/mid.sql', r() < 0.5 ? "select id, amount from {{ ref('base_a') }}\n" : "select id, {{ cents('amount') }} as c from {{ ref('base_b') }}\n");
    return 'change refs of mid';
  },
  // change a model's config
  (s, r) => {
    put(s.dir, 'models/base_b.sql', `{{ config(tags=['b${Math.floor(r() * 3)}'], materialized='${pick(['view', 'table'], r)}') }}\nselect 2 as id, 3 as amount\n`);
    return 'change config of base_b';
  },
  // add a model
  (s) => {
    const n = s.modelCount++;
    put(s.dir, `models/extra_${n}.sql`, `select * from {{ ref('base_a') }} -- ${n}\n`);
    return `add extra_${n}`;
  },
  // delete a model (one added earlier)
  (s) => {
    for (let i = s.modelCount - 1; i >= 0; i--) {
      const path = join(s.dir, `models/extra_${i}.sql`);
      if (existsSync(path)) {
        unlinkSync(path);
        return `delete extra_${i}`;
      }
    }
    return 'nothing to delete';
  },
  // change a macro
  (s, r) => {
    put(s.dir, 'macros/cents.sql', `{% macro cents(col) %}({{ col }} * ${pick([100, 1000, 10], r)}){% endmacro %}\n`);
    return 'change macro cents';
  },
  // change a YAML property
  (s, r) => {
    const text = readFileSync(join(s.dir, 'models/schema.yml'), 'utf8').replace(/description: .*/, `description: ${pick(['the middle', '"{{ doc(\'mid_doc\') }}"', 'another'], r)}`);
    put(s.dir, 'models/schema.yml', text);
    return 'change YAML description';
  },
  // a var on the command line
  (s, r) => {
    s.vars = r() < 0.3 ? undefined : `{flavour: ${pick(['salty', 'sweet'], r)}}`;
    return `--vars ${s.vars ?? '(none)'}`;
  },
  // an env var read at parse
  (s, r) => {
    s.env = { ...s.env, PP_ALIAS: r() < 0.3 ? undefined : pick(['alias_one', 'alias_two'], r) };
    return `PP_ALIAS=${s.env.PP_ALIAS ?? '(unset)'}`;
  },
  // dbt_project.yml
  (s, r) => {
    put(s.dir, 'dbt_project.yml', BASE['dbt_project.yml']!.replace('flavour: plain', `flavour: ${pick(['plain', 'bitter'], r)}`).replace('+materialized: view', `+materialized: ${pick(['view', 'table'], r)}`));
    return 'change dbt_project.yml';
  },
  // a package's file
  (s, r) => {
    if (r() < 0.5) put(s.dir, 'dbt_packages/pkg/macros/pkg_macro.sql', `{% macro pkg_macro() %}${Math.floor(r() * 100)}{% endmacro %}\n`);
    else put(s.dir, 'dbt_packages/pkg/models/pkg_model.sql', `select {{ pkg_macro() }} as answer, ${Math.floor(r() * 100)} as more\n`);
    return 'change package file';
  },
  // a macro reached through another macro and a dispatch
  (s, r) => {
    put(s.dir, 'macros/inner.sql', `{% macro default__inner_tag() %}{{ return('t${Math.floor(r() * 4)}') }}{% endmacro %}\n`);
    return 'change a macro the models reach through another';
  },
  // add or delete a macro (in a file of its own or beside another)
  (s, r) => {
    const roll = r();
    if (roll < 0.3) put(s.dir, 'macros/added.sql', `{% macro added_${Math.floor(r() * 3)}() %}1{% endmacro %}\n`);
    else if (roll < 0.5) rmSync(join(s.dir, 'macros/added.sql'), { force: true });
    else if (roll < 0.7) put(s.dir, 'macros/inner.sql', "{% macro default__inner_tag() %}{{ return('t1') }}{% endmacro %}\n{% macro duckdb__inner_tag() %}{{ return('duck') }}{% endmacro %}\n");
    else put(s.dir, 'macros/inner.sql', BASE['macros/inner.sql']!);
    return 'add or delete a macro';
  },
  // change the custom generic test
  (s, r) => {
    put(s.dir, 'tests/generic/is_positive.sql', `{% test is_positive(model, column_name) %}{{ config(severity="${pick(['warn', 'error'], r)}") }}select * from {{ model }} where {{ column_name }} < ${Math.floor(r() * 3)}{% endtest %}\n`);
    return 'change a generic test macro';
  },
  // tests added or removed in YAML, a properties file added or deleted
  (s, r) => {
    const roll = r();
    if (roll < 0.3) put(s.dir, 'models/more.yml', 'version: 2\nmodels:\n  - name: tagged\n    description: tagged model\n    columns:\n      - name: id\n        tests: [is_positive, not_null]\n');
    else if (roll < 0.5) put(s.dir, 'models/more.yml', BASE['models/more.yml']!);
    else if (roll < 0.7) rmSync(join(s.dir, 'models/more.yml'), { force: true });
    else put(s.dir, 'models/extra.yml', `version: 2\nmodels:\n  - name: base_b\n    description: b ${Math.floor(r() * 9)}\n`);
    return 'change tests in YAML or add/delete a YAML file';
  },
  // several kinds at once: a macro, an env var and a properties file
  (s, r) => {
    put(s.dir, 'macros/inner.sql', `{% macro default__inner_tag() %}{{ return('m${Math.floor(r() * 4)}') }}{% endmacro %}\n`);
    s.env = { ...s.env, PP_TAG: pick(['x', 'y', 'z'], r) };
    put(s.dir, 'models/extra.yml', `version: 2\nmodels:\n  - name: base_b\n    description: t ${Math.floor(r() * 9)}\n`);
    return 'change a macro, an env var and a YAML file together';
  },
  // a model that refs one the edits add and delete (an error while extra_0 is missing)
  (s, r) => {
    if (r() < 0.5) put(s.dir, 'models/needs_extra.sql', "select * from {{ ref('extra_0') }}\n");
    else rmSync(join(s.dir, 'models/needs_extra.sql'), { force: true });
    return 'add or delete a model that refs extra_0';
  },
  // an env var read by one model's config
  (s, r) => {
    s.env = { ...s.env, PP_TAG: r() < 0.3 ? undefined : pick(['x', 'y'], r) };
    return `PP_TAG=${s.env.PP_TAG ?? '(unset)'}`;
  },
  // a singular test
  (s) => {
    appendTo(s, 'tests/assert_mid.sql', `-- ${clock}\n`);
    return 'change singular test';
  },
];

/** manifest.json of a parse, without the per-invocation fields, and its warnings. */
function parseOnce(s: Session, partialParse: boolean, debug: string[] = []): { manifest: string; warnings: string[]; refsAt: string } {
  const loaded = loadProject({ projectDir: s.dir, profilesDir: s.dir, vars: s.vars, env: s.env, partialParse, logger: { info: () => {}, warn: () => {}, debug: (m) => debug.push(m) } });
  let result: ReturnType<typeof parseLoaded>;
  try {
    result = parseLoaded(loaded, { flags: { WHICH: 'parse' } });
  } catch (e) {
    // A parse that fails must fail the same way with and without the cache.
    if (!(e instanceof TsdbtError)) throw e;
    return { manifest: `error: ${e.format()}`, warnings: [], refsAt: '' };
  }
  const { manifest, warnings } = result;
  const out = mkdtempSync(join(s.dir, 'out-'));
  const text = readFileSync(writeManifest(out, manifest), 'utf8');
  rmSync(out, { recursive: true, force: true });
  const parsed = JSON.parse(text) as { metadata: Record<string, unknown> };
  delete parsed.metadata.generated_at;
  delete parsed.metadata.invocation_id;
  // Where each ref was written (errors such as cycles point there); not part of manifest.json.
  const refsAt = JSON.stringify(Object.values(manifest.nodes).map((n) => [n.unique_id, n.refs.map((r) => r.at && { file: r.at.file, line: r.at.line })]));
  return { manifest: JSON.stringify(parsed), warnings, refsAt };
}

function newSession(): Session {
  const dir = makeProject({});
  for (const [rel, text] of Object.entries(BASE)) put(dir, rel, text);
  return { dir, env: {}, modelCount: 0 };
}

describe('partial parsing: the cached manifest equals a full parse after any edits', () => {
  const totals = { partial: 0, hit: 0, full: 0, reused: 0, errors: 0 };
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}`, () => {
      let state = seed * 7919;
      const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
      const s = newSession();
      const paths = { partial: 0, hit: 0, full: 0, reused: 0, errors: 0 };
      for (let step = 0; step < 18; step++) {
        const what = step === 0 ? 'cold' : EDITS[Math.floor(rand() * EDITS.length)]!(s, rand);
        const debug: string[] = [];
        const cached = parseOnce(s, true, debug);
        const full = parseOnce(s, false);
        expect(cached.manifest, `after step ${step}: ${what}`).toBe(full.manifest);
        expect(cached.warnings, `after step ${step}: ${what}`).toEqual(full.warnings);
        expect(cached.refsAt, `after step ${step}: ${what}`).toBe(full.refsAt);
        if (debug.some((d) => d.startsWith('Reused '))) paths.reused++;
        if (full.manifest.startsWith('error: ')) paths.errors++;
        if (debug.some((d) => d.startsWith('Unable to do partial parsing'))) paths.full++;
        else if (debug.some((d) => d.startsWith('Partial parsing enabled'))) paths.partial++;
        else paths.hit++;
        // Nothing changed since: the next parse reuses the cache whole.
        const again: string[] = [];
        expect(parseOnce(s, true, again).manifest, `reuse after step ${step}: ${what}`).toBe(full.manifest);
        // (A parse that failed wrote no cache: the next one starts from the last good one.)
        if (!full.manifest.startsWith('error: ')) expect(again.filter((d) => /partial pars/i.test(d))).toEqual([]);
      }
      for (const k of Object.keys(paths) as (keyof typeof paths)[]) totals[k] += paths[k];
    });
  }

  it('the seeds took every path: reuse, partial update, full parse reusing renders, full parse, errors', () => {
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) expect(totals[k], k).toBeGreaterThan(0);
  });

  it('re-parses only the changed model, through the partial path', () => {
    const s = newSession();
    parseOnce(s, true);
    appendTo(s, 'models/mid.sql', 'where id > 0\n');
    const debug: string[] = [];
    const cached = parseOnce(s, true, debug);
    expect(debug).toEqual(['Partial parsing enabled: 0 files deleted, 0 files added, 1 files changed.']);
    expect(cached.manifest).toBe(parseOnce(s, false).manifest);
    expect(cached.manifest).toContain('where id > 0');
  });

  it('a Python model is added, changed, broken, mended and deleted as a SQL model is', () => {
    const s = newSession();
    parseOnce(s, true);
    const step = (what: string, expected: string[]) => {
      const debug: string[] = [];
      const cached = parseOnce(s, true, debug);
      const full = parseOnce(s, false);
      expect(cached.manifest, what).toBe(full.manifest);
      expect(cached.refsAt, what).toBe(full.refsAt);
      expect(debug.filter((d) => /partial pars/i.test(d)), what).toEqual(expected);
      return cached.manifest;
    };
    put(s.dir, 'models/py_one.py', "def model(dbt, session):\n    return dbt.ref('base_a')\n");
    put(s.dir, 'models/after_py.sql', "select * from {{ ref('py_one') }}\n");
    const added = step('added', ['Partial parsing enabled: 0 files deleted, 2 files added, 0 files changed.', 'Unable to do partial parsing because files were added or deleted']);
    expect(added).toContain('"language":"python"');
    expect(added).toContain('"depends_on":{"nodes":["model.pp.base_a"],"macros":[]}');
    put(s.dir, 'models/py_one.py', "def model(dbt, session):\n    dbt.config(tags=['py'])\n    return dbt.ref('base_b')\n");
    const changed = step('changed', ['Partial parsing enabled: 0 files deleted, 0 files added, 1 files changed.']);
    expect(changed).toContain('"depends_on":{"nodes":["model.pp.base_b"],"macros":[]}');
    expect(changed).toContain('"tags":["py"]');
    put(s.dir, 'models/py_one.py', "def model(dbt, session):\n    t = 'base_b'\n    return dbt.ref(t)\n");
    // As a SQL model's error: the partial parse gives way to a full one, which reports it.
    expect(step('broken', ['Partial parsing enabled: 0 files deleted, 0 files added, 1 files changed.', `Unable to do partial parsing because ${join(s.dir, 'models/py_one.py')} has errors`])).toMatch(/^error: models\/py_one\.py:3: Parsing Error in a Python model: the arguments of dbt\.ref\(\) must be Python literals/);
    put(s.dir, 'models/py_one.py', "def model(dbt, session):\n    return dbt.ref('base_a')\n");
    expect(step('mended', ['Partial parsing enabled: 0 files deleted, 0 files added, 1 files changed.'])).toBe(added);
    unlinkSync(join(s.dir, 'models/py_one.py'));
    unlinkSync(join(s.dir, 'models/after_py.sql'));
    expect(step('deleted', ['Partial parsing enabled: 2 files deleted, 0 files added, 0 files changed.', 'Unable to do partial parsing because files were added or deleted'])).not.toContain('py_one');
  });

  it('an edit of dbt_project.yml that renders the same still forces a full parse', () => {
    const s = newSession();
    parseOnce(s, true);
    appendTo(s, 'dbt_project.yml', '# a comment\n');
    const debug: string[] = [];
    parseOnce(s, true, debug);
    expect(debug.find((d) => d.startsWith('Unable to do partial parsing'))).toBe(`Unable to do partial parsing because ${join(s.dir, 'dbt_project.yml')} is not a model, analysis or singular test file`);
  });

  it('variables parse never reads by name may change (the environment is scanned for DBT_ENV_CUSTOM_ENV_ only)', () => {
    const s = newSession();
    s.env = { UNRELATED: 'one' };
    parseOnce(s, true);
    s.env = { UNRELATED: 'two' };
    const debug: string[] = [];
    parseOnce(s, true, debug);
    expect(debug).toEqual([]);
  });

  it('a changed env var that renames a node forces a full parse', () => {
    const s = newSession();
    parseOnce(s, true);
    s.env = { PP_ALIAS: 'renamed' };
    const debug: string[] = [];
    const cached = parseOnce(s, true, debug);
    expect(debug).toContain(`Unable to do partial parsing because ${join(s.dir, 'models/env_model.sql')} changed what other nodes see of it`);
    expect(cached.manifest).toContain('"alias":"renamed"');
  });

  it('a changed env var re-parses only the files that read it', () => {
    const s = newSession();
    parseOnce(s, true);
    s.env = { PP_TAG: 'fresh' };
    const debug: string[] = [];
    const cached = parseOnce(s, true, debug);
    expect(debug).toEqual(['Partial parsing enabled: 0 files deleted, 0 files added, 0 files changed.']);
    expect(cached.manifest).toBe(parseOnce(s, false).manifest);
    expect(cached.manifest).toContain('"tags":["t1","fresh"]');
  });

  it('a macro change re-parses the models that reach it through other macros and dispatch', () => {
    const s = newSession();
    parseOnce(s, true);
    put(s.dir, 'macros/inner.sql', "{% macro default__inner_tag() %}{{ return('t9') }}{% endmacro %}\n");
    const debug: string[] = [];
    const cached = parseOnce(s, true, debug);
    expect(debug).toEqual(['Partial parsing enabled: 0 files deleted, 0 files added, 1 files changed.']);
    expect(cached.manifest).toBe(parseOnce(s, false).manifest);
    expect(cached.manifest).toContain('"tags":["t9","none"]');
    expect(cached.manifest).toContain("return('t9')");
  });

  it('a changed generic test macro forces a full parse', () => {
    const s = newSession();
    parseOnce(s, true);
    put(s.dir, 'tests/generic/is_positive.sql', '{% test is_positive(model, column_name) %}{{ config(severity="error") }}select 1{% endtest %}\n');
    const debug: string[] = [];
    const cached = parseOnce(s, true, debug);
    expect(debug).toContain('Unable to do partial parsing because macro.pp.test_is_positive changed and generic tests or naming macros run it');
    expect(cached.manifest).toBe(parseOnce(s, false).manifest);
  });
});

describe('a parse cache that cannot be trusted is ignored', () => {
  const cases: [string, (path: string) => void, string][] = [
    ['truncated', (p) => writeFileSync(p, readFileSync(p).subarray(0, 300)), 'the saved manifest could not be read'],
    ['garbage', (p) => writeFileSync(p, 'not a cache at all'), 'the saved manifest could not be read'],
    ['empty', (p) => writeFileSync(p, ''), 'the saved manifest could not be read'],
    ['from another tsdbt version', (p) => {
      const text = readFileSync(p, 'utf8');
      const eol = text.indexOf('\n');
      const header = JSON.parse(text.slice(0, eol)) as Record<string, unknown>;
      writeFileSync(p, `${JSON.stringify({ ...header, build: '0.0.1+0' })}\n${text.slice(eol + 1)}`);
    }, 'of a version mismatch'],
    ['with a corrupted body', (p) => {
      const bytes = Buffer.from(readFileSync(p));
      const eol = bytes.indexOf(10);
      for (let i = eol + 20; i < bytes.length; i += 7) bytes[i] = 0xff;
      writeFileSync(p, bytes);
    }, 'the saved manifest could not be read'],
  ];
  for (const [name, spoil, reason] of cases) {
    it(name, () => {
      const s = newSession();
      const first = parseOnce(s, true);
      const path = join(s.dir, 'target', PARSE_CACHE_FILE);
      expect(existsSync(path)).toBe(true);
      spoil(path);
      const debug: string[] = [];
      const again = parseOnce(s, true, debug);
      expect(again.manifest).toBe(first.manifest);
      expect(debug.find((d) => d.startsWith('Unable to do partial parsing'))).toContain(reason);
      // The full parse wrote a good cache again.
      const third: string[] = [];
      expect(parseOnce(s, true, third).manifest).toBe(first.manifest);
      expect(third).toEqual([]);
    });
  }

  it('--no-partial-parse neither reads nor writes it', () => {
    const s = newSession();
    parseOnce(s, false);
    expect(existsSync(join(s.dir, 'target', PARSE_CACHE_FILE))).toBe(false);
  });
});
