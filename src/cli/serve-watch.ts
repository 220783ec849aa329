import { watch, type FSWatcher } from 'node:fs'
import path from 'node:path'
import type { DeployOptions } from '../config/function-config.js'
import type { Host } from '../host.js'

/**
 * `thaw serve --watch`: when a file under a function's code folder or one of its layer folders
 * changes, `$LATEST` of that function is deployed again; when the template changes (or, in
 * directory mode, the folder's list of functions), the definition is loaded again and whatever
 * changed in it is redeployed, added or removed.
 *
 * Invocations in flight finish on the old code: deploying replaces `$LATEST` with a new version
 * whose environments start from the new code, and the old version's pool disposes its
 * environments as they finish (FunctionRegistry.put). A reload that fails (an invalid template, a
 * code folder that is gone) leaves the previous code serving. A syntax error is not a failed
 * reload: as on Lambda, the code deploys and the next invocation reports Runtime.UserCodeSyntaxError.
 */

/** What a watched source says to serve (a subset of the serve command's definition). */
export interface WatchDefinition {
  /** The template file, or the functions folder in directory mode. */
  readonly source: { readonly kind: 'template' | 'directory'; readonly path: string }
  readonly functions: readonly DeployOptions[]
}

export interface ServeWatchOptions<D extends WatchDefinition> {
  readonly host: Host
  /** What is deployed now. */
  readonly initial: D
  /** Loads the definition again (after a template change); throws when it is invalid. */
  readonly load: () => Promise<D>
  /**
   * Runs for every function of a reloaded definition, after its deploy when it was deployed again
   * (`redeployed`): the serve command applies its SAM settings, which may change on their own.
   */
  readonly afterReload?: (name: string, redeployed: boolean, previous: D, next: D) => Promise<void>
  /** Told every definition that has been applied (the serve command updates its function URLs). */
  readonly onDefinition?: (definition: D) => void
  /** One line per reload, failed reload, added or removed function (no trailing newline). */
  readonly report: (line: string) => void
  /** Changes closer together than this are one reload. */
  readonly debounceMs?: number
  /** Folders whose changes never count (the snapshot data dir). */
  readonly ignore?: readonly string[]
}

export interface ServeWatcher {
  /** Stops watching and waits for a reload under way to finish. */
  close(): Promise<void>
}

