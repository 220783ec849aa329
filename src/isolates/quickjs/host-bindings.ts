import { randomFillSync } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core'
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { CodePackage, packagePath, TASK_ROOT } from '../../functions/code-package.js'
import type { ModuleResolver } from '../../functions/module-resolver.js'
import { parseGuestFetchRequest, type GuestFetchRequest } from '../../egress/host-fetch.js'
import { createWorkBindings } from './host-work-bindings.js'
import type { HostWorkLimits } from './host-work.js'

/**
 * The host functions a QuickJS guest may call synchronously (see HostBindings), installed as
 * `globalThis.__thaw_host` for the guest runtime to take. Each one only reads the function's
 * own code package (and layers) or host entropy and clocks: nothing here reaches the host's
 * objects or the host's filesystem.
 */

type Binding = (...args: QuickJSHandle[]) => QuickJSHandle | { error: QuickJSHandle } | undefined

/** Where the guest's asynchronous host I/O goes (the environment's HostFetcher). */
export interface GuestIoPort {
  fetchStart(id: number, request: GuestFetchRequest, body: Uint8Array | undefined): void
  cancel(id: number): void
}

/** The bindings in a fixed order: a restore re-registers them in this order (engine-internals). */
export type HostBindingTable = readonly (readonly [name: keyof HostBindings, fn: Binding])[]

/** What the bindings of one environment work with. */
export interface HostBindingServices {
  readonly pkg: CodePackage
  readonly resolver: ModuleResolver
  readonly chunks: ReadonlyMap<string, string>
  readonly memory: WebAssembly.Memory
  readonly io: GuestIoPort
  readonly limits: HostWorkLimits
  /** The package files the guest has loaded as modules so far (both loaders add to it). */
  readonly loadedModules: Set<string>
}

