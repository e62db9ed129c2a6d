import { it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { pythonModules } from '../../../src/jinja/python/modules/index.js';
it('probe', () => {
const env = new JinjaEnvironment();
const t = (s: string) => { try { console.log(JSON.stringify(env.renderString(s, 'x.sql', { vars: { modules: pythonModules, d: { a: 1, b: [1, 2.5] } } } as never))); } catch (e) { console.log('ERR', (e as Error).message); } };
t("{{ 1.0 }} {{ [1, 'a', none] }} {{ (1,) }} {{ d.items() }} {{ '%s-%05.1f' % ('a', 2.25) }} {{ 'a,b'.split(',') }} {{ 7 // 2 }} {{ 7 / 2 }} {{ 4 / 2 }}");
t("{{ modules.datetime.datetime(2024, 1, 2, 3, 4, 5) + modules.datetime.timedelta(days=1, hours=2) }}");
t("{{ modules.re.sub('(\\\\w+)@(\\\\w+)', '\\\\2 at \\\\1', 'bob@example') }}");
t("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{{ d|tojson }} {{ [3,1,2]|sort|join(',') }} {{ ['a','b']|map('upper')|list }}");
t("{{ modules.pytz.timezone('America/New_York').localize(modules.datetime.datetime(2024, 7, 1, 12)) }}");
});
