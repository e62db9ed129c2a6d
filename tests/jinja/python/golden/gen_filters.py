"""Golden cases for Jinja2 3.1's builtin filters and tests.

Each filter case renders `{{ v|NAME(*a, **k) }}` (plus `|list` where Jinja2
returns a generator) with Jinja2 3.1 and records the output or the exception.
Run: python3 gen_filters.py  (writes filters.json).
"""
import json
from jinja2 import Environment, Undefined
from codec import enc, outcome

env = Environment(autoescape=False)
cases = []
U = Undefined()
GEN = {"map", "select", "reject", "selectattr", "rejectattr", "unique", "batch", "slice", "reverse", "items"}


def f(name, value, *args, **kwargs):
    tail = "|list" if name in GEN and not (name == "reverse" and isinstance(value, str)) else ""
    src = "{{ (v|%s(*a, **k))%s }}" % (name, tail)
    ctx = {"a": list(args), "k": kwargs}
    if not isinstance(value, Undefined):
        ctx["v"] = value
    r = outcome(lambda: env.from_string(src).render(**ctx))
    cases.append({"kind": "filter", "name": name, "value": enc(value), "args": [enc(x) for x in args],
                  "kwargs": {k: enc(x) for k, x in kwargs.items()}, "list": bool(tail), **r})


def t(name, value, *args):
    r = outcome(lambda: str(env.call_test(name, value, list(args))))
    cases.append({"kind": "test", "name": name, "value": enc(value), "args": [enc(x) for x in args], **r})


users = [
    {"name": "bob", "age": 30, "city": "NY", "tags": ["a"], "active": True, "address": {"zip": "10001"}},
    {"name": "Alice", "age": 25, "city": "ca", "tags": [], "active": False, "address": {"zip": "90001"}},
    {"name": "carol", "age": 30, "city": "CA", "tags": ["b", "c"], "active": True, "address": {"zip": "94000"}},
    {"name": "dave", "age": 41, "city": "NY", "active": None, "address": {"zip": "10002"}},
]
words = ["b", "A", "c", "a", "B"]
nums = [3, 1, 2, 5, 4]

# sort
for kw in [{}, {"reverse": True}, {"case_sensitive": True}, {"reverse": True, "case_sensitive": True}]:
    f("sort", words, **kw)
    f("sort", nums, **kw)
f("sort", users, attribute="age")
f("sort", users, attribute="name")
f("sort", users, attribute="name", case_sensitive=True)
f("sort", users, attribute="age,name")
f("sort", users, attribute="address.zip", reverse=True)
f("sort", [[2, "b"], [1, "z"], [2, "a"]], attribute="0")
f("sort", [1, "a"])
f("sort", "cba")
f("sort", {"b": 1, "a": 2})
f("sort", [1.5, 1, True, 0.5])
f("sort", U)
# unique
f("unique", ["a", "A", "b", "a"])
f("unique", ["a", "A", "b", "a"], case_sensitive=True)
f("unique", [1, 1.0, True, 2])
f("unique", users, attribute="city")
f("unique", users, attribute="age")
f("unique", [[1], [1]])
# map
f("map", ["a", "b"], "upper")
f("map", [1, 2], "string")
f("map", ["x,y", "z"], "replace", ",", "-")
f("map", [3.14159, 2.5], "round", 1)
f("map", users, attribute="name")
f("map", users, attribute="tags.0")
f("map", users, attribute="tags.0", default="none")
f("map", users, attribute="address.zip")
f("map", users, attribute="missing", default="x")
f("map", [{"a": 1}], "default", "x")
f("map", [], "upper")
f("map", U, "upper")
f("map", ["a"])
f("map", ["a"], "nosuch")
f("map", [[1, 2], [3]], "join", ",")
f("map", ["a", "b"], "format")
f("map", [1, 2], attribute="x", extra=1)
# select/reject
f("select", [1, 2, 3, 4, 5, 6], "odd")
f("select", [1, 2, 3, 4, 5, 6], "divisibleby", 3)
f("select", [0, 1, "", "a", None, [], [0]])
f("reject", [1, 2, 3, 4, 5, 6], "odd")
f("reject", [0, 1, "", "a", None])
f("select", ["a", "B", "c"], "lower")
f("select", [1, 5, 10], "gt", 3)
f("select", [1, 5, 10], ">=", 5)
f("select", ["a", "b"], "in", ["a", "c"])
f("select", [1, None, 2], "none")
f("select", [1, None], "nosuch")
f("selectattr", users, "active")
f("rejectattr", users, "active")
f("selectattr", users, "age", "equalto", 30)
f("selectattr", users, "city", "eq", "NY")
f("selectattr", users, "age", "gt", 28)
f("rejectattr", users, "age", "lt", 30)
f("selectattr", users, "active", "none")
f("selectattr", users, "tags", "defined")
f("rejectattr", users, "tags", "defined")
f("selectattr", users, "address.zip", "in", ["10001", "94000"])
f("selectattr", users)
f("select", U)
# list/string/int/float/round/abs
for v in ["abc", [1, 2], (1, 2), {"a": 1, "b": 2}, U, 5, None]:
    f("list", v)
