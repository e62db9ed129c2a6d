"""Golden cases for repr/str, operators, str/list/dict methods, formatting, json.

Run: python3 gen_core.py  (writes core.json). Outputs are Python 3.11's.
"""
import copy
import json
import operator
from jinja2 import Undefined
from codec import enc, outcome, Kw

cases = []


def show(v):
    if isinstance(v, Undefined):
        return ""
    return str(v)


def add(kind, **case):
    cases.append({"kind": kind, **case})


# --- str() / repr() of values -------------------------------------------
values = [
    "abc", "", "it's", 'say "hi"', "both ' and \"", "tab\there\nnl", "back\\slash", "é ü 日本", "\x00\x1f\x7f",
    0, 1, -5, 10**20, 1.0, -1.0, 0.0, 1.5, 0.1 + 0.2, 1e16, 1e15, 123456789012345678.0, 1e20, 1.5e-5, 0.0001, 0.00001,
    1e-7, 2.5e300, float("nan"), float("inf"), float("-inf"), 1/3, 100.0, 3.14159,
    True, False, None, [], [1, "a", None, True, 1.0], (), (1,), (1, "b"), {}, {"a": 1, "b": [1, 2], "c": {"d": None}},
    {"k": (1, 2.0)}, [[1, [2, (3,)]]], Undefined(),
]
for v in values:
    add("str", value=enc(v), out=show(v))
    add("repr", value=enc(v), out=repr(v))

# --- operators ---------------------------------------------------------------
ops = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
    "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow,
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
    "in": lambda a, b: a in b,
}
pairs = [
    (1, 2), (1, 2.0), (1.5, 1.5), (7, 2), (-7, 2), (7, -2), (7.5, 2), (-7.5, 2), (2, 10), (2, -1), (2.0, 3), (10, 4), (9, 3),
    (1, 0), (1.0, 0), (0, 0.0), ("a", "b"), ("a", 1), (1, "a"), ([1], [2]), ((1,), (2,)), ([1], (1,)), ("ab", 3), (3, "ab"),
    ([1, 2], 2), ("a", 2.0), (True, 1), (True, True), (None, None), (None, 1), ({"a": 1}, {"a": 1}), ({"a": 1}, {"a": 2}),
    ([1, 2], [1, 3]), ([1, 2], [1, 2, 0]), ((1, "a"), (1, "b")), ("abc", "abd"), ("B", "a"), (1, 1.0), (0.1 + 0.2, 0.3),
    ("a", "cat"), ("x", ["x", "y"]), (2, [1, 2.0]), ("k", {"k": 1}), ("z", {"k": 1}), (1, "abc"), (1, None), ([1], [[1]]),
    (float("nan"), float("nan")), (1e308, 10), (3, 2.5), (-3, 2.5), (5.5, -2),
]
for a, b in pairs:
    for name, f in ops.items():
        r = outcome(lambda: f(a, b))
        if isinstance(r.get("out"), complex):
            continue  # no complex numbers in templates
        add("op", op=name, a=enc(a), b=enc(b), **({**r, "out": show(r["out"])} if "out" in r else r))

for v in [0, 1, 0.0, 1.5, "", "a", [], [0], (), {}, {"a": 1}, None, True, False, float("nan"), Undefined()]:
    add("truthy", value=enc(v), out=show(bool(v)))
for v in [1, -1, 1.5, 2.0, True, "a", None]:
    r = outcome(lambda: -v)
    add("neg", value=enc(v), **({**r, "out": show(r["out"])} if "out" in r else r))


# --- methods -----------------------------------------------------------------
def method(obj, name, *args, **kwargs):
    return method_kw(obj, name, args, kwargs)


def method_kw(obj, name, args, kwargs):
    target = copy.deepcopy(obj)
    r = outcome(lambda: getattr(target, name)(*args, **kwargs))
    if "out" in r:
        r["out"] = show(r["out"])
        r["after"] = show(target)
    add("method", obj=enc(obj), name=name, args=[enc(a) for a in args], kwargs={k: enc(v) for k, v in kwargs.items()}, **r)


