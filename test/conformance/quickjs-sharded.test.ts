import t from 'tap'
import { shardedQuickJs } from './mode.js'
import { conformanceSuite } from './suite.js'

await conformanceSuite(t, shardedQuickJs)