for v in ["abc", 1, 1.0, None, True, [1, "a"], {"a": 1.5}, U]:
    f("string", v)
for v, a, k in [("42", (), {}), ("42.7", (), {}), ("-3.9", (), {}), ("abc", (), {}), ("abc", (7,), {}), ("0x1A", (0, 16), {}), ("1A", (0, 16), {}),
                ("0b101", (0, 2), {}), ("0o17", (), {"base": 8}), ("z", (0, 36), {}), ("1_000", (), {}), (" 12 ", (), {}), ("1e3", (), {}),
                (3.99, (), {}), (-3.99, (), {}), (True, (), {}), (None, (), {}), ([1], (), {}), ("nan", (), {}), ("inf", (5,), {}), (U, (), {}), ("12", (), {"default": 3}),
                ("0x1A", (), {}), ("010", (0, 0), {}), ("10", (0, 0), {}), ("0x10", (0, 0), {})]:
    f("int", v, *a, **k)
for v, a in [("3.5", ()), ("3", ()), ("abc", ()), ("abc", (1.5,)), (2, ()), (True, ()), (None, ()), (" 1e3 ", ()), ("nan", ()), ("-inf", ()), (2.5, ()), ("1_0.5", ()), (U, ())]:
    f("float", v, *a)
for v, a, k in [(2.5, (), {}), (3.5, (), {}), (2.675, (2,), {}), (1.23456, (3,), {}), (42, (), {}), (42, (1,), {}), (1234.5, (-2,), {}), (-2.5, (), {}),
                (2.1, (), {"method": "ceil"}), (2.9, (), {"method": "floor"}), (2.12345, (2, "ceil"), {}), (-2.12345, (2, "floor"), {}), (2.5, (0, "bad"), {}),
                ("2.5", (), {}), (0.5, (), {}), (1.5, (), {}), (7, (), {"method": "ceil"}), (1e20, (), {})]:
    f("round", v, *a, **k)
for v in [-3, 3, -2.5, -2.0, True, "a", 0]:
    f("abs", v)
# default
for v, a, k in [(U, (), {}), (U, ("x",), {}), (None, ("x",), {}), ("", ("x",), {}), ("", ("x", True), {}), (0, ("x",), {"boolean": True}), ("v", ("x", True), {}), ([], ("x", True), {}), (False, ("x",), {})]:
    f("default", v, *a, **k)
    f("d", v, *a, **k)
# join
for v, a, k in [(["a", "b"], (), {}), ([1, 2, 3], ("|",), {}), (users, (", ",), {"attribute": "name"}), ("abc", ("-",), {}), (U, (",",), {}), ([None, True, 1.0], (",",), {}), ({"a": 1, "b": 2}, (",",), {}), ([], (",",), {}),
                (users, (",",), {"attribute": "address.zip"})]:
    f("join", v, *a, **k)
