import { configFromTree, mergeConfig, updateConfig, type ConfigLayer } from './config-merge.js';
import type { ProjectConfig } from './project-config.js';

/** A node's configs from dbt_project.yml files, in the two places dbt 1.10 applies them. */
export interface ProjectLayers {
  /** Its own package's (the root project's, for the root's nodes): first, under its properties and config() calls. */
  own: ConfigLayer;
  /** The root project's, for a package's node: last, over everything the package says (empty for the root's nodes). */
  root: ConfigLayer;
}

export type ConfigTrees = 'configTrees' | 'unrenderedConfigTrees';

/**
 * As dbt's calculate_node_config: the node's package's dbt_project.yml
 * config, then (outside this function) its properties and config() calls,
 * then, for a package's node, the root project's dbt_project.yml, so the
 * root project has the final word (`models: pkg: +enabled: false` disables
 * a package model whatever its config() says). Both are matched on the full
 * fqn. `unrenderedConfigTrees`: the configs as written, each key replacing
 * (dbt's unrendered_config).
 */
export function projectLayers(root: ProjectConfig, own: ProjectConfig | undefined, tree: string, resourceType: string, fqn: string[], trees: ConfigTrees = 'configTrees'): ProjectLayers {
  const merge = trees === 'unrenderedConfigTrees' ? updateConfig : mergeConfig;
  if (!own || own.name === root.name) return { own: configFromTree(root[trees][tree], resourceType, fqn, merge), root: {} };
  return { own: configFromTree(own[trees][tree], resourceType, fqn, merge), root: configFromTree(root[trees][tree], resourceType, fqn, merge) };
}

/** `config` with the root project's layer over it (`config` itself when that layer is empty: the root's own nodes, most of a parse). */
export function overRoot(config: ConfigLayer, root: ConfigLayer, merge = mergeConfig): ConfigLayer {
  for (const _ in root) return merge(config, root);
  return config;
}
