import { TsdbtError } from '../errors/tsdbt-error.js';
import { callJinja, pyFunction } from '../jinja/index.js';

/** What the provider members need from the invocation. */
export interface ProviderMembersInput {
  target: Record<string, unknown>;
  adapterType: string;
  /** The adapter's Column class. */
  column: unknown;
}

// The adapter's date_function(), as `sql_now` renders it.
const DATE_FUNCTION: Record<string, string> = { snowflake: 'CURRENT_TIMESTAMP()' };

/**
 * Members of dbt's provider context that parse and runtime contexts share
 * (providers.py): `validation.any`, `write`, `try_or_compiler_error`,
 * `column`, `env`, `sql_now`, `defer_relation`, and the removed
 * `adapter_macro` / unsupported `submit_python_job`, which raise dbt's errors.
 */
export function providerMembers(input: ProviderMembersInput): Record<string, unknown> {
  return {
    validation: {
      any: pyFunction((choices) =>
        pyFunction(([value]) => {
          if (choices.some((c) => c === value)) return null;
          throw new TsdbtError('COMPILER_ERROR', `Expected value "${String(value)}" to be one of ${choices.map(String).join(',')}`);
        }),
      ),
    },
    // Where nothing keeps it (parse, compile, operations); a runner's context writes to target/run/ (runtime-context.ts).
    write: pyFunction(() => ''),
    try_or_compiler_error: pyFunction((args, kwargs) => {
      const [message, fn, ...rest] = args;
      try {
        return callJinja(fn, rest, kwargs);
      } catch {
        throw new TsdbtError('COMPILER_ERROR', String(message));
      }
    }),
    column: input.column,
    env: input.target,
    sql_now: DATE_FUNCTION[input.adapterType] ?? 'now()',
    defer_relation: null,
    adapter_macro: pyFunction(([name]) => {
      throw new TsdbtError(
        'COMPILER_ERROR',
        `The "adapter_macro" macro has been deprecated. Instead, use the \`adapter.dispatch\` method to find a macro and call the result. adapter_macro was called for: ${String(name)}`,
        { hint: 'Replace adapter_macro(name, ...) with adapter.dispatch(name)(...).' },
      );
    }),
    submit_python_job: pyFunction(() => {
      throw new TsdbtError('COMPILER_ERROR', 'submit_python_job: Python models are not supported by tsdbt');
    }),
  };
}