S = "  Hello, World  "
for n in ["upper", "lower", "strip", "lstrip", "rstrip", "title", "capitalize", "swapcase", "casefold", "split", "isspace", "splitlines"]:
    method(S, n)
for s in ["hello world", "HELLO", "Hello World", "hello123", "123", "", "  ", "abc", "ABC def", "they're bill's friends from the UK", "1st 2nd", "a\tb\tc", "x\ny\r\nz\rw\n", "Ünïcödé"]:
    for n in ["upper", "lower", "title", "capitalize", "swapcase", "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper", "istitle", "split", "splitlines", "expandtabs", "casefold"]:
        method(s, n)
method("xxhixx", "strip", "x")
method("xyhiyx", "strip", "xy")
method("xxhixx", "lstrip", "x")
method("xxhixx", "rstrip", "x")
method("abc", "strip", None)
for args, kwargs in [((",",), {}), ((",", 1), {}), ((), {"sep": ",", "maxsplit": 2}), ((None, 1), {}), ((" ",), {}), (("",), {}), (("ab",), {}), ((), {"maxsplit": 1}), ((1,), {})]:
    method("a,b,,c ab d", "split", *args, **kwargs)
    method("a,b,,c ab d", "rsplit", *args, **kwargs)
method("  a  b  c  ", "split")
method("  a  b  c  ", "split", None, 1)
method("  a  b  c  ", "rsplit", None, 1)
method("", "split", ",")
method("", "split")
method("a\nb\n", "splitlines", True)
method("a\nb\n", "splitlines", keepends=True)
for args in [("he",), ("lo",), (("x", "he"),), ("he", 1), ("el", 1), ("", 0), ("hello", 0, 3), (1,), (("x", 1),)]:
    method("hello", "startswith", *args)
    method("hello", "endswith", *args)
for args in [("l", "L"), ("l", "L", 1), ("", "-"), ("", "-", 2), ("x", "y"), ("ll", ""), ("l", "L", 0), ("l", "L", -1), ("l", 1)]:
    method("hello world", "replace", *args)
for args in [("o",), ("o", 5), ("o", 5, 6), ("z",), ("",), ("o", -3), ("lo", 0, 4)]:
    for n in ["find", "rfind", "index", "rindex", "count"]:
        method("hello world", n, *args)
for w in [3, 8, 9, 10]:
    method("abc", "zfill", w)
    method("-42", "zfill", w)
    method("+7", "zfill", w)
    for n in ["center", "ljust", "rjust"]:
        method("abc", n, w)
        method("ab", n, w, "*")
        method("abcd", n, w)
method("abc", "center", 5, "ab")
for sep in ["-", "x", "--", ""]:
    method("a-b-c", "partition", sep)
    method("a-b-c", "rpartition", sep)
method("a\tbc\td", "expandtabs", 4)
method("abcabc", "removeprefix", "ab")
method("abcabc", "removesuffix", "bc")
for items in [["a", "b", "c"], [], ("x", "y"), "abc", {"k": 1, "j": 2}, ["a", 1], [None]]:
    method(", ", "join", items)
