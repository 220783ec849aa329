/**
 * The compatibility corpus: handlers written against real npm packages, deployed to Thaw the two
 * ways users deploy them, and checked against the same handler run by Node on the host.
 *
 * - bundled: the handler's folder is bundled by `bundleFunction` (src/bundler/, `thaw build`) into
 *   a one-file code package;
 * - unbundled: the code package holds the handler and a `node_modules` with the real packages, as a
 *   zip uploaded to Lambda would (files symlinked from the repo's node_modules, which the code
 *   package loader follows).
 *
 * Each case runs in every mode of `MODES`: cold INIT and restored from a snapshot.
 */
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Test } from 'tap'
import { bundleFunction, type Host, type InvokeResult } from '../../src/index.js'
import { hostFor } from '../conformance/fixture.js'
import { coldQuickJs, snapshotQuickJs, type ConformanceMode } from '../conformance/mode.js'

export const MODES: readonly ConformanceMode[] = [coldQuickJs, snapshotQuickJs]

export type Packaging = 'bundled' | 'unbundled'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const NODE_MODULES = path.join(ROOT, 'node_modules')

/** Lambda's TZ; the host's Node computes expected dates in the same zone as the guest. */
process.env.TZ = 'UTC'

async function tempDir(t: Test, prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `thaw-compat-${prefix}-`))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), content)
  }
}

/** The handler's folder as a developer has it: its files and a node_modules (the repo's, linked). */
export async function sourceFolder(t: Test, files: Record<string, string>): Promise<string> {
  const dir = await tempDir(t, 'src')
  await writeFiles(dir, files)
  await symlink(NODE_MODULES, path.join(dir, 'node_modules'), 'dir')
  return dir
}

/** A code package made by the bundler from the handler's folder: one `.mjs` file. */
export async function bundledPackage(t: Test, source: string, handler: string): Promise<string> {
  const outDir = await tempDir(t, 'bundle')
  const result = await bundleFunction({ dir: source, outDir, handler })
  t.same(result.warnings, [], 'the bundler has no warnings')
  t.same(await readdir(outDir, { recursive: true }), [`${handler.slice(0, handler.lastIndexOf('.'))}.mjs`], 'the package is one ES module')
  return outDir
}

/**
 * A code package with the handler's files and `node_modules/<name>` for each package (and the
 * packages it depends on): directories made, files symlinked to the real ones.
 */
export async function unbundledPackage(t: Test, files: Record<string, string>, packages: readonly string[]): Promise<string> {
  const dir = await tempDir(t, 'pkg')
  await writeFiles(dir, files)
  const seen = new Set<string>()
  const add = async (name: string): Promise<void> => {
    if (seen.has(name)) return
    seen.add(name)
    const from = await realpath(path.join(NODE_MODULES, name))
    await mirror(from, path.join(dir, 'node_modules', name))
    const manifest = JSON.parse(await readFile(path.join(from, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
    for (const dependency of Object.keys(manifest.dependencies ?? {})) await add(dependency)
  }
  for (const name of packages) await add(name)
  return dir
}

async function mirror(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true })
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) await mirror(path.join(from, entry.name), path.join(to, entry.name))
    else if (entry.isFile()) await symlink(path.join(from, entry.name), path.join(to, entry.name))
  }
}

/** The code package for `packaging`, made from the handler's source folder. */
export async function codePackage(
  t: Test,
  packaging: Packaging,
  files: Record<string, string>,
  options: { handler: string; packages?: readonly string[] },
): Promise<string> {
  if (packaging === 'bundled') return bundledPackage(t, await sourceFolder(t, files), options.handler)
  return unbundledPackage(t, files, options.packages ?? [])
}

export type Handler = (event: unknown, context: unknown) => Promise<unknown>

/** The same handler, loaded by the host's Node from a source folder (the reference). */
export async function nodeHandler(source: string, file: string, exportName = 'handler'): Promise<Handler> {
  const module = (await import(pathToFileURL(path.join(source, file)).href)) as Record<string, unknown>
  const handler = (module[exportName] ?? (module.default as Record<string, unknown> | undefined)?.[exportName]) as Handler | undefined
  if (typeof handler !== 'function') throw new Error(`${file} exports no function ${exportName}`)
  return handler
}

