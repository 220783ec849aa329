import { rmSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { CodePackage } from '../../functions/code-package.js'

/**
 * The private folder of one process execution environment: a process cannot see the in-memory
 * package QuickJS guests read, so the code is written out. Lambda mounts the package at
 * /var/task, the layers at /opt and gives a fresh /tmp; here they are subfolders of one temp
 * folder (mode 0700), removed when the environment is disposed.
 */
export interface TaskFolder {
  readonly root: string
  /** The code package: LAMBDA_TASK_ROOT and the working directory. */
  readonly task: string
  /** The function's layers, merged (empty without layers). */
  readonly opt: string
  /** The environment's own temporary folder (TMPDIR). */
  readonly tmp: string
}

export async function createTaskFolder(pkg: CodePackage): Promise<TaskFolder> {
  const root = await mkdtemp(path.join(tmpdir(), 'thaw-provided-'))
  const folder: TaskFolder = { root, task: path.join(root, 'task'), opt: path.join(root, 'opt'), tmp: path.join(root, 'tmp') }
  try {
    await Promise.all([mkdir(folder.task), mkdir(folder.opt), mkdir(folder.tmp)])
    await writePackage(pkg, folder.task)
    const layers = pkg.filesystem.opt
    if (layers !== undefined) await writePackage(layers, folder.opt)
    return folder
  } catch (error) {
    removeTaskFolder(folder)
    throw error
  }
}

/**
 * Synchronous, so that a host that exits right after close() leaves nothing behind. Retries
 * cover a killed runtime whose last writes race with the removal.
 */
export function removeTaskFolder(folder: TaskFolder): void {
  rmSync(folder.root, { recursive: true, force: true, maxRetries: 3 })
}

async function writePackage(pkg: CodePackage, into: string): Promise<void> {
  const directories = new Set<string>()
  const files = [...pkg.files()]
  for (const [file] of files) directories.add(path.dirname(path.join(into, file)))
  for (const directory of [...directories].sort()) await mkdir(directory, { recursive: true })
  await Promise.all(
    files.map(async ([file, bytes]) => {
      const target = path.join(into, file)
      await writeFile(target, bytes)
      if (isExecutable(file, bytes)) await chmod(target, 0o755)
    }),
  )
}

/**
 * Packages lose their file modes here (a folder is read as bytes, zip modes are not kept), so
 * the executable bit is given back to what can be executed: `bootstrap`, scripts (`#!`) and
 * ELF binaries. Everything else stays 0644.
 */
function isExecutable(file: string, bytes: Uint8Array): boolean {
  if (path.posix.basename(file) === 'bootstrap') return true
  const shebang = bytes[0] === 0x23 && bytes[1] === 0x21
  const elf = bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46
  return shebang || elf
}
