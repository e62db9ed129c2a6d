/**
 * Python exceptions raised by the Python-semantics layer, as TsdbtErrors.
 *
 * The message is Python's own (so users can search for it) prefixed with the
 * exception type; the engine fills in the template file and line.
 */
import { TsdbtError } from '../../errors/tsdbt-error.js';

export type PyExceptionType =
  | 'TypeError'
  | 'SecurityError'
  | 'ValueError'
  | 'KeyError'
  | 'IndexError'
  | 'AttributeError'
  | 'ZeroDivisionError'
  | 'OverflowError'
  | 'UndefinedError'
  | 'FilterArgumentError'
  | 're.error'
  | 'TemplateRuntimeError'
  | 'AssertionError'
  | 'UnknownTimeZoneError'
  | 'YAMLError'
  | 'InvalidOperation'
  | 'DivisionByZero';

export function pyError(type: PyExceptionType, message: string, hint?: string): TsdbtError {
  return new TsdbtError('JINJA_RENDER', `${type}: ${message}`, { hint, detail: { pythonException: type } });
}