# length/count/first/last
for v in ["abc", [1, 2], {"a": 1}, U, "", (1,), 5, "日本"]:
    f("length", v)
    f("count", v)
    f("first", v)
    f("last", v)
# text filters
for v in ["hello WORLD", "they're bill's friends", "hello-world foo(bar) [x] <y>", "", U, 1, "  spaced  out  ", "ñandú ÉCOLE", "a\tb\nc"]:
    for n in ["upper", "lower", "capitalize", "title", "trim", "wordcount", "striptags", "escape", "center", "reverse", "urlencode", "string", "list"]:
        f(n, v)
f("trim", "xxhixx", "x")
f("center", "abc", 9)
f("center", "abc", 10)
for v, a, k in [("Hello World", ("Hello", "Goodbye"), {}), ("aaaaargh", ("a", "d'oh, ", 2), {}), ("aaa", ("a", "b"), {"count": 1}), (1234, ("2", "x"), {}), ("abc", ("", "-"), {})]:
    f("replace", v, *a, **k)
text = "line one\nline two\n\nline four"
for a, k in [((), {}), ((2,), {}), ((2, True), {}), ((2, True, True), {}), ((), {"width": ">> ", "first": True}), ((), {"blank": True})]:
    f("indent", text, *a, **k)
f("indent", "single")
f("indent", "")
long = "The quick brown fox jumps over the lazy dog and keeps running far away"
for a, k in [((), {}), ((20,), {}), ((20, True), {}), ((20, False, "…"), {}), ((20,), {"end": " [more]"}), ((68,), {}), ((66,), {}), ((20,), {"leeway": 0}), ((2,), {})]:
    f("truncate", long, *a, **k)
for a, k in [((20,), {}), ((10,), {}), ((5,), {}), ((10, False), {}), ((10,), {"wrapstring": "<br>"}), ((12,), {"break_on_hyphens": False})]:
    f("wordwrap", long + " well-known hyphenated-words supercalifragilisticexpialidocious\nsecond  paragraph here", *a, **k)
f("wordwrap", "short")
for v in ["<p>Hello <b>World</b></p>", "a <!-- comment <b> --> b", "x &amp; y &lt;z&gt; &#39;q&#39; &#x41;", "  lots \n of   space  ", "<a href='x'>link</a>&nbsp;"]:
    f("striptags", v)
    f("escape", v)
    f("e", v)
    f("forceescape", v)
f("safe", "<b>")
for v in ["a b/c?d=e&f", "ümlaut ~_.-!*'()", {"a": "1 2", "b/c": "x&y"}, [("k", "v"), ("k2", 3)], 42]:
    f("urlencode", v)
for v, a in [(100, ()), (1, ()), (1000, ()), (1500, ()), (1000000, ()), (123456789, ()), (1024, (True,)), (1500000, (True,)), (10**30, ()), ("2048", ()), (0, ())]:
    f("filesizeformat", v, *a)
for v, a in [({"class": "x", "id": "a&b", "missing": None, "n": 1}, ()), ({"class": "x"}, (False,)), ({}, ()), ({"bad key": 1}, ()), ({"q": "\"'<>"}, ())]:
    f("xmlattr", v, *a)
for v, a, k in [("%s-%s", ("a", "b"), {}), ("%d%%", (50,), {}), ("%(x)s!", (), {"x": "hi"}), ("%.2f", (3.14159,), {}), ("%s %s", ("a",), {}), ("%s", (1,), {"x": 2})]:
    f("format", v, *a, **k)
# sequences
for v, a in [([1, 2, 3, 4, 5], (2,)), ([1, 2, 3, 4, 5], (2, 0)), ([1, 2, 3, 4], (2, "x")), ([], (3,)), ("abcde", (2,))]:
    f("batch", v, *a)
for v, a in [([1, 2, 3, 4, 5], (2,)), ([1, 2, 3, 4, 5, 6, 7], (3,)), ([1, 2, 3, 4, 5, 6, 7], (3, 0)), ([1, 2], (3,))]:
    f("slice", v, *a)
