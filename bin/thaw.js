#!/usr/bin/env node
// The `thaw` command. The CLI itself lives in src/cli/; this shim only loads its build.
import { main } from '../dist/src/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
