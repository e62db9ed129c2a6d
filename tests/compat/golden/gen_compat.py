"""Jinja2 3.1 goldens for the constructs dbt packages rely on (tests/compat).

Run: python3 tests/compat/golden/gen_compat.py > tests/compat/golden/compat.json

`set` is Python's set, as dbt puts it in the context. `rel` is a stand-in for
dbt's relation: a Mapping whose get('metadata') names its class, as
dbt-adapters' BaseRelation does. Rows carry named fields like groupby's tuples.
"""
import collections.abc
import json
import re
import jinja2


class Rel(collections.abc.Mapping):
    _fields = {"database": "db", "schema": "analytics", "identifier": "orders"}

    def __getitem__(self, key):
        if key in self._fields:
            return self._fields[key]
        raise KeyError(key)

    def __iter__(self):
        return iter(self._fields)

    def __len__(self):
        return len(self._fields)

    def get(self, key, default=None):
        if key == "metadata":
            return {"type": "BaseRelation"}
        return super().get(key, default)

    def __str__(self):
        return '"db"."analytics"."orders"'


CASES = [
    # set(): order-insensitive equality, membership, methods (dbt_utils.equality compares column sets)
    "{{ set(['a', 'b']) == set(['b', 'a', 'a']) }}|{{ set(['a', 'b']) != set(['a']) }}|{{ set('abca') | length }}|{{ 'a' in set(['a']) }}|{{ set([]) | length }}",
    "{{ set([3, 1]).union([2]) | sort }}|{{ set([1, 2, 3]).difference([2]) | sort }}|{{ set([1, 2]).intersection([2, 5]) | list }}|{{ set([1, 2]).issubset([1, 2, 3]) }}|{{ set([1, 2]).issuperset([3]) }}",
    "{% set s = set([]) %}{% do s.add('x') %}{% do s.add('x') %}{% do s.update(['y']) %}{{ s | sort }}|{{ s | length }}|{{ set(['a']) == ['a'] }}|{{ (set([1]) if true) == set([1]) }}",
    "{% set a = ['\"ID\"', '\"Name\"'] %}{% set b = ['\"name\"', '\"id\"'] %}{{ set(a | map('lower')) == set(b | map('lower')) }}|{{ set(a) == set(b) }}",
    "{% if set([]) %}T{% else %}F{% endif %}{% if set([0]) %}T{% else %}F{% endif %}",
    "{{ set([1, 2]) | list }}|{{ set([1, 2]) | sum }}|{{ set(['x']) }}|{{ set([]) }}|{% for x in set([3, 4]) %}{{ x }}{% endfor %}|{{ set([1]) is iterable }}|{{ set([1]) is sequence }}",
    # mapping-like host objects: `is mapping`, .get with the metadata override, [key]
    "{{ rel is mapping }}|{{ rel.get('metadata', {}).get('type', '').endswith('Relation') }}|{{ rel['schema'] }}|{{ rel.get('nope', 'dflt') }}|{{ rel.get('identifier') }}|{{ rel is sequence }}|{{ 'x' is mapping }}",
    "{% if not (rel is mapping and rel.get('metadata', {}).get('type', '').endswith('Relation')) %}no{% else %}yes{% endif %}|{% set s = rel ~ '' %}{% if not (s is mapping) %}str{% endif %}",
    # re.Match subscript, tuple slices and groupby fields through the engine
    "{% set m = modules.re.match('(\\\\w+)-(\\\\d+)', 'ab-12') %}{{ m[0] }}|{{ m[1] }}|{{ m[2] }}|{{ (1, 2, 3)[1:] }}|{{ (1, 2, 3)[::-1] }}",
    "{% for g in rows | groupby('k') %}{{ g.grouper }}={{ g.list | map(attribute='v') | join(',') }};{% endfor %}|{{ (rows | groupby('k') | first).grouper }}",
]


class Modules:
    re = re


def main():
    env = jinja2.Environment(extensions=["jinja2.ext.do"])
    env.globals["set"] = set
    ctx = {"rel": Rel(), "modules": Modules(), "rows": [{"k": "b", "v": 1}, {"k": "a", "v": 2}, {"k": "b", "v": 3}]}
    out = []
    for src in CASES:
        out.append({"src": src, "out": env.from_string(src).render(**ctx)})
    print(json.dumps(out, indent=2))


main()