for v, a, k in [([1, 2, 3], (), {}), ([1.5, 2.5], (), {}), ([0.1, 0.2], (), {}), ([1, 2], (), {"start": 10}), (users, ("age",), {}), (users, (), {"attribute": "age", "start": 1.0}), ([], (), {}), ([[1], [2]], (), {"start": []}), (["a"], (), {}), ([1.5, 1.5], (), {})]:
    f("sum", v, *a, **k)
for n in ["min", "max"]:
    for v, a, k in [(nums, (), {}), (words, (), {}), (words, (True,), {}), (users, (), {"attribute": "age"}), (users, (), {"attribute": "name"}), ([], (), {}), ("hello", (), {}), ([1, "a"], (), {}), ([2, 2.0, 1.0, 1], (), {})]:
        f(n, v, *a, **k)
D = {"b": 1, "A": 3, "c": 2, "a": 0}
for a, k in [((), {}), ((True,), {}), ((), {"by": "value"}), ((), {"reverse": True}), ((False, "value", True), {}), ((), {"by": "bad"})]:
    f("dictsort", D, *a, **k)
f("groupby", users, "city")
f("groupby", users, "city", case_sensitive=True)
f("groupby", users, "age")
f("groupby", users, "tags.0", default="none")
f("groupby", users, "address.zip")
f("groupby", [{"k": 1}, {"k": 1}, {}], "k", 0)
f("items", {"a": 1, "b": [2]})
f("items", U)
f("items", [1])
for v in [[1, 2, 3], (1, 2), "abc", {"a": 1, "b": 2}, []]:
    f("reverse", v)
f("attr", {"a": 1}, "a")
for v, a in [({"b": 1, "a": [1, 2.0, None, True, "x<y & 'z'"]}, ()), ([1, "é"], ()), ({"a": {"c": 1, "b": 2}}, (2,)), ("</script>", ()), ((1, 2), ()), (None, ()), ({"a": [1, {"b": 2}]}, (4,))]:
    f("tojson", v, *a)
for v in [{"b": 1, "a": 2}, [1, "a"], list(range(40)), {"key%d" % i: "value number %d" % i for i in range(6)}, "short", "x" * 30 + " " + "y" * 30 + " " + "z" * 30, [{"a": list(range(25))}, "b"]]:
    f("pprint", v)

# tests
tvals = [0, 1, 2, 3, -3, 1.0, 1.5, 2.0, "a", "A", "aB", "", "abc1", True, False, None, [], [1], (1,), {}, {"a": 1}, U]
for n in ["odd", "even", "defined", "undefined", "none", "boolean", "false", "true", "integer", "float", "lower", "upper", "string", "mapping", "number", "sequence", "iterable", "callable", "escaped"]:
    for v in tvals:
        t(n, v)
for v, a in [(9, (3,)), (10, (3,)), (9.0, (3,)), (0, (5,)), (10, (2.5,)), (7.5, (2.5,))]:
    t("divisibleby", v, *a)
for n in ["==", "eq", "equalto", "!=", "ne", ">", "gt", "greaterthan", ">=", "ge", "<", "lt", "lessthan", "<=", "le"]:
    for a, b in [(1, 1), (1, 2), (2, 1), (1, 1.0), ("a", "b"), ("a", "a"), (None, None), (1, "a")]:
        t(n, a, b)
for a, b in [("a", "abc"), ("z", "abc"), (1, [1, 2]), (3, [1, 2]), ("k", {"k": 1}), (1, "abc")]:
    t("in", a, b)
for v in ["upper", "nosuch", "default", "d", "tojson"]:
    t("filter", v)
for v in ["odd", "nosuch", "defined", "=="]:
    t("test", v)
for a, b in [(1, 1), (None, None), (True, True), ("a", "a"), ([1], [1]), (1, True)]:
    t("sameas", a, b)

with open("filters.json", "w") as fh:
    json.dump(cases, fh, indent=0, ensure_ascii=False)
print(len(cases), "cases")
