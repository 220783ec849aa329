import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { loadFunctionsDir } from './functions-dir.js'
import { loadSamTemplate, type SamTemplateOptions } from './template.js'
import type { LoadedFunctions } from './types.js'

export { loadFunctionsDir } from './functions-dir.js'
export { loadSamTemplate, parseSamTemplate, type SamTemplateOptions } from './template.js'
export type * from './types.js'

/** The template names SAM CLI looks for in a folder. */
const TEMPLATE_NAMES = ['template.yaml', 'template.yml', 'template.json']

/**
 * What `thaw serve [target]` loads: a template file; a folder holding `template.yaml` (as
 * `sam local` finds it); otherwise the folder in directory mode.
 */
export async function loadFunctions(target: string, options: SamTemplateOptions = {}): Promise<LoadedFunctions> {
  const absolute = path.resolve(target)
  if (existsSync(absolute) && statSync(absolute).isDirectory()) {
    const template = TEMPLATE_NAMES.map((name) => path.join(absolute, name)).find((file) => existsSync(file))
    return template === undefined ? loadFunctionsDir(absolute) : loadSamTemplate(template, options)
  }
  return loadSamTemplate(absolute, options)
}
