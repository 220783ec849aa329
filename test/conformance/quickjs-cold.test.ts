import t from 'tap'
import { coldQuickJs } from './mode.js'
import { conformanceSuite } from './suite.js'

await conformanceSuite(t, coldQuickJs)
