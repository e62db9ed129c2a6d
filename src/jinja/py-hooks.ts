/**
 * The single switch between the Python value layer (src/jinja/python/, owned
 * by another engineer) and our minimal fallback. Everything in the core
 * imports Python behaviour from here.
 */
export {
  pyStr,
  pyRepr,
  lookupPythonMethod,
  pythonFilters,
  pythonTests,
  makeFloat,
  isFloat,
  PyFloat,
  makeTuple,
  isTuple,
} from './py-fallback.js';
