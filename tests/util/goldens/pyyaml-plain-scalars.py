# python3 tests/util/goldens/pyyaml-plain-scalars.py > tests/util/goldens/pyyaml-plain-scalars.json
# Goldens: how PyYAML's SafeLoader (dbt's loader) types plain scalars.
import json, math, yaml, datetime
scalars = ['null', 'Null', 'NULL', '~', '', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE',
  'yes', 'Yes', 'YES', 'yES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N',
  '0', '-0', '+0', '+12', '-12', '007', '010', '-010', '08', '09', '0_7', '0_', '0x1F', '-0x1F', '0x_1f', '0X1F', '0o17', '0b11', '-0b101', '0b2',
  '1_000', '1__0', '_1', '1_', '12:30', '-1:30', '1:30:45', '1:60', '01:30', '0:30', '1:30.5', '190:20:30.15',
  '1.50', '-.5', '.5', '+.5', '5.', '1.', '1._5', '1_0.5', '1e3', '1E3', '1.5e3', '1.5e+3', '1.5E-3', '6.02E+23', '.5e+2', '1.0e3',
  '.inf', '-.Inf', '+.INF', '.NaN', '.nan', '.NAN', '-.nan', 'inf', 'nan',
  '2024-01-01', '2024-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '=', 'v1.2', '9007199254740993', '-', '+', '.', '0.', '00', '0b', '0x']
out = []
for s in scalars:
    try:
        v = yaml.safe_load('k: ' + s)['k'] if s != '' else yaml.safe_load('k:')['k']
    except Exception as e:
        out.append([s, 'error', type(e).__name__]); continue
    if isinstance(v, bool): out.append([s, 'bool', v])
    elif isinstance(v, int): out.append([s, 'int', str(v)])
    elif isinstance(v, float): out.append([s, 'float', 'nan' if math.isnan(v) else ('inf' if v == math.inf else ('-inf' if v == -math.inf else repr(v)))])
    elif v is None: out.append([s, 'null', None])
    elif isinstance(v, (datetime.date, datetime.datetime)): out.append([s, type(v).__name__, str(v)])
    else: out.append([s, 'str', v])
print(json.dumps(out, indent=0))
