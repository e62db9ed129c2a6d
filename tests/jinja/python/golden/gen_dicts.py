"""Dict keys keep their Python type: goldens from Jinja2 3.1 for dicts whose
keys are ints, bools, None, tuples or digit strings, through literals,
dict(), methods, `in`, filters, iteration, namespace and macros.
Run: python3 gen_dicts.py  (writes dicts.json).
"""
import copy
import json
from jinja2 import Environment
from codec import outcome

env = Environment(extensions=['jinja2.ext.do'])
cases = []


def tpl(src):
    r = outcome(lambda: env.from_string(src).render())
    cases.append({"src": src, "ctx": {}, **r})


tpl("{{ {1: 'a', '1': 'b'} }}|{{ {1: 'a', '1': 'b'}|length }}|{{ {True: 1} }}|{{ {1: 'a', True: 'b'} }}|{{ {True: 'a', 1: 'b', 1.0: 'c'} }}|{{ {none: 0} }}")
tpl("{% set d = {'b': 1, '2': 2, 'a': 3, '1': 4} %}{{ d }}|{{ d|list }}|{% for k in d %}{{ k }};{% endfor %}")
tpl("{% set d = {2: 'x', 1: 'y', 'k': 'z'} %}{% for k, v in d.items() %}{{ k }}={{ v }}({{ k is number }});{% endfor %}|{{ d.keys()|list }}|{{ d.values()|list }}|{{ d.items()|list }}")
tpl("{% set d = {1: 'a'} %}{{ d[1] }}|{{ d.get(1) }}|{{ d.get('1') }}|{{ d.get(2, 'dflt') }}|{{ 1 in d }}|{{ '1' in d }}|{{ true in d }}|{{ 1.0 in d }}|{{ d[true] }}")
tpl("{% set d = {1: 'a'} %}{% do d.update({2: 'b', 'x': 'c'}) %}{{ d }}|{% do d.update([(3, 'd')]) %}{{ d }}|{% do d.update(k=1) %}{{ d }}")
tpl("{% set d = {1: 'a', 2: 'b'} %}{{ d.pop(1) }}|{{ d }}|{{ d.pop(5, 'no') }}|{{ d.setdefault(3, []) }}|{{ d }}|{{ d.setdefault(2, 'z') }}|{{ d.popitem() }}|{{ d }}")
tpl("{% set d = {1: 'a'} %}{{ d.copy() }}|{% set e = d.copy() %}{% do e.clear() %}{{ e }}|{{ d }}")
tpl("{{ {3: 'c', 1: 'a', 2: 'b'}|dictsort }}|{{ {3: 'c', 1: 'a', 2: 'b'}|dictsort(reverse=true) }}|{{ {3: 'c', 1: 'a'}|dictsort(by='value') }}|{{ {1: 'a', 2: 'b'}|items|list }}")
tpl("{{ {1: 'a', 2: [1, 2], 3: none, 4: true}|tojson }}")
tpl("{{ {1: 'a', '1': 'b'}|tojson }}")
tpl("{{ {(1, 2): 'x', (3,): 'y'} }}|{{ {(1, 2): 'x'}[(1, 2)] }}|{{ (1, 2) in {(1, 2): 'x'} }}")
tpl("{{ {[1]: 'x'} }}")
tpl("{{ {{'a': 1}: 'x'} }}")
tpl("{{ dict([(1, 'a'), ('1', 'b')]) }}|{{ dict({1: 'a'}, b=2) }}|{{ dict([(true, 'a')]) }}|{{ dict(a=1, b=2) }}")
tpl("{{ {1: 'a'} == {1: 'a'} }}|{{ {1: 'a'} == {'1': 'a'} }}|{{ {1: 'a'} == {true: 'a'} }}|{{ {1: 'a', 2: 'b'} == {2: 'b', 1: 'a'} }}|{{ {1: 'a'} != {1: 'b'} }}")
tpl("{% if {1: 'a'} %}t{% else %}f{% endif %}|{{ {1: 'a'}|string }}|{{ {1: 'a'} is mapping }}|{{ {1: {2: 'x'}}[1][2] }}|{{ [{1: 'a'}] }}")
tpl("{% macro show(d) %}{% for k, v in d.items() %}{{ k + 1 }}:{{ v }} {% endfor %}{% endmacro %}{{ show({1: 'a', 2: 'b'}) }}")
tpl("{% set ns = namespace(d={}) %}{% for i in [3, 1, 2] %}{% do ns.d.update({i: i * 10}) %}{% endfor %}{{ ns.d }}")
tpl("{% set d = {} %}{% for i in range(3) %}{% do d.update({i: i}) %}{% endfor %}{{ d }}|{{ d|length }}")
tpl("{% set d = {none: 'n', false: 'f'} %}{{ d[none] }}|{{ d[0] }}|{{ d }}|{{ d|first }}|{{ d|sort }}")
tpl("{{ {1: 'a', 2: 'b'}|first }}|{{ {1: 'a', 2: 'b'}|list|sum }}|{{ {1: 'a', 2: 'b'}|max }}|{{ {2: 'a', 1: 'b'}|sort }}")
tpl("{{ {1: 'a'}.items() }}|{{ {1: 'a'}.keys() }}|{{ {1: 'a'}.values() }}")
tpl("{{ {'9': 'a', 'b': 'c', '10': 'd'} }}|{{ {'9': 'a', 'b': 'c', '10': 'd'}['10'] }}|{{ {'01': 'x', 'b': 1} }}")
tpl("{% set d = {1: 'a'} %}{{ d.1 }}|{{ d['1'] }}")
tpl("{{ {1: 'x'} | map('string') | list }}|{{ {1: 'x', 2: 'y'} | join(',') }}")
tpl("{% set d = {} %}{% do d.update({'a': 1, 2: 'b'}) %}{{ '%(a)s!' % d }}|{{ '{a}-{b}'.format(**{'a': 1, 'b': 2}) }}|{{ d|urlencode }}|{{ d.a }}|{{ d['a'] }}")
tpl("{% set rows = [] %}{% for i in range(2) %}{% set r = {} %}{% do r.update({'id': i, 'name': 'n' ~ i}) %}{% do rows.append(r) %}{% endfor %}{{ rows|map(attribute='name')|join(',') }}|{{ rows|sum(attribute='id') }}|{{ rows|selectattr('id')|list }}|{{ rows|groupby('id')|map(attribute='grouper')|list }}")
tpl("{% set d = {} %}{{ d }}|{{ d|length }}|{{ d is mapping }}|{% if d %}t{% else %}f{% endif %}|{{ d == {} }}|{{ {} == d }}|{{ d|tojson }}|{{ d.get('x') }}")



