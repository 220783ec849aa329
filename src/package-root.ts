import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The folder of Thaw's own package.json, found upward from `start`. Sources run from src/ (tests,
 * tsx) and from dist/src/ (the built CLI), so relative paths to build/ differ; this does not.
 */
export function findPackageRoot(start: string): string {
  for (let dir = path.dirname(start); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'thaw') return dir
  }
  throw new Error(`No Thaw package root above ${start}`)
}
