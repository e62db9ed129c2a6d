"""Encoding of Python values as JSON for the golden cases (see ../golden-codec.ts)."""
import math
from decimal import Decimal
from jinja2 import Undefined


class Kw(dict):
    """Marks keyword arguments in a case."""


def enc(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, Decimal):
        return {"$decimal": str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            return {"$float": "nan"}
        if math.isinf(v):
            return {"$float": "inf" if v > 0 else "-inf"}
        if v == int(v):
            return {"$float": int(v)}
        return v
    if isinstance(v, tuple):
        return {"$tuple": [enc(x) for x in v]}
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, Undefined):
        return {"$undefined": True}
    raise TypeError(f"cannot encode {v!r}")


def outcome(fn):
    """Run fn; return {'out': str(result)} or {'error': type, 'message': msg}."""
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - we record every exception
        msg = str(e)
        if isinstance(e, KeyError):
            msg = repr(e.args[0]) if e.args else ""
        return {"error": type(e).__name__, "message": msg}
    return {"out": r}
