import { TsdbtError } from '../../errors/tsdbt-error.js';

/**
 * The strategies dbt ships a macro for. One of these that the adapter does
 * not list as valid is refused; any other name is a custom strategy, valid
 * wherever its macro is defined.
 */
const BUILT_IN_STRATEGIES: readonly string[] = ['append', 'delete+insert', 'merge', 'insert_overwrite', 'microbatch'];

/** The macro that renders `strategy`: `get_incremental_<strategy>_sql`, `+` written as `_`. */
const strategyMacroName = (strategy: string): string => `get_incremental_${strategy.split('+').join('_')}_sql`;

/**
 * `adapter.get_incremental_strategy_macro(context, strategy)`: the callable
 * named for the strategy (no strategy is `default`), looked up as any name
 * in the model's context, so a project's or package's macro of that name
 * wins and a custom strategy is a macro of its name. Errors carry no file:
 * the node runner adds the model's.
 */
export function incrementalStrategyMacro(
  strategy: unknown,
  adapterType: string,
  valid: readonly string[],
  resolve: (name: string) => unknown,
): unknown {
  const name = strategy === null || strategy === undefined ? 'default' : String(strategy);
  if (BUILT_IN_STRATEGIES.includes(name) && !valid.includes(name)) {
    throw new TsdbtError('COMPILER_ERROR', `The incremental strategy '${name}' is not valid for this adapter (${adapterType})`, {
      hint: `The built-in strategies ${adapterType} supports: ${valid.join(', ')}.`,
    });
  }
  const macroName = strategyMacroName(name);
  const macro = resolve(macroName);
  if (typeof macro === 'function') return macro;
  throw new TsdbtError('MACRO_NOT_FOUND', `Unknown incremental strategy '${name}': no macro named "${macroName}" was found`, {
    hint: `A strategy is the SQL its macro returns: define {% macro ${macroName}(arg_dict) %} in your macros for a custom one, or use a built-in strategy (${valid.join(', ')}).`,
  });
}
