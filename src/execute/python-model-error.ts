import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';

/** What a Python model's run says: tsdbt parses Python models (refs, sources, config) but runs only SQL. */
export const PYTHON_MODEL_HINT = "leave it out of the selection: --exclude '*.py' (with its children: --exclude '*.py+')";

/**
 * The error of a selected Python model in `run`/`build`: an error of that
 * node alone (its children are skipped as any failed node's are), naming its
 * file. Nothing is sent to the database.
 */
export function pythonModelError(node: CompiledNode): TsdbtError {
  return new TsdbtError('COMPILER_ERROR', `${node.resource_type} ${node.name} is a Python model: tsdbt parses Python models but does not run them`, {
    file: node.original_file_path,
    hint: PYTHON_MODEL_HINT,
  });
}
