import t from 'tap'
import { snapshotQuickJs } from './mode.js'
import { conformanceSuite } from './suite.js'

await conformanceSuite(t, snapshotQuickJs)
