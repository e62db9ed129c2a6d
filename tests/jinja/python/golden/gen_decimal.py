"""decimal.Decimal in templates (dbt's query results hold one for every
non-integer number): goldens from Jinja2 3.1 with Python's default decimal
context for str/repr, arithmetic with ints, Decimals and floats, comparisons,
filters and formatting. Values reach the templates through the context.
Run: python3 gen_decimal.py  (writes decimal.json).
"""
import json
import random
from decimal import Decimal
from jinja2 import Environment
from codec import enc, outcome

env = Environment(extensions=['jinja2.ext.do'])
cases = []


def tplc(src, ctx):
    r = outcome(lambda: env.from_string(src).render(**ctx))
    cases.append({"src": src, "ctx": {k: enc(v) for k, v in ctx.items()}, **r})


TEXTS = ['1.50', '0', '-0', '0.000', '1E-7', '1E+16', '123456789.0', '0.1', '2.675', '2.5', '-3.5', '7',
         '1.0', '100', '0.000001', '0.0000001', '12345678901234567890.123456789', '-0.05', '3.14159', '1E+2',
         'NaN', 'Infinity', '-Infinity', '9.999999999999999999999999999', '0.3333']
for t in TEXTS:
    tplc("{{ d }}|{{ [d] }}|{{ d | string }}|{{ d is number }}|{{ d is integer }}|{{ d is float }}|{% if d %}t{% else %}f{% endif %}", {"d": Decimal(t)})

FINITE = [t for t in TEXTS if t not in ('NaN', 'Infinity', '-Infinity')]
for t in FINITE:
    tplc("{{ d | int }}|{{ d | float }}|{{ d | abs }}|{{ d | round }}|{{ d | round(1) }}|{{ d | round(2, 'floor') }}|{{ d | round(0, 'ceil') }}|{{ -d }}|{{ +d }}", {"d": Decimal(t)})
    tplc("{{ '%s' % d }}|{{ '%d' % d }}|{{ '%.2f' % d }}|{{ '{}'.format(d) }}|{{ '{:.3f}'.format(d) }}|{{ d ~ '' }}", {"d": Decimal(t)})

rng = random.Random(18)


def rand_dec():
    kind = rng.random()
    if kind < 0.15:
        return Decimal(rng.randint(-50, 50))
    digits = rng.randint(1, 30)
    coef = rng.randint(0, 10 ** digits)
    exp = rng.randint(-12, 3)
    sign = '-' if rng.random() < 0.3 else ''
    return Decimal(f"{sign}{coef}E{exp}")


OPS = ['+', '-', '*', '/', '//', '%']
for _ in range(160):
    a, b = rand_dec(), rand_dec()
    op = rng.choice(OPS)
    tplc("{{ a %s b }}" % op, {"a": a, "b": b})
for _ in range(40):
    a = rand_dec()
    n = rng.randint(-20, 20)
    op = rng.choice(OPS)
    tplc("{{ a %s n }}|{{ n %s a }}" % (op, op), {"a": a, "n": n})
for _ in range(40):
    a, b = rand_dec(), rand_dec()
    tplc("{{ a == b }}|{{ a < b }}|{{ a >= b }}|{{ [a, b] | max }}|{{ [a, b] | min }}|{{ [a, b] | sort }}|{{ [a, b] | sum }}", {"a": a, "b": b})

tplc("{{ d + f }}", {"d": Decimal('1.5'), "f": 2.5})
tplc("{{ f * d }}", {"d": Decimal('1.5'), "f": 2.5})
tplc("{{ d == 1.5 }}|{{ d < 2.0 }}|{{ d == 1 }}|{{ 1 == d }}|{{ d == '1.5' }}|{{ d in [1.5] }}|{{ d > 0.1 }}", {"d": Decimal('1.5')})
tplc("{{ d == 0.1 }}|{{ d < 0.1 }}|{{ d > 0.1 }}", {"d": Decimal('0.1')})
tplc("{{ d / z }}", {"d": Decimal('1'), "z": Decimal('0')})
tplc("{{ z / z }}", {"z": Decimal('0')})
tplc("{{ d / 0 }}", {"d": Decimal('2.5')})
tplc("{{ d ** 2 }}|{{ d ** 0 }}|{{ d ** -1 }}|{{ d ** 3 }}", {"d": Decimal('1.5')})
tplc("{{ d | tojson }}", {"d": Decimal('1.5')})
tplc("{{ {'v': d} }}|{{ (d, 1) }}", {"d": Decimal('2.50')})
tplc("{{ d - d }}|{{ -d + d }}|{{ n - n }}|{{ n + n }}", {"d": Decimal('2.50'), "n": Decimal('-0')})
tplc("{{ d < nan }}", {"d": Decimal('2.50'), "nan": Decimal('NaN')})
tplc("{{ d == nan }}|{{ nan == nan }}|{{ nan + d }}|{{ inf + d }}|{{ inf * 0 }}", {"d": Decimal('2.50'), "nan": Decimal('NaN'), "inf": Decimal('Infinity')})

for t in ('NaN', 'Infinity', '-Infinity'):
    tplc("{{ d | int }}|{{ d | round(1) }}|{{ d | abs }}", {"d": Decimal(t)})
    tplc("{{ d | round(0, 'floor') }}", {"d": Decimal(t)})

with open('decimal.json', 'w') as f:
    json.dump(cases, f, indent=1, ensure_ascii=False)
    f.write('\n')
print(len(cases), 'cases')
