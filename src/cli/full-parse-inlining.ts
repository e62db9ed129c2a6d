import v8 from 'node:v8';

/**
 * V8's TurboFan inlining, capped for `tsdbt parse`'s full parse (no usable
 * parse cache): at most 200 bytes of bytecode inlined into an optimised
 * function, where V8's default is 920. A full parse's hot code (the YAML
 * reader, the Jinja lexer, parser and interpreter, the properties walk) runs
 * for a second or two and is optimised once or twice; those optimising
 * compiles, on background threads, are what deep inlining makes dear, and
 * they take CPU from the main thread and the YAML worker on a 2-vCPU box
 * (Tuva's cold parse: ~8 s of compile jobs under load, ~3.5 s capped; ~17%
 * less CPU in all). Not for a parse that splices or updates from the cache
 * (one model changed spent ~15% more on its main thread capped) nor for the
 * other commands (compiling 10,000 models, whose render loops run longer,
 * spent ~7% more capped). The flag is the process's: set once, for the rest
 * of the command. Results are the same, only how V8 compiles changes.
 * Figures in bench/RESULTS.md.
 */
export const FULL_PARSE_INLINING_FLAG = '--max-inlined-bytecode-size-cumulative=200';

/** Whether the cap applies: not when the user tuned V8's inlining themselves (node's arguments or NODE_OPTIONS). */
export function capsInlining(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return ![...execArgv, nodeOptions ?? ''].some((a) => a.includes('inlin'));
}

/** Caps TurboFan's inlining for the rest of this process (see FULL_PARSE_INLINING_FLAG), unless the user tuned it. */
export function capInliningForFullParse(env: Record<string, string | undefined>): void {
  if (capsInlining(process.execArgv, env.NODE_OPTIONS)) v8.setFlagsFromString(FULL_PARSE_INLINING_FLAG);
}
