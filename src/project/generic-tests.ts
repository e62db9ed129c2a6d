import type { ContextFactory } from '../context/context-factory.js';
import { newCapture, type ParseCapture } from '../context/parse-context.js';
import { renderTestKwargs } from '../context/test-kwargs.js';
import { callJinja, type JinjaEnvironment } from '../jinja/index.js';
import type { CompiledNode, Macro, NodeConfig } from '../manifest/types.js';
import { genericTestHash, genericTestNames, modelArgument, splitTestName, testArgs } from './generic-test-names.js';
import { blankNode } from './node-defaults.js';
import { framedList } from '../util/exact-list.js';
import type { TestDecl } from './properties.js';

/** The generic test's node name (dbt's full synthesized name, or the custom `name:`); see genericTestNames. */
export function genericTestName(decl: TestDecl): string {
  return genericTestNames(decl).full;
}

/**
 * The test node for a declaration; `raw_code` calls the test macro with the
 * stored kwargs, as dbt's does. Named and hashed as dbt does, so unique ids
 * match dbt's manifest (`test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1`);
 * a name of 64+ characters keeps a short form for the compiled file and the alias.
 * `config`: the test type's default config unless given (parse passes a
 * placeholder it replaces: the default would be thrown away at once).
 */
export function genericTestNode(decl: TestDecl, config?: NodeConfig): CompiledNode {
  // The macro's kwargs: the arguments, column_name, then `model` (the names skip `model`, so they are read from these).
  const kwargs = testArgs(decl);
  const target = targetStrings(decl);
  kwargs.model = target.model;
  const { full: name, short } = genericTestNames(decl, kwargs);
  const [namespace, shortName] = splitTestName(decl.testName);
  const metadata = { name: shortName, namespace, kwargs };
  // dbt's builder puts the short name in the config as the alias (so store_failures tables stay under 64 characters).
  if (short !== name && decl.config.alias === undefined) decl.config = { ...decl.config, alias: short };
  const node = blankNode({
    unique_id: `test.${decl.package}.${name}.${genericTestHash(name, metadata)}`,
    resource_type: 'test',
    package_name: decl.package,
    name,
    path: `${short}.sql`,
    original_file_path: decl.file,
    fqn: framedList(decl.package, foldersOf(decl.file), name),
    raw_code: testMacroCall(shortName),
  }, config);
  node.test_metadata = metadata;
  if (decl.description !== undefined) node.description = decl.description;
  node.column_name = decl.columnName;
  node.file_key_name = target.fileKey;
  return node;
}

/** Tests' raw_code, one string per test macro (30,000 tests share three). */
const macroCalls = new Map<string, string>();
function testMacroCall(shortName: string): string {
  let call = macroCalls.get(shortName);
  if (call === undefined) {
    call = `{{ test_${shortName}(**_dbt_generic_test_kwargs) }}`;
    if (macroCalls.size > 1000) macroCalls.clear();
    macroCalls.set(shortName, call);
  }
  return call;
}

/**
 * The test's `model` argument and its node's file_key_name (`models.<name>`,
 * `sources.<source>`), kept for the last target: a resource's tests come one
 * after another and share these strings.
 */
let lastTarget: TestDecl['target'] | undefined;
let lastStrings = { model: '', fileKey: '' };
function targetStrings(decl: TestDecl): { model: string; fileKey: string } {
  const t = decl.target;
  if (t !== lastTarget) {
    lastStrings = { model: modelArgument(decl), fileKey: t.kind === 'source' ? `sources.${t.sourceName}` : `${t.kind}s.${t.name}` };
    lastTarget = t;
  }
  return lastStrings;
}

/** The folders of a properties file under its resource folder (`models/a/b.yml` → ['a']): thousands of tests share a file. */
const folders = new Map<string, readonly string[]>();
function foldersOf(file: string): readonly string[] {
  let out = folders.get(file);
  if (out === undefined) {
    out = file.split('/').slice(1, -1);
    if (folders.size > 10_000) folders.clear();
    folders.set(file, out);
  }
  return out;
}

/**
 * dbt renders a generic test's macro at parse time (with `execute` false):
 * config() calls in the macro body reach the test's config (dbt_utils sets
 * `fail_calc` this way), and refs/sources in its arguments or body are
 * recorded. Returns what the render captured; the caller merges it.
 */
export function renderGenericTestForParse(node: CompiledNode, macro: Macro, contexts: ContextFactory, env: JinjaEnvironment): ParseCapture {
  const capture = newCapture();
  const { context, resolver } = contexts.forParse(node, capture);
  const kwargs = renderTestKwargs(node.test_metadata?.kwargs ?? {}, env, node.original_file_path, context);
  context.vars._dbt_generic_test_kwargs = kwargs;
  callJinja(resolver.bind(macro), [], kwargs);
  return capture;
}
