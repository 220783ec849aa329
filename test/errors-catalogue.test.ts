/**
 * docs/errors.md is the catalogue of errors; this test keeps it in step with the code:
 * - every ThawError code in ERROR_CODES is in the host-error table, with the same Lambda
 *   errorType and HTTP status, and the table lists no code that does not exist;
 * - every `Runtime.*` / `Sandbox.*` / `Function.*` errorType the sources can produce is in the
 *   function-error table, and the table lists none that the sources never produce.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { ERROR_CODES, ThawError, type ThawErrorCode } from '../src/index.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const doc = await readFile(path.join(ROOT, 'docs', 'errors.md'), 'utf8')

/** The body of the `## heading` section (up to the next `## `). */
function section(markdown: string, heading: RegExp): string {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => line.startsWith('## ') && heading.test(line))
  if (start === -1) return ''
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '))
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n')
}

/** The rows of the first Markdown table in `text`, header and separator dropped, cells trimmed. */
function tableRows(text: string): string[][] {
  const rows: string[][] = []
  let inTable = false
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (!trimmed.startsWith('|')) {
      if (inTable) break
      continue
    }
    inTable = true
    rows.push(
      trimmed
        .replace(/^\|/, '')
        .replace(/\|$/, '')
        .split('|')
        .map((cell) => cell.trim()),
    )
  }
  return rows.slice(2) // header, |---|
}

const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1')

t.test('every ThawError code is documented with its errorType and HTTP status', async (t) => {
  const rows = tableRows(section(doc, /Host errors/))
  t.ok(rows.length > 0, 'docs/errors.md has a host-error table under "## Host errors"')
  const documented = new Map<string, { errorType: string; httpStatus: number; when: string }>()
  for (const row of rows) {
    t.equal(row.length, 4, `a row has 4 cells (code, errorType, HTTP status, when): ${row[0]}`)
    const [code = '', errorType = '', status = '', when = ''] = row
    const name = unquote(code)
    t.match(name, /^THAW_[A-Z_]+$/, `a code cell names a code: ${code}`)
    t.notOk(documented.has(name), `${name} is listed once`)
    documented.set(name, { errorType: unquote(errorType), httpStatus: Number(status), when })
  }

  const codes = Object.keys(ERROR_CODES) as ThawErrorCode[]
  t.ok(codes.length >= 11, 'ERROR_CODES is not empty')
  for (const code of codes) {
    const row = documented.get(code)
    if (row === undefined) {
      t.fail(`${code} is missing from docs/errors.md`)
      continue
    }
    const info = ERROR_CODES[code]
    t.equal(row.errorType, info.errorType, `${code}: documented errorType`)
    t.equal(row.httpStatus, info.httpStatus, `${code}: documented HTTP status`)
    t.ok(row.when.length > 20, `${code}: says when it happens`)
    // The documented values are what a thrown error reports.
    const error = new ThawError(code, 'x')
    t.equal(error.errorType, row.errorType, `${code}: ThawError#errorType`)
    t.equal(error.httpStatus, row.httpStatus, `${code}: ThawError#httpStatus`)
  }
  const unknown = [...documented.keys()].filter((code) => !Object.hasOwn(ERROR_CODES, code))
  t.same(unknown, [], 'the doc lists no code that does not exist')
})

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
}

t.test('every function errorType the sources produce is documented', async (t) => {
  const rows = tableRows(section(doc, /Function errors/))
  t.ok(rows.length > 0, 'docs/errors.md has a function-error table under "## Function errors"')
  const documented = new Set(rows.map((row) => unquote(row[0] ?? '')))

  const required = [
    'Runtime.MalformedHandlerName',
    'Runtime.ImportModuleError',
    'Runtime.UserCodeSyntaxError',
    'Runtime.HandlerNotFound',
    'Runtime.NodeJsExit',
    'Runtime.ExitError',
    'Runtime.OutOfMemory',
    'Sandbox.Timedout',
    'Function.ResponseSizeTooLarge',
  ]
  for (const errorType of required) t.ok(documented.has(errorType), `${errorType} is documented`)
  t.ok(
    rows.some((row) => /own name/.test(row[0] ?? '')),
    "a row covers handler errors, whose errorType is the error's own name",
  )

  const produced = new Set<string>()
  for (const dir of ['src', 'guest', 'runtime-api']) {
    for (const file of await sourceFiles(dir)) {
      const text = await readFile(file, 'utf8')
      for (const match of text.matchAll(/['"`]((?:Runtime|Sandbox|Function)\.[A-Z][A-Za-z]+)['"`]/g)) produced.add(match[1] as string)
    }
  }
  t.ok(produced.size >= required.length, 'found the errorTypes in the sources')
  for (const errorType of [...produced].sort()) {
    t.ok(documented.has(errorType), `${errorType} (produced in the sources) is documented`)
  }
  const stale = [...documented].filter((errorType) => /^(Runtime|Sandbox|Function)\./.test(errorType) && !produced.has(errorType))
  t.same(stale, [], 'the doc lists no Runtime./Sandbox./Function. errorType the sources never produce')
})
