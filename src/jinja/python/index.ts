/**
 * Python values in Jinja: the semantics layer the engine (src/jinja/*.ts)
 * calls for rendering, operators, methods, subscripts, filters, tests, JSON
 * and dbt's `modules`. See types.ts for how Python values are represented.
 */
export { pyStr, pyRepr, reprString } from './repr.js';
export { PyDecimal } from './py-decimal.js';
export { PyFloat, pyFloat, isPyFloat, isFloatValue, isIntValue, isNumeric, toNum, formatPyFloat } from './py-float.js';
export { PyTuple, pyTuple, isPyTuple, PyDictView, isDict, pyTypeName, pyLen, Markup, PyStrEnum, isSafeString, PY_MAPPING, isMappingLike } from './types.js';
export {
  pyAdd,
  pySub,
  pyMul,
  pyDiv,
  pyFloorDiv,
  pyMod,
  pyPow,
  pyNeg,
  pyPos,
  pyTruthy,
  pyEq,
  pyNe,
  pyCmp,
  pyCompare,
  pyIn,
  type CompareOp,
} from './operators.js';
export { pyIndex, pySlice, sliceIndices } from './indexing.js';
export { lookupPythonMethod, pyGetAttr } from './methods.js';
export { pySorted } from './collection-methods.js';
export { pyStrFormat } from './str-format.js';
export { pyPercentFormat } from './percent-format.js';
export { pyFormatValue } from './format-spec.js';
export { pythonFilters, createPythonFilters, type FilterRegistry } from './filters.js';
export { pythonTests, createPythonTests, type TestRegistry } from './tests.js';
export { pyToJson, pyFromJson, htmlSafeJson } from './json.js';
export { pyToYaml, pyFromYaml } from './yaml.js';
export { pythonModules, setDatetimeClock, pyDateTimeFromJs, PyDate, PyDateTime, PyTime, PyTimedelta, PyPattern, PyMatch } from './modules/index.js';
export { pyError, type PyExceptionType } from './errors.js';
export { PySet, pySet } from './py-set.js';
export { PyDictMap, dictFromPairs, dictPairs, isObjectSafeKey } from './py-dict-map.js';