def tplc(src, ctx):
    r = outcome(lambda: env.from_string(src).render(**copy.deepcopy(ctx)))
    cases.append({"src": src, "ctx": ctx, **r})


# A dict that starts with text keys (a literal, dict(), a config/YAML value from
# the context) and is later given an int/bool/None key or a digit string: Python
# keeps the key's type and the insertion order, and every reference sees it.
tpl("{% set d = {'1': 'a'} %}{% do d.update({1: 'b'}) %}{{ d }}|{{ d|length }}|{{ d[1] }}|{{ d['1'] }}|{{ d.get(1) }}|{{ 1 in d }}|{{ d|list }}")
tplc("{% do cfg.update({1: 'x', none: 'n'}) %}{{ cfg }}|{% for k in cfg %}{{ k is number }},{% endfor %}|{{ cfg.a }}|{{ cfg[none] }}", {"cfg": {"a": 1, "b": 2}})
tpl("{% set d = {'a': 1} %}{% do d.setdefault(2, []).append('x') %}{% do d.setdefault(2, []).append('y') %}{{ d }}|{{ d[2] }}|{{ d.setdefault('a', 5) }}")
tpl("{% set d = dict(a=1) %}{% do d.update([(true, 't'), ('b', 2)]) %}{{ d }}|{{ d[1] }}|{{ d.b }}")
tpl("{% set ns = namespace(d={'x': 0}) %}{% for i in [2, 1] %}{% do ns.d.update({i: i * 10}) %}{% endfor %}{{ ns.d }}|{{ ns.d.keys()|list }}|{{ ns.d[2] }}")
tpl("{% set rows = [{'k': 1}] %}{% do rows[0].update({2: 'two'}) %}{{ rows }}|{{ rows[0][2] }}")
tpl("{% set d = {'b': 1} %}{% do d.update({'2': 2, 'a': 3}) %}{{ d }}|{{ d|list }}|{{ d['2'] }}|{{ d.get(2) }}")
tpl("{% macro add(d) %}{% do d.update({0: 'zero'}) %}{% endmacro %}{% set d = {'k': 'v'} %}{{ add(d) }}{{ d }}|{{ 0 in d }}|{{ '0' in d }}|{{ false in d }}")
tplc("{% set m = cfg %}{% do m.setdefault(none, 'n') %}{% for k, v in m.items() %}{{ k }}={{ v }};{% endfor %}|{{ cfg|length }}", {"cfg": {"x": [1, 2]}})
tpl("{% set d = {'a': 1} %}{% set e = dict(d, b=2) %}{% do e.update({3: 'c'}) %}{{ e }}|{{ d }}")
tpl("{% set d = {'a': 1} %}{% do d.update({1: 0}) %}{{ '%(a)s' % d }}|{{ d.a }}|{{ d.get('a') }}|{{ d|dictsort(false, 'value') }}|{{ d == {'a': 1, 1: 0} }}|{{ d is mapping }}")
tpl("{% set d = {'a': 1} %}{% do d.update({1: 2}) %}{% set e = d.copy() %}{% do e.update({'a': 9}) %}{{ d }}|{{ e }}|{{ d.items()|list }}")
tpl("{% set d = {'1': 'a'} %}{% do d.update({1: 'b'}) %}{{ d.pop(1) }}|{{ d }}|{{ d.get(1, 'gone') }}|{{ d.popitem() }}|{{ d }}")
tpl("{% set d = {'a': 1} %}{% do d.update({1.0: 'f'}) %}{% do d.update({true: 't'}) %}{{ d }}|{{ d[1] }}|{{ {1: 'z', 'a': 1}.update(d) }}")
tpl("{% set d = {'a': 1} %}{% do d.update(b=2) %}{% do d.update({'c': 3}) %}{% do d.update([('e', 5)]) %}{{ d }}|{{ d.setdefault('f', 6) }}|{{ d }}")
tpl("{% set d = {'a': {'n': 1}} %}{% do d['a'].update({(1, 2): 't'}) %}{{ d }}|{{ d['a'][(1, 2)] }}")
tplc("{% set e = {} %}{% do e.update({'x': 1}) %}{% do cfg.update({}) %}{% do cfg.update(e) %}{% do cfg.update(dict(y=2)) %}{{ cfg }}|{{ cfg.x }}", {"cfg": {"a": 1}})

with open("dicts.json", "w") as fh:
    json.dump(cases, fh, indent=0, ensure_ascii=False)
print(len(cases), "cases", sum(1 for c in cases if "error" in c), "errors")
