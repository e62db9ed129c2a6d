import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { newCapture } from '../../src/context/parse-context.js';
import { blankNode } from '../../src/project/node-defaults.js';
import { makeProject } from './project-fixture.js';

/**
 * Render `template` as if it were a model of a project made from `files`
 * (parse-phase context: macros, dispatch, target, var), and return the text.
 * For testing macros' output without running anything.
 */
export function renderInProject(template: string, files: Record<string, string> = {}, opts: { target?: string; env?: Record<string, string> } = {}): string {
  const dir = makeProject(files);
  const loaded = loadProject({ projectDir: dir, env: opts.env ?? {}, target: opts.target });
  const { contexts } = parseLoaded(loaded);
  const node = blankNode({
    unique_id: 'model.test_project.__render__',
    resource_type: 'model',
    package_name: loaded.root.name,
    name: '__render__',
    path: '__render__.sql',
    original_file_path: 'models/__render__.sql',
    fqn: [loaded.root.name, '__render__'],
    raw_code: template,
  });
  const { context } = contexts.forParse(node, newCapture());
  return loaded.jinja.renderString(template, 'models/__render__.sql', context);
}
