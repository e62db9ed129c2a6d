import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import type { JinjaEnvironment, RenderContext } from '../jinja/index.js';
import type { CompiledNode } from '../manifest/types.js';
import { baseContext, type Logger } from './base-context.js';
import type { MacroRegistry } from './macro-registry.js';
import { MacroResolver, type DispatchConfig } from './macro-resolver.js';
import { parseContext, type ParseCapture } from './parse-context.js';
import type { SecretRegistry, VarResolver } from './vars.js';

/** Everything shared by the contexts of one invocation. */
export interface ContextShared {
  env: JinjaEnvironment;
  registry: MacroRegistry;
  dispatch: DispatchConfig;
  adapter: AdapterInfo;
  projectName: string;
  target: Record<string, unknown>;
  vars: VarResolver;
  osEnv: Record<string, string | undefined>;
  secrets: SecretRegistry;
  invocationId: string;
  runStartedAt: Date;
  flags: Record<string, unknown>;
  logger: Logger;
}

/** Plain dict view of a node, as `model` / `node` in templates. */
export function nodeDict(node: CompiledNode): Record<string, unknown> {
  return node as unknown as Record<string, unknown>;
}

/**
 * Builds render contexts. A context's names come from `vars`; macros and
 * package namespaces resolve lazily through a MacroResolver bound to it.
 */
export class ContextFactory {
  constructor(readonly shared: ContextShared) {}

  base(packageName: string, executing: boolean, nodeName?: string): Record<string, unknown> {
    const s = this.shared;
    return baseContext({
      projectName: s.projectName,
      packageName,
      nodeName,
      target: s.target,
      vars: s.vars,
      env: s.osEnv,
      secrets: s.secrets,
      invocationId: s.invocationId,
      runStartedAt: s.runStartedAt,
      flags: s.flags,
      logger: s.logger,
      executing,
    });
  }

  /** A RenderContext whose macros resolve from `packageName`'s point of view. */
  assemble(packageName: string, vars: Record<string, unknown>): { context: RenderContext; resolver: MacroResolver } {
    const context: RenderContext = { vars };
    const resolver = new MacroResolver(this.shared.env, this.shared.registry, this.shared.dispatch, packageName, () => context);
    context.resolve = resolver.resolve;
    return { context, resolver };
  }

  /** The parse-phase context for a node (dbt's parse provider). */
  forParse(node: CompiledNode, capture: ParseCapture, currentConfig: () => Record<string, unknown>): { context: RenderContext; resolver: MacroResolver } {
    const a = this.shared.adapter;
    const vars: Record<string, unknown> = {};
    const assembled = this.assemble(node.package_name, vars);
    Object.assign(
      vars,
      parseContext(this.base(node.package_name, false, node.name), capture, {
        relation: (spec) => a.makeRelation({ database: a.database, schema: a.schema, ...spec } as never),
        thisRelation: a.makeRelation({ database: a.database, schema: a.schema, identifier: node.name }),
        dispatch: (name, ns) => assembled.resolver.dispatch(name, ns),
        quote: (s) => a.quote(s),
        adapterType: a.type,
        model: nodeDict(node),
        currentConfig,
      }),
    );
    return assembled;
  }
}
