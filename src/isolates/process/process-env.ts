import type { TaskFolder } from './task-folder.js'

/**
 * The environment variables of a custom runtime process: the host's Lambda environment
 * (src/functions/lambda-env.ts) adjusted to what Lambda gives an OS-only runtime (`provided*`),
 * with Lambda's fixed paths (/var/task, /opt) pointing into the environment's own task folder.
 */
export function processEnvironment(
  lambdaEnv: Readonly<Record<string, string>>,
  ownEnv: Readonly<Record<string, string>>,
  folder: TaskFolder,
  logStreamName: string,
): Record<string, string> {
  // AWS_EXECUTION_ENV is not defined for OS-only runtimes; NODE_PATH belongs to the Node runtime.
  const env = { ...lambdaEnv }
  delete env.AWS_EXECUTION_ENV
  delete env.NODE_PATH
  return {
    ...env,
    // Lambda's PATH and LD_LIBRARY_PATH for provided.al2023, unless the function sets its own.
    PATH: ownEnv.PATH ?? `/usr/local/bin:/usr/bin/:/bin:${folder.opt}/bin`,
    LD_LIBRARY_PATH: ownEnv.LD_LIBRARY_PATH ?? `/lib64:/usr/lib64:${folder.task}:${folder.task}/lib:${folder.opt}/lib`,
    LAMBDA_TASK_ROOT: folder.task,
    // Lambda's /tmp is per environment; a runtime that honours TMPDIR (mktemp, most languages) gets one.
    TMPDIR: ownEnv.TMPDIR ?? folder.tmp,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
  }
}