/** A Lambda context for handlers run in Node; handlers in the corpus print nothing from it. */
export function nodeContext(): Record<string, unknown> {
  const deadline = Date.now() + 3000
  return {
    functionName: 'compat',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:compat',
    memoryLimitInMB: '128',
    awsRequestId: '00000000-0000-4000-8000-000000000000',
    logGroupName: '/aws/lambda/compat',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  }
}

export interface DeployedCase {
  invoke(event: unknown): Promise<InvokeResult>
}

let counter = 0

/** Deploys a code folder through the mode (cold, or SnapStart on $LATEST). */
export async function deployFolder(host: Host, mode: ConformanceMode, dir: string, handler: string): Promise<DeployedCase> {
  const name = `compat-${++counter}`
  const target = await mode.deploy(host, { name, runtime: 'quickjs', handler, code: { dir }, timeoutMs: 10_000 })
  return { invoke: (event) => host.invoke(target, event) }
}

/**
 * `{ payload }` of a successful invocation, or undefined after failing the test with the error
 * (its type, message and the first lines of its trace: what the integrator needs to see).
 */
export function guestPayload(t: Test, result: InvokeResult, label: string): { payload: unknown } | undefined {
  if (result.ok) return { payload: result.payload }
  // The frames in the function's own code (the runtime's frames say nothing about the gap).
  const frames = result.error.trace.slice(1).filter((line) => line.includes('/var/task/')).slice(0, 3)
  const trace = frames.map((line) => `\n    ${line.trim()}`).join('')
  t.fail(`${label}: the invocation failed: ${result.error.errorType}: ${result.error.errorMessage}${trace}`)
  return undefined
}

/**
 * Runs one corpus case: for every mode, a host, the code package deployed, each event invoked in
 * the guest and in Node, and the payloads compared (or the part of them `comparable` picks: random ids differ).
 * `check` asserts known values and formats on a payload: Node's first, then the guest's (when its
 * invocation succeeded).
 */
export async function runCase(
  t: Test,
  options: {
    packaging: Packaging
    files: Record<string, string>
    handler?: string
    packages?: readonly string[]
    events: readonly { label: string; event: unknown; check?: (t: Test, payload: unknown) => void; comparable?: (payload: any) => unknown }[]
  },
): Promise<void> {
  const handler = options.handler ?? 'index.handler'
  const reference = await sourceFolder(t, options.files)
  const dot = handler.lastIndexOf('.')
  const file = Object.keys(options.files).find((name) => name.replace(/\.(m|c)?js$/, '') === handler.slice(0, dot)) as string
  const inNode = await nodeHandler(reference, file, handler.slice(dot + 1))
  // The known values hold for the reference too: a check that fails here is a wrong test, not a gap.
  // Node gets a copy of each event: handlers may change theirs (middy's body parser does).
  await t.test('in Node (the reference)', async (t) => {
    for (const { label, event, check } of options.events) {
      t.comment(label)
      check?.(t, JSON.parse(JSON.stringify(await inNode(structuredClone(event), nodeContext()))))
    }
  })
  const dir = await codePackage(t, options.packaging, options.files, { handler, packages: options.packages ?? [] })
  for (const mode of MODES) {
    await t.test(`${options.packaging}, ${mode.name}`, async (t) => {
      const host = await hostFor(t, mode)
      const fn = await deployFolder(host, mode, dir, handler)
      for (const { label, event, check, comparable = (payload: unknown) => payload } of options.events) {
        const outcome = guestPayload(t, await fn.invoke(event), label)
        if (outcome === undefined) continue
        const { payload } = outcome
        const reference: unknown = JSON.parse(JSON.stringify(await inNode(structuredClone(event), nodeContext())))
        t.same(comparable(payload), comparable(reference), `${label}: as in Node`)
        check?.(t, payload)
      }
    })
  }
}