export function createHostBindings(ctx: QuickJSContext, services: HostBindingServices): HostBindingTable {
  const { pkg, resolver, chunks, memory, io, limits, loadedModules } = services
  const text = (handle: QuickJSHandle | undefined) => (handle === undefined ? '' : ctx.getString(handle))
  const fail = (error: unknown) => ({ error: ctx.newError(error as Error) })
  const mounts = readOnlyMounts(pkg)

  const bindings: Record<keyof HostBindings, Binding> = {
    resolve: (specifier, fromPath, mode) => {
      try {
        const resolved = resolver.resolve(text(specifier), text(fromPath), text(mode) === 'import' ? 'import' : 'require')
        return ctx.newString(`${resolved.format}:${resolved.path}`)
      } catch (error) {
        const guestError = ctx.newError(error as Error)
        const code = ctx.newString('MODULE_NOT_FOUND')
        ctx.setProp(guestError, 'code', code)
        code.dispose()
        return { error: guestError }
      }
    },
    locateHandler: (modulePath) => {
      const located = resolver.locateHandlerModule(text(modulePath))
      return located === undefined ? undefined : ctx.newString(`${located.format}:${located.path}`)
    },
    compileCommonJs: (pathHandle) => {
      const path = text(pathHandle)
      const source = pkg.text(packagePath(path))
      if (source === undefined) return fail(new Error(`Cannot find module '${path}'`))
      loadedModules.add(path)
      // Kept on one line with the source so that line numbers in stack traces stay true.
      const wrapped = `(function (exports, require, module, __filename, __dirname) {${stripShebang(source)}\n})`
      const result = ctx.evalCode(wrapped, path, { type: 'global' })
      return result.error === undefined ? result.value : { error: result.error }
    },
    readText: (pathHandle) => {
      const content = pkg.text(packagePath(text(pathHandle)))
      return content === undefined ? undefined : ctx.newString(content)
    },
    randomBytes: (lengthHandle) => {
      const length = Math.max(0, Math.min(65_536, Math.floor(ctx.getNumber(lengthHandle ?? ctx.undefined)) || 0))
      return ctx.newArrayBuffer(randomFillSync(new Uint8Array(length)).buffer)
    },
    monotonicNow: () => ctx.newNumber(performance.now()),
    loadChunk: (nameHandle) => {
      const name = text(nameHandle)
      const source = chunks.get(name)
      if (source === undefined) return fail(new Error(`No guest chunk named ${name}`))
      const result = ctx.evalCode(source, `thaw:${name}`, { type: 'global' })
      return result.error === undefined ? result.value : { error: result.error }
    },
    statPath: (pathHandle) => {
      const found = mounts.locate(text(pathHandle))
      if (found === undefined) return undefined
      const [mounted, file] = found
      if (mounted.isDirectory(file)) return ctx.newNumber(-1)
      const bytes = mounted.bytes(file)
      if (bytes !== undefined) return ctx.newNumber(bytes.byteLength)
      return hasFileAncestor(mounted, file) ? ctx.newNumber(-2) : undefined
    },
    readFileBytes: (pathHandle) => {
      const found = mounts.locate(text(pathHandle))
      const bytes = found === undefined ? undefined : found[0].bytes(found[1])
      if (bytes === undefined) return undefined
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      return ctx.newArrayBuffer(whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    },
    listDirectory: (pathHandle) => {
      const found = mounts.locate(text(pathHandle))
      const entries = found === undefined ? undefined : found[0].list(found[1])
      if (entries === undefined) return undefined
      return ctx.newString(entries.map(([name, isDirectory]) => (isDirectory ? 'd' : 'f') + name).join('/'))
    },
    tmpQuotaBytes: () => ctx.newNumber(pkg.filesystem.tmpQuotaBytes),
    encodeText: (textHandle, encodingHandle) => {
      const encoding = text(encodingHandle)
      if (!Buffer.isEncoding(encoding)) return fail(new TypeError(`Unknown encoding: ${encoding}`))
      const bytes = Buffer.from(text(textHandle), encoding)
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      return ctx.newArrayBuffer(whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    },
    decodeText: (bufferHandle, offsetHandle, lengthHandle, encodingHandle) => {
      const encoding = text(encodingHandle)
      if (!Buffer.isEncoding(encoding) || bufferHandle === undefined) return fail(new TypeError(`Unknown encoding: ${encoding}`))
      using buffer = ctx.getArrayBuffer(bufferHandle)
      const offset = Math.max(0, Math.min(buffer.value.length, Math.trunc(ctx.getNumber(offsetHandle ?? ctx.undefined)) || 0))
      const length = Math.max(0, Math.min(buffer.value.length - offset, Math.trunc(ctx.getNumber(lengthHandle ?? ctx.undefined)) || 0))
      const view = buffer.value.subarray(offset, offset + length)
      return ctx.newString(Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString(encoding))
    },
    fetchStart: (idHandle, requestHandle, bodyHandle) => {
      const id = ctx.getNumber(idHandle ?? ctx.undefined)
      if (!Number.isSafeInteger(id)) return fail(new TypeError('fetchStart: the operation id must be an integer'))
      try {
        const request = parseGuestFetchRequest(text(requestHandle))
        let body: Uint8Array | undefined
        if (bodyHandle !== undefined && ctx.typeof(bodyHandle) === 'object') {
          using bytes = ctx.getArrayBuffer(bodyHandle)
          body = bytes.value.slice()
        }
        io.fetchStart(id, request, body)
        return undefined
      } catch (error) {
        return fail(error)
      }
    },
    ioCancel: (idHandle) => {
      io.cancel(ctx.getNumber(idHandle ?? ctx.undefined))
      return undefined
    },
    memoryBytes: () => ctx.newNumber(memory.buffer.byteLength),
    referencedNames: (candidatesHandle) => {
      const candidates = text(candidatesHandle).split(',').filter((name) => /^[A-Za-z_$][\w$]*$/.test(name))
      const sources = [...loadedModules].map((path) => pkg.text(packagePath(path)) ?? '')
      const found = candidates.filter((name) => sources.some((source) => new RegExp(`\\b${name.replaceAll('$', '\\$')}\\b`).test(source)))
      return ctx.newString(found.join(','))
    },
    ...createWorkBindings(ctx, limits),
  }

  return (Object.keys(bindings) as (keyof HostBindings)[]).sort().map((name) => [name, bindings[name]] as const)
}

/** Boot: the bindings become guest functions on `globalThis.__thaw_host`, for the runtime to take. */
export function installHostBindings(ctx: QuickJSContext, table: HostBindingTable): void {
  const object = ctx.newObject()
  for (const [name, binding] of table) {
    const fn = ctx.newFunction(name, binding)
    ctx.setProp(object, name, fn)
    fn.dispose()
  }
  ctx.setProp(ctx.global, '__thaw_host', object)
  object.dispose()
}

const EMPTY = CodePackage.fromFiles(new Map())

/**
 * The read-only mounts: `/var/task` is the package, `/opt` its layers (empty without any). A guest
 * path maps to a key of one of them or to nothing: it must be absolute and normalised (the guest
 * normalises; anything else, such as `..`, `.`, empty segments or NUL, simply matches nothing).
 * Keys are only ever looked up in in-memory maps, never used as host paths.
 */
function readOnlyMounts(pkg: CodePackage) {
  const roots: readonly (readonly [prefix: string, mounted: CodePackage])[] = [
    [TASK_ROOT, pkg],
    ['/opt', pkg.filesystem.opt ?? EMPTY],
  ]
  return {
    locate(path: string): [CodePackage, string] | undefined {
      for (const [prefix, mounted] of roots) {
        if (path === prefix) return [mounted, '']
        if (!path.startsWith(`${prefix}/`)) continue
        const key = path.slice(prefix.length + 1)
        return key.split('/').some((part) => part === '' || part === '.' || part === '..' || part.includes('\0')) ? undefined : [mounted, key]
      }
      return undefined
    },
  }
}

/** Some parent folder of `file` is a file (the guest's ENOTDIR). */
function hasFileAncestor(mounted: CodePackage, file: string): boolean {
  for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
    if (mounted.isFile(file.slice(0, slash))) return true
  }
  return false
}

function stripShebang(source: string): string {
  return source.startsWith('#!') ? `//${source.slice(2)}` : source
}
