import { collectNames } from './ast.js';
import { parseTemplate } from './template-parser.js';

/**
 * Every name a template's Jinja reads, without rendering it (dbt's
 * statically_extract_has_name_this asks this for `this`); null when the
 * template does not parse.
 */
export function templateNames(source: string, file = '<template>'): Set<string> | null {
  try {
    return collectNames(parseTemplate(source.replace(/\r\n?/g, '\n'), file), new Set());
  } catch {
    return null;
  }
}