# str.format
fmt_cases = [
    ("{} and {}", ("a", "b"), {}),
    ("{0}{1}{0}", ("x", "y"), {}),
    ("{name}!", (), {"name": "bob"}),
    ("{:>10}|", ("hi",), {}),
    ("{:<10}|", ("hi",), {}),
    ("{:^10}|", ("hi",), {}),
    ("{:*^9}|", ("hi",), {}),
    ("{:.2f}", (3.14159,), {}),
    ("{:.2f}", (2,), {}),
    ("{:10.3f}|", (3.14159,), {}),
    ("{:+d} {: d} {:-d}", (5, 5, -5), {}),
    ("{:05d}", (42,), {}),
    ("{:05d}", (-42,), {}),
    ("{:,}", (1234567,), {}),
    ("{:_}", (1234567,), {}),
    ("{:,.2f}", (1234567.891,), {}),
    ("{:x} {:X} {:o} {:b} {:#x} {:#o} {:#b}", (255, 255, 8, 5, 255, 8, 5), {}),
    ("{:e}", (12345.678,), {}),
    ("{:.3e}", (0.000123,), {}),
    ("{:g}", (0.0000123,), {}),
    ("{:g}", (123456789.0,), {}),
    ("{:g}", (100.0,), {}),
    ("{:.3g}", (3.14159,), {}),
    ("{:%}", (0.25,), {}),
    ("{:.1%}", (0.256,), {}),
    ("{}", (1.0,), {}),
    ("{}", (None,), {}),
    ("{}", ([1, "a"],), {}),
    ("{!r}", ("a",), {}),
    ("{!s}", ("a",), {}),
    ("{0[0]} {0[1]}", (["x", "y"],), {}),
    ("{d[k]}", (), {"d": {"k": "v"}}),
    ("{{literal}} {}", ("x",), {}),
    ("{:{w}}|", ("a",), {"w": 5}),
    ("{:>{w}.{p}f}|", (3.14159,), {"w": 8, "p": 2}),
    ("{} {}", ("a",), {}),
    ("{0} {}", ("a", "b"), {}),
    ("{x}", (), {}),
    ("}", (), {}),
    ("{", (), {}),
    ("{:d}", ("a",), {}),
    ("{:d}", (1.5,), {}),
    ("{:.2}", (1.0,), {}),
    ("{:.2}", (1234.5,), {}),
    ("{:.3}", ("abcdef",), {}),
    ("{:10}|", (5,), {}),
    ("{:10}|", (True,), {}),
    ("{:d}", (True,), {}),
    ("{:.0f} {:.0f} {:.0f} {:.2f}", (0.5, 1.5, 2.5, 2.675), {}),
    ("{:=+8.2f}", (3.5,), {}),
    ("{:f}", (float("nan"),), {}),
    ("{:F}", (float("inf"),), {}),
    ("{:.2f}", (1e22,), {}),
    ("{:5}|", (None,), {}),
]
for f, a, k in fmt_cases:
    method_kw(f, "format", a, k)

# list methods
L = [3, 1, 2]
method(L, "append", 4)
method(L, "extend", [5, 6])
method(L, "extend", (7,))
method(L, "extend", "ab")
method(L, "insert", 0, "x")
method(L, "insert", -1, "x")
method(L, "insert", 10, "x")
method(L, "pop")
method(L, "pop", 0)
method(L, "pop", -2)
method(L, "pop", 5)
method([], "pop")
method(L, "remove", 1)
method(L, "remove", 9)
method([1, 2, 1], "index", 1)
method([1, 2, 1], "index", 1, 1)
method([1, 2, 1], "index", 9)
method([1, 2, 1], "index", "a")
method([1, 2, 1, 1.0], "count", 1)
method(L, "sort")
method(L, "sort", reverse=True)
method(["b", "A", "c"], "sort")
method([1, "a"], "sort")
method(L, "reverse")
method(L, "copy")
method(L, "clear")
method((1, 2, 1), "count", 1)
method((1, 2, 1), "index", 2)
method((1, 2, 1), "index", 5)
# dict methods
D = {"a": 1, "b": 2}
for n, a, k in [("items", (), {}), ("keys", (), {}), ("values", (), {}), ("get", ("a",), {}), ("get", ("z",), {}), ("get", ("z", 0), {}),
                ("update", ({"c": 3},), {}), ("update", (), {"d": 4}), ("update", ([("e", 5)],), {}), ("update", ({"a": 9},), {"b": 8}),
                ("pop", ("a",), {}), ("pop", ("z", None), {}), ("pop", ("z",), {}), ("setdefault", ("a", 5), {}), ("setdefault", ("z", 5), {}),
                ("setdefault", ("z",), {}), ("copy", (), {}), ("clear", (), {}), ("popitem", (), {})]:
    method(D, n, *a, **k)
method({}, "popitem")

