"""Goldens for tests/adapters/agate-print.test.ts, made with Python itself
(no agate here): how agate 1.9's print_table writes a decimal column (every
value with the column's most decimal places, at most 3, then an ellipsis;
rounded half to even by Decimal, the sign that of the value before
rounding, as babel's format_decimal; en_US grouping), a datetime, a
timedelta, a time and bytes (str) that a Python driver returns.

Run: python3 tests/adapters/golden/gen_agate_cells.py > tests/adapters/golden/agate-cells.json
"""
import datetime
import json
from decimal import Decimal, ROUND_HALF_EVEN

COLUMNS = [
    [1234.5, -0.25, 1000000.0, None],
    [1 / 3, 2.0],
    [0.0125, 0.0135, 2.5, -0.0004],
    [0.1, 0.2, 0.30000000000000004],
    [1e21, 12.0],
    [-1234567.891, 0.5],
    [5e-7, 1.0],
]


def places_of(values):
    places = 0
    for v in values:
        if v is None:
            continue
        exponent = Decimal(repr(v)).normalize().as_tuple().exponent
        places = max(places, -exponent)
    return places


def cells(values, max_precision=3):
    places = places_of(values)
    ellipsis = ''
    if places > max_precision:
        places, ellipsis = max_precision, '…'
    out = []
    for v in values:
        if v is None:
            out.append('')
            continue
        q = Decimal(repr(v)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
        # babel takes the sign before rounding: -0.0004 is '-0.000'.
        out.append(format(q, f',.{places}f') + ellipsis)
    return out


def micros(days=0, seconds=0, us=0):
    return (days * 86400 + seconds) * 1_000_000 + us


INTERVALS = [
    {'months': 0, 'days': 1, 'micros': 0},
    {'months': 1, 'days': 0, 'micros': micros(seconds=3723, us=1)},
    {'months': 0, 'days': 0, 'micros': -1},
    {'months': 0, 'days': 0, 'micros': micros(seconds=59)},
    {'months': 0, 'days': -3, 'micros': micros(seconds=7200)},
]


def timedelta_of(i):
    return datetime.timedelta(days=i['months'] * 30 + i['days'], microseconds=i['micros'])


DATETIMES = ['2024-03-01T10:30:00.000', '2024-03-01T10:30:00.123', '1999-12-31T23:59:59.001']

# A TIME as DuckDB's driver gives it (microseconds after midnight), and BLOBs.
TIMES = [45296000000, 45296000001, 0, 86399999999]
BYTES = [[0, 97, 98], [39], [39, 34], [92, 10, 9, 13, 127, 255], []]

print(json.dumps({
    'numbers': [{'values': c, 'cells': cells(c)} for c in COLUMNS],
    'intervals': [{'value': i, 'text': str(timedelta_of(i))} for i in INTERVALS],
    'times': [{'micros': m, 'str': str((datetime.datetime.min + datetime.timedelta(microseconds=m)).time())} for m in TIMES],
    'bytes': [{'values': b, 'str': str(bytes(b))} for b in BYTES],
    'datetimes': [{'iso': d, 'str': str(datetime.datetime.fromisoformat(d)), 'isoformat': datetime.datetime.fromisoformat(d).isoformat(), 'zoned': str(datetime.datetime.fromisoformat(d).replace(tzinfo=datetime.timezone.utc))} for d in DATETIMES],
}, indent=1, ensure_ascii=False))
