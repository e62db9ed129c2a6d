import type { UnitTestEntry, UnitTestFixtureEntry } from '../manifest/types.js';
import { hexDigest } from '../util/digest.js';
import { pyRepr } from './py-repr.js';

/**
 * A unit test's `checksum` as dbt-core 1.10 makes it (UnitTestDefinition's
 * build_unit_test_checksum, what state:modified compares): the sha256 of
 * `<model>-<versions>-<given>-<expect>-<overrides>` as Python formats those
 * dataclasses (their reprs), then `-<rows>` for each given input read from a
 * fixture file. The rows are the entry's, as dbt reads them (CSV as text).
 * Like dbt's repr of a YAML float, a float with no fraction prints as an int
 * here (YAML gives tsdbt a number), and a YAML date as its text.
 */
export function unitTestChecksum(entry: Pick<UnitTestEntry, 'model' | 'versions' | 'given' | 'expect' | 'overrides'>): string {
  let data = `${entry.model}-${reprVersions(entry.versions)}-[${entry.given.map(reprInput).join(', ')}]-${reprOutput(entry.expect)}-${reprOverrides(entry.overrides)}`;
  for (const g of entry.given) if (g.fixture) data += `-${pyRepr(g.rows)}`;
  return hexDigest('sha256', data);
}

/** The repr of a UnitTestFormat member (a str Enum): `<UnitTestFormat.Dict: 'dict'>`. */
function reprFormat(format: string): string {
  const name = ({ dict: 'Dict', csv: 'CSV', sql: 'SQL' } as Record<string, string>)[format] ?? format;
  return `<UnitTestFormat.${name}: ${pyRepr(format)}>`;
}

/** A dataclass's repr: `Name(field=repr, ...)`. */
const dataclass = (name: string, fields: [string, string][]): string => `${name}(${fields.map(([k, v]) => `${k}=${v}`).join(', ')})`;

const reprInput = (g: UnitTestEntry['given'][number]): string =>
  dataclass('UnitTestInputFixture', [['input', pyRepr(g.input)], ...fixtureFields(g)]);

const reprOutput = (e: UnitTestFixtureEntry): string => dataclass('UnitTestOutputFixture', fixtureFields(e));

const fixtureFields = (f: UnitTestFixtureEntry): [string, string][] => [['rows', pyRepr(f.rows)], ['format', reprFormat(f.format)], ['fixture', pyRepr(f.fixture)]];

function reprOverrides(o: UnitTestEntry['overrides']): string {
  if (o === null) return 'None';
  return dataclass('UnitTestOverrides', [['macros', pyRepr(o.macros)], ['vars', pyRepr(o.vars)], ['env_vars', pyRepr(o.env_vars)]]);
}

function reprVersions(v: UnitTestEntry['versions']): string {
  if (v === null) return 'None';
  return dataclass('UnitTestNodeVersions', [['include', pyRepr(v.include)], ['exclude', pyRepr(v.exclude)]]);
}
