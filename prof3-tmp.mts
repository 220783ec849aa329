import { QuickJsBackend } from './src/isolates/quickjs/backend.ts'
import { CodePackage } from './src/functions/code-package.ts'
import { ModuleResolver } from './src/functions/module-resolver.ts'
import { parseFunctionConfig } from './src/config/function-config.ts'
import { lambdaEnvironment } from './src/functions/lambda-env.ts'
const acc: Record<string, number> = {}; const cnt: Record<string, number> = {}
const backend = await QuickJsBackend.create()
const src = process.argv[2] ?? 'export const handler = async (event) => ({ hello: event.name })'
const config = parseFunctionConfig({ name: 'h', runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': src } } })
const pkg = await CodePackage.load(config.code)
const env: any = await backend.createEnvironment({ config, pkg, resolver: new ModuleResolver(pkg), version: '$LATEST', env: lambdaEnvironment(config, '$LATEST', 'us-east-1') })
await env.init()
let i = 0
const inv = () => ({ requestId: 'req-' + (i++), deadlineMs: Date.now() + 3000, invokedFunctionArn: 'arn:aws:lambda:us-east-1:0:function:h', payload: '{"name":"x"}' })
for (let k = 0; k < 3000; k++) await env.invoke(inv())
const { QuickJSContext, QuickJSRuntime } = await import('quickjs-emscripten-core')
const names = new Map<number, string>()
const orig = QuickJSContext.prototype.callFunction
QuickJSContext.prototype.callFunction = function (this: any, fn: any, ...rest: any[]) { const t = performance.now(); try { return orig.call(this, fn, ...rest) } finally { const k = 'call/' + rest.length; acc[k] = (acc[k] ?? 0) + performance.now() - t; cnt[k] = (cnt[k] ?? 0) + 1 } } as any
const ej = QuickJSRuntime.prototype.executePendingJobs
QuickJSRuntime.prototype.executePendingJobs = function (this: any, ...a: any[]) { const t = performance.now(); try { return ej.apply(this, a) } finally { acc.jobs = (acc.jobs ?? 0) + performance.now() - t; cnt.jobs = (cnt.jobs ?? 0) + 1 } } as any
const N = 20000; const t = performance.now()
for (let k = 0; k < N; k++) await env.invoke(inv())
console.log('total us', ((performance.now() - t) / N * 1000).toFixed(1))
for (const [k, v] of Object.entries(acc)) console.log(k, (v / N * 1000).toFixed(1), 'us', (cnt[k]! / N).toFixed(1), 'calls/invoke')