# --- % formatting -----------------------------------------------------------
pct = [
    ("%s-%d", ("a", 5)), ("%(x)s and %(y)r", {"x": 1, "y": "b"}), ("%05.2f", 3.14159), ("%5.1f|", 2.25), ("%-6s|", "ab"), ("%6s|", "ab"),
    ("%d%%", 50), ("%s", [1, 2]), ("%s", (1,)), ("%s %s", [1, 2]), ("%x %X %o", (255, 255, 8)), ("%#x %#o", (255, 8)), ("%e", 12345.678),
    ("%.3e", 0.000123), ("%g %g %g", (0.00001, 123456789, 1.5)), ("%10.4g|", 3.14159), ("%c%c", (65, "b")), ("%r", "a'b"), ("%s", None),
    ("%s", True), ("%d", True), ("%d", 3.99), ("%d", -3.99), ("%i", 7), ("%+d % d", (5, 5)), ("%+.1f", -0.05), ("%.0f %.0f %.0f", (0.5, 1.5, 2.5)),
    ("%.2f", 2.675), ("%f", 1), ("%s", 1.0), ("%s and %s", (1.0, 2.5)), ("%*d|", (5, 3)), ("%-*d|", (5, 3)), ("%.*f", (2, 3.14159)),
    ("abc", ()), ("abc", 5), ("abc", []), ("%s", ()), ("%s %s", (1,)), ("%s", (1, 2)), ("%z", 1), ("%(a)s", 1), ("%(a)s", {"b": 1}),
    ("%d", "a"), ("%f", "a"), ("%x", 1.0), ("%", 1), ("%.3s|%5.1s|", ("abcdef", "xyz")), ("%s", {"a": 1}), ("%(a)s %%", {"a": 1}),
    ("%05d", -42), ("%-05d|", 42), ("%d", 10**20), ("%.1f%%", 12.345),
]
for f, a in pct:
    r = outcome(lambda: f % a)
    add("op", op="mod", a=f, b=enc(a), **r)

# --- json ---------------------------------------------------------------------
for v in [{"b": 1, "a": [1, 2.0, None, True]}, "é<>&'\"\\\n\t\x01", [], {}, {"k": {}}, [1, [2, []]], 1.5, 1e20, float("nan"), float("inf"),
          (1, 2), "日本", "😀", {"z": 1, "a": {"y": 2, "b": 3}}, 10**20, "\x7f"]:
    for indent in [None, 2, "\t"]:
        for sk in [False, True]:
            add("json", value=enc(v), indent=indent, sortKeys=sk, out=json.dumps(v, indent=indent, sort_keys=sk))
for text in ['{"a": 1.0, "b": [1, 2.5, 1e3, -0.0], "c": null, "d": true, "e": "\\u00e9\\n"}', '[NaN, Infinity]', '"x"', '{"a": }', '[1, 2', '{"a": 1} x', '']:
    r = outcome(lambda: json.loads(text))
    if "out" in r:
        r["out"] = repr(r["out"])
    else:
        r["message"] = r["message"].split(":")[0]
    add("fromjson", text=text, **r)

# --- indexing and slicing -----------------------------------------------------
seqs = ["hello", [0, 1, 2, 3, 4, 5], (0, 1, 2, 3), "", []]
for s in seqs:
    for i in [0, 1, -1, -2, 10, -10]:
        r = outcome(lambda: s[i])
        add("index", obj=enc(s), key=i, out=show(r["out"]) if "out" in r else "")
    for a, b, c in [(None, None, None), (1, None, None), (None, 3, None), (1, -1, None), (-3, None, None), (None, None, -1), (None, None, 2),
                    (4, 0, -1), (-1, -4, -1), (10, None, None), (None, -10, None), (1, 4, 2), (5, 1, -2), (None, None, 0), (0, 100, 3), (-100, 100, None)]:
        r = outcome(lambda: s[a:b:c])
        add("slice", obj=enc(s), start=a, stop=b, step=c, **({"out": repr(r["out"])} if "out" in r else r))

with open("core.json", "w") as fh:
    json.dump(cases, fh, indent=0, ensure_ascii=False)
print(len(cases), "cases")
