/**
 * The sandbox end to end: escapes in a model and in an installed package's
 * macro fail parse, ls and compile with a located SecurityError and no code
 * run; dbt's context objects show no JavaScript internals.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { captureStreams, makeProject } from '../../support/project-fixture.js';
import { renderInProject } from '../../support/render-in-project.js';

const g = globalThis as { __tsdbtCanary?: unknown };
afterEach(() => expect(g.__tsdbtCanary).toBeUndefined());

const RUN = "'globalThis.__tsdbtCanary = 1; return process.pid'";

async function cli(args: string[], dir: string): Promise<{ code: number; out: string }> {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir], io.streams, {});
  return { code, out: io.stdout.join('') + io.stderr.join('') };
}

describe('sandbox in a project', () => {
  it.each(['parse', 'ls', 'compile'])('%s refuses an escape in a model, located', async (cmd) => {
    const dir = makeProject({ 'models/evil.sql': `select 1 as x\n-- {{ (range | attr('constructor'))(${RUN})() }}\n` });
    const { code, out } = await cli([cmd], dir);
    expect(code).not.toBe(0);
    expect(out).toContain("models/evil.sql:2");
    expect(out).toContain("SecurityError: access to attribute 'constructor' of 'function' object is unsafe.");
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('refuses an escape from an installed package macro called by a model', async () => {
    const dir = makeProject({
      'models/uses.sql': "select {{ evil_pkg.helper() }} as x",
      'dbt_packages/evil_pkg/dbt_project.yml': 'name: evil_pkg\nversion: "1.0.0"\nconfig-version: 2\n',
      'dbt_packages/evil_pkg/macros/helper.sql': `{% macro helper() %}\n{{ [range] | map(attribute='constructor') | map('attr', 'call') | list }}1\n{% endmacro %}`,
    });
    const { code, out } = await cli(['compile'], dir);
    expect(code).not.toBe(0);
    expect(out).toContain('macros/helper.sql:2');
    expect(out).toContain("SecurityError: access to attribute 'constructor' of 'function' object is unsafe.");
  });

  it.each([
    ['adapter.constructor', 'constructor'],
    ['adapter.dispatch.constructor', 'constructor'],
    ['api.Relation.create.constructor', 'constructor'],
    ['this.constructor', 'constructor'],
    ['this.__proto__', '__proto__'],
    ['exceptions.raise_compiler_error.constructor', 'constructor'],
    ['ref.constructor', 'constructor'],
    ['source.call', 'call'],
    ['config.get.constructor', 'constructor'],
    ['var.constructor', 'constructor'],
    ['env_var.bind', 'bind'],
    ['target.constructor', 'constructor'],
    ['graph.constructor', 'constructor'],
    ['modules.datetime.constructor', 'constructor'],
    ['run_query.constructor', 'constructor'],
    ['log.constructor', 'constructor'],
    ['dbt.constructor', 'constructor'],
    ['context.constructor', 'constructor'],
  ])('{{ %s }} is refused', (expr, blocked) => {
    expect(() => renderInProject(`{{ ${expr} }}`)).toThrow(new RegExp(`SecurityError: access to attribute '${blocked}' of '[A-Za-z_.]+' object is unsafe`));
  });
});
