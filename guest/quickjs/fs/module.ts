import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createCallbackApi, createPromiseApi } from './async-api.js'
import { useHostTranscoder } from './encoding.js'
import { O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_SYNC, O_TRUNC, O_WRONLY } from './options.js'
import { Dirent, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, Stats } from './stats.js'
import { createSyncApi } from './sync-api.js'
import { Volume } from './volume.js'

/**
 * The `fs` and `fs/promises` modules of one environment, made when the guest first touches
 * either (the "fs" chunk, see builtins.ts). Making them creates the environment's `/tmp`.
 */

export const constants = Object.freeze({
  O_RDONLY,
  O_WRONLY,
  O_RDWR,
  O_CREAT,
  O_EXCL,
  O_NOCTTY: 0o400,
  O_TRUNC,
  O_APPEND,
  O_DIRECTORY: 0o200000,
  O_NOATIME: 0o1000000,
  O_NOFOLLOW: 0o400000,
  O_SYNC,
  O_DSYNC: 0o10000,
  O_DIRECT: 0o40000,
  O_NONBLOCK: 0o4000,
  S_IFMT,
  S_IFREG,
  S_IFDIR,
  S_IFCHR: 0o020000,
  S_IFBLK: 0o060000,
  S_IFIFO: 0o010000,
  S_IFLNK,
  S_IFSOCK: 0o140000,
  S_IRWXU: 0o700,
  S_IRUSR: 0o400,
  S_IWUSR: 0o200,
  S_IXUSR: 0o100,
  S_IRWXG: 0o70,
  S_IRGRP: 0o40,
  S_IWGRP: 0o20,
  S_IXGRP: 0o10,
  S_IRWXO: 0o7,
  S_IROTH: 0o4,
  S_IWOTH: 0o2,
  S_IXOTH: 0o1,
  F_OK: 0,
  R_OK: 4,
  W_OK: 2,
  X_OK: 1,
  UV_FS_COPYFILE_EXCL: 1,
  COPYFILE_EXCL: 1,
  UV_FS_COPYFILE_FICLONE: 2,
  COPYFILE_FICLONE: 2,
  UV_FS_COPYFILE_FICLONE_FORCE: 4,
  COPYFILE_FICLONE_FORCE: 4,
})

export interface FsModules {
  readonly fs: Record<string, unknown>
  readonly promises: Record<string, unknown>
}

export function createFsModules(host: HostBindings): FsModules {
  useHostTranscoder(host)
  const sync = createSyncApi(new Volume(host))
  const promises = { ...createPromiseApi(sync), constants }
  const fs = { ...sync, ...createCallbackApi(sync), promises, constants, Stats, Dirent }
  return { fs, promises }
}