/** Editor swap and backup files, and folders of caches and state, are not code changes. */
const IGNORED_NAME = /(^\.#)|(^#.*#$)|(~$)|(\.sw[a-p]$)|(\.swx$)|(^4913$)|(\.tmp$)|(^\.DS_Store$)/
const IGNORED_SEGMENT = new Set(['.thaw', '.git'])

export function isIgnoredPath(file: string): boolean {
  const segments = file.split(path.sep)
  if (segments.some((segment) => IGNORED_SEGMENT.has(segment))) return true
  if (file.includes(`node_modules${path.sep}.cache`)) return true
  return IGNORED_NAME.test(path.basename(file))
}

export function watchServe<D extends WatchDefinition>(options: ServeWatchOptions<D>): ServeWatcher {
  return new Watcher(options)
}

/** The folders (recursive) and single files one definition depends on. */
function watchTargets(definition: WatchDefinition): { folders: string[]; files: string[] } {
  const folders = new Set<string>()
  const files = new Set<string>()
  if (definition.source.kind === 'directory') folders.add(path.resolve(definition.source.path))
  else files.add(path.resolve(definition.source.path))
  for (const fn of definition.functions) for (const dir of codeFolders(fn)) folders.add(dir)
  // A folder inside another watched folder is already covered by the outer recursive watch.
  const outer = [...folders].filter((dir) => ![...folders].some((other) => other !== dir && isInside(dir, other)))
  const single = [...files].filter((file) => !outer.some((dir) => isInside(file, dir)))
  return { folders: outer, files: single }
}

function codeFolders(fn: DeployOptions): string[] {
  const sources = [fn.code, ...(fn.layers ?? [])]
  return sources.flatMap((source) => ('dir' in source && typeof source.dir === 'string' ? [path.resolve(source.dir)] : []))
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

class Watcher<D extends WatchDefinition> implements ServeWatcher {
  readonly #options: ServeWatchOptions<D>
  readonly #ignore: string[]
  readonly #watchers = new Map<string, FSWatcher>()
  #definition: D
  #changed = new Set<string>()
  #timer: NodeJS.Timeout | undefined
  /** Reloads run one after another; a change during a reload makes the next one. */
  #queue: Promise<void> = Promise.resolve()
  #closed = false

  constructor(options: ServeWatchOptions<D>) {
    this.#options = options
    this.#definition = options.initial
    this.#ignore = (options.ignore ?? []).map((dir) => path.resolve(dir))
    this.#rewatch()
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    for (const watcher of this.#watchers.values()) watcher.close()
    this.#watchers.clear()
    await this.#queue
  }

  /** Opens watchers for the current definition's targets and closes the ones it no longer has. */
  #rewatch(): void {
    const { folders, files } = watchTargets(this.#definition)
    const wanted = new Map<string, () => FSWatcher>()
    for (const dir of folders) {
      wanted.set(`dir:${dir}`, () => watch(dir, { recursive: true }, (_event, name) => this.#onChange(name === null ? dir : path.join(dir, name.toString()))))
    }
    // A single file is watched through its folder: editors often save by replacing the file,
    // which ends a watch on the file itself.
    for (const file of files) {
      const dir = path.dirname(file)
      wanted.set(`file:${file}`, () =>
        watch(dir, (_event, name) => {
          if (name === null || path.join(dir, name.toString()) === file) this.#onChange(file)
        }),
      )
    }
    for (const [key, watcher] of this.#watchers) {
      if (!wanted.has(key)) {
        watcher.close()
        this.#watchers.delete(key)
      }
    }
    for (const [key, open] of wanted) {
      if (this.#watchers.has(key)) continue
      try {
        const watcher = open()
        // A watched folder that disappears ends its watch; the next template reload opens it again.
        watcher.on('error', () => {
          watcher.close()
          if (this.#watchers.get(key) === watcher) this.#watchers.delete(key)
        })
        this.#watchers.set(key, watcher)
      } catch (error) {
        this.#options.report(`thaw serve: cannot watch ${key.slice(key.indexOf(':') + 1)}: ${(error as Error).message}`)
      }
    }
  }

  #onChange(file: string): void {
    if (this.#closed || isIgnoredPath(file) || this.#ignore.some((dir) => isInside(file, dir))) return
    this.#changed.add(file)
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#queue = this.#queue.then(() => this.#reload())
    }, this.#options.debounceMs ?? 100)
  }

  async #reload(): Promise<void> {
    const changed = [...this.#changed]
    this.#changed = new Set()
    if (this.#closed || changed.length === 0) return
    const { host, report } = this.#options
    const previous = this.#definition
    const sourcePath = path.resolve(previous.source.path)
    // In directory mode any change may add or remove a function: listing the folder is cheap.
    const sourceChanged = previous.source.kind === 'directory' || changed.includes(sourcePath)
    let next = previous
    if (sourceChanged) {
      try {
        next = await this.#options.load()
      } catch (error) {
        report(`thaw serve: reload failed: ${(error as Error).message} (the previous code keeps serving)`)
        return
      }
    }
    const before = new Map(previous.functions.map((fn) => [fn.name, fn]))
    for (const fn of next.functions) {
      const old = before.get(fn.name)
      const touched = codeFolders(fn).some((dir) => changed.some((file) => isInside(file, dir)))
      const redeployed = old === undefined || touched || !sameDeploy(old, fn)
      if (this.#closed) return
      if (redeployed) {
        try {
          await host.deploy(fn)
          report(`thaw serve: ${old === undefined ? 'added' : 'reloaded'} ${fn.name}`)
        } catch (error) {
          report(`thaw serve: reload of ${fn.name} failed: ${(error as Error).message} (the previous code keeps serving)`)
          continue
        }
      }
      try {
        await this.#options.afterReload?.(fn.name, redeployed, previous, next)
      } catch (error) {
        report(`thaw serve: settings of ${fn.name} not applied: ${(error as Error).message}`)
      }
    }
    const kept = new Set(next.functions.map((fn) => fn.name))
    for (const name of before.keys()) {
      if (kept.has(name)) continue
      try {
        host.removeFunction(name)
        report(`thaw serve: removed ${name}`)
      } catch (error) {
        report(`thaw serve: removing ${name} failed: ${(error as Error).message}`)
      }
    }
    if (next !== previous) {
      this.#definition = next
      this.#options.onDefinition?.(next)
      if (!this.#closed) this.#rewatch()
    }
  }
}

/** Deploy options are plain data (a template's or a folder's), so their JSON compares them. */
function sameDeploy(a: DeployOptions, b: DeployOptions): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
