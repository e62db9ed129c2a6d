"""modules.re golden cases: Python 3.11's `re` through Jinja2 3.1 templates.
Each pattern runs findall, search (span and groups), fullmatch and sub on a
few subjects; the cases cover scoped inline flags, VERBOSE, named groups and
backreferences, anchors, atomic groups and possessive quantifiers, escapes,
and patterns Python refuses.
Run: python3 gen_re.py  (writes re.json).
"""
import json
import re
from jinja2 import Environment
from codec import enc, outcome

env = Environment()
modules = {"re": re}
cases = []

BODY = ("{% set p = modules.re.compile(pat, flags) %}"
        "{% for s in subjects %}{{ p.findall(s) }}|"
        "{% set m = p.search(s) %}{{ m.span() if m else none }}{{ m.groups() if m else '' }}|"
        "{{ p.fullmatch(s) is not none }}|{{ p.sub('<\\\\g<0>>', s) }}|{{ p.split(s) }};{% endfor %}"
        "{{ p.groups }} {{ p.groupindex }}")


def case(pat, subjects, flags=0):
    src = BODY
    ctx = {"pat": pat, "subjects": subjects, "flags": flags}
    r = outcome(lambda: env.from_string(src).render(modules=modules, **ctx))
    cases.append({"src": src, "ctx": {k: enc(v) for k, v in ctx.items()}, **r})


S = ["abc ABC aBc", "Hello\nworld\n", "x1 y22 z333", "", "a\r\nb"]
# scoped inline flags
case(r"(?i:a)bc", S)
case(r"a(?i:b)c", S)
case(r"(?i)a(?-i:b)c", S)
case(r"(?i:[a-b]+)C", S)
case(r"(?-i:A)(?i:b)", S, re.I)
case(r"(?s:.)", ["a\nb"])
case(r"(?s:a.)b.", ["a\nbx", "a\nb\n", "a\nb\r"])
case(r"a.b", ["a\rb", "a\nb", "a\u2028b"])
case(r"(?m:^\w+$)", S)
case(r"(?m:^w)|^H", S)
case(r"(?-m:^\w+)", S, re.M)
case(r"(?x: a b c )|d e", ["abc", "de", "d e"])
case(r"(?x)  a  [ ]  b  # comment", ["a b", "ab"])
case(r"(?x) \d+ \  \w", ["12 x", "12x"])
case(r"(?i)(?s)a.c", ["A\nC"])
case(r"(?is:a.c)d", ["A\nCd", "a\ncD"])
case(r"(?a:\w+)", ["héllo"])
case(r"(?i:é)", ["É é"])
# named groups, backreferences
case(r"(?P<word>\w+) (?P=word)", ["the the cat cat dog", "a b"])
case(r"(\w)(\w)\2\1", ["abba xyyx abab"])
case(r"(?P<a>x)(?:y)(?P<b>z)?", ["xyz xy"])
# anchors
case(r"\Aab", ["ab", "cab", "ab\nab"], re.M)
case(r"ab\Z", ["ab", "ab\n", "ab\nab"], re.M)
case(r"^ab$", ["ab", "ab\n", "x\nab\n"])
case(r"^ab$", ["ab", "ab\n", "x\nab\n"], re.M)
case(r"\bfoo\B", ["foobar foo"])
# atomic groups and possessive quantifiers (Python 3.11)
case(r"(?>a+)b", ["aaab", "aaa"])
case(r"(?>a|ab)c", ["abc", "ac"])
case(r"a++b", ["aaab", "aab"])
case(r"a*+a", ["aaa"])
case(r"(\w)++", ["abc"])
case(r"x?+y{1,2}+z", ["xyyz", "yz", "xyyyz"])
case(r"(a)(?>(b)c)(d)", ["abcd"])
case(r"(?>(\w+)\s)\1", ["hi hi", "hi ho"])
case(r"(?:\w++\s?)*!", ["word word word word word word word word word word word word word word word word word word word word word word word x"])
# quantifier and literal forms
case(r"a{,2}", ["aaa"])
case(r"a{,}", ["aaa"])
case(r"a{}", ["a{}", "a"])
case(r"x{a}", ["x{a}"])
case(r"a{2}?", ["aaa"])
case(r"[]a]+", ["]a]b"])
case(r"[^]a]+", ["]a]b"])
case(r"[\]\\-]", ["a]b\\c-"])
case(r"\x41\u00e9\U0001F600?\t", ["A\u00e9\t", "A\u00e9\U0001F600\t"])
case(r"\0\012", ["\x00\n"])
case(r"[\d\s]+", ["a 1 2b"])
case(r"\a\f\v", ["\x07\x0c\x0b"])
case(r"(?#a comment)x", ["x"])
case(r"a|b|", ["ab"])
case(r"(?=a)\w|(?!b)\d|(?<=c)x|(?<!d)y", ["ab1cxdy y"])
# errors Python gives
for bad in [r"a(?i)b", r"\q", r"[\q]", r"(?<n>a)", r"a**", r"a{2,1}", r"(a", r"a)", r"\1(a)", r"(?P<1>a)", r"(?P<a>x)(?P<a>y)", r"(?P=zz)", r"[a", r"*a", r"(?z)"]:
    case(bad, ["a"])

with open("re.json", "w") as fh:
    json.dump(cases, fh, indent=0, ensure_ascii=False)
print(len(cases), "cases", sum(1 for c in cases if "error" in c), "errors")
