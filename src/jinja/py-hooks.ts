/**
 * The single seam between the engine core and the Python value layer
 * (src/jinja/python/, owned by another engineer): value rendering, methods,
 * filters, tests, operators, floats and tuples. The core imports Python
 * behaviour only from here.
 */
export { pyStr, pyRepr } from './python/repr.js';
export { lookupPythonMethod } from './python/methods.js';
export { createPythonFilters } from './python/filters.js';
export { createPythonTests } from './python/tests.js';
export { PyFloat, pyFloat as makeFloat, isFloatValue as isFloat } from './python/py-float.js';
export { pyTuple as makeTuple, isPyTuple as isTuple, isDict, pyTypeName, PyStrEnum } from './python/types.js';
export { pyAdd, pySub, pyMul, pyDiv, pyFloorDiv, pyMod, pyPow, pyNeg, pyPos, pyTruthy, pyEq, pyCompare, pyIn } from './python/operators.js';
export { pyIndex, pySlice } from './python/indexing.js';
export { dictFromPairs, isObjectSafeKey, PyDictMap, dictPairs } from './python/py-dict-map.js';
export { contextVar, isExposed, isUnsafeName, setDataKey, unsafeAccess, unsafeNameLookup, exposeMembers } from './python/sandbox.js';
