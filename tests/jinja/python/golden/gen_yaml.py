"""Golden cases for toyaml/fromyaml: PyYAML 6 safe_dump(sort_keys=...) and
safe_load, as dbt's toyaml/fromyaml call them. Run: python3 gen_yaml.py."""
import datetime
import json
import yaml
from codec import enc, outcome

cases = []
dumps = [
    {"a": 1, "b": [1, 2.0, None, True, "x y", "yes", "1"], "c": {"d": "e: f"}, "e": []},
    "a\nb", "x" * 50 + " " + "y" * 50 + " " + "z" * 10, {"k": "word " * 30}, [{"a": 1, "b": [1, 2]}, [1, [2, 3]]], "plain", "", " lead", "a: b", "a #b", "-x", "- x", "@x",
    "é", "\t", 1e20, 1.0, 1.5, float("nan"), float("-inf"), {"nested": {"list": [{"x": 1}]}}, None, "2024-01-02", "null", "0o7", "012", "1_0", "1:20", ":x", "x:", "a'b", 'a"b',
    {"a b": 1, "yes": 2, "1.5": 3}, [[]], [{}], "line1\nline2\n", ["a\tb"], {"models": [{"name": "orders", "columns": [{"name": "id", "tests": ["unique", "not_null"]}]}]},
    {"z": 1, "a": {"y": 2, "b": 3}}, [1, "two", 3.25, False], {"sql": "select *\nfrom x\nwhere y = 'z'"}, "~", "True", "on", "1e3", ".5", "0x1F", "#comment", "[x]", "{y}", "a,b", "!tag", "&a", "*a", "|", ">",
    "100%", "key: value: more", "ends with space ", {"emoji": "😀"}, {"list": [[1, 2], {"k": [3]}]},
]
for v in dumps:
    for sk in [False, True]:
        cases.append({"kind": "dump", "value": enc(v), "sortKeys": sk, **outcome(lambda: yaml.safe_dump(v, sort_keys=sk))})


def show(v):
    return repr(v)


loads = [
    "a: 1\nb: [1, 2.0, null, true]\nc: {d: e}\n", "x: yes\ny: No\nz: on\nw: off\n", "- 1.0\n- 1e3\n- 1_000\n- 012\n- 0x1F\n- .5\n- .inf\n- -.inf\n- ~\n- ''\n",
    "d: 2024-01-02\nt: 2024-01-02 03:04:05\nu: 2024-01-02T03:04:05Z\nv: 2024-01-02 03:04:05.5+05:30\n", "'quoted': \"x\\ty\"\nplain: a b c\n", "key:\n  - a\n  - b\nother:\n  nested: {x: 1}\n",
    "just a string", "42", "", "a: [1, 2\n", "a: b: c\n", "- &x {a: 1}\n- *x\n", "multi: |\n  line1\n  line2\nfolded: >\n  a\n  b\n",
]
for text in loads:
    r = outcome(lambda: show(yaml.safe_load(text)))
    if "error" in r:
        r = {"error": "YAMLError"}
    cases.append({"kind": "load", "text": text, **r})

with open("yaml.json", "w") as fh:
    json.dump(cases, fh, indent=0, ensure_ascii=False)
print(len(cases), "cases")
