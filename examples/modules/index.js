// CommonJS handler that uses a module of its own and a dependency from its node_modules.
const { shout } = require('./lib/text')
const greeting = require('greeting')
const config = require('./config.json')

module.exports.handler = async (event) => {
  return { text: shout(greeting.greet(event.name ?? config.defaultName)), stage: process.env.STAGE ?? config.stage }
}
