import type { Test } from 'tap'
import { contextAndEnv } from './context-and-env.js'
import { globals } from './globals.js'
import { handlerStyles } from './handler-styles.js'
import { lifecycle } from './lifecycle.js'
import { logs } from './logs.js'
import type { ConformanceMode } from './mode.js'
import { moduleFormats } from './module-formats.js'
import { runtimeErrors } from './runtime-errors.js'

/** The conformance suite: what every kind of execution environment must do the same way. */
export async function conformanceSuite(t: Test, mode: ConformanceMode): Promise<void> {
  const sections = { handlerStyles, moduleFormats, runtimeErrors, contextAndEnv, logs, lifecycle, globals }
  for (const [name, section] of Object.entries(sections)) {
    await t.test(`${mode.name}: ${name}`, (t) => section(t, mode))
  }
}
