import { parentPort } from 'node:worker_threads'
import { BUILTIN_MODULES } from '../../../runtime-api/builtin-modules.js'
import { CodePackage } from '../../functions/code-package.js'
import { ModuleResolver } from '../../functions/module-resolver.js'
import type { EnvironmentSpec, ExecutionEnvironment } from '../../isolates/environment.js'
import { QuickJsBackend } from '../../isolates/quickjs/backend.js'
import type { Snapshot } from '../../snapshots/snapshot.js'
import type { ShardEnvelope, ShardReply, ShardReplyValue, ShardRequest, SpecTransfer } from './protocol.js'

/**
 * A shard: the worker thread side. It runs the QuickJS backend exactly as the host thread would,
 * for the environments the host places here, and answers the host's requests.
 */

const port = parentPort
if (port === null) throw new Error('shard-main runs as a worker thread')

const loading = QuickJsBackend.create()
let backend: QuickJsBackend | undefined
void loading.then((loaded) => {
  backend = loaded
})
const specs = new Map<number, EnvironmentSpec>()
const snapshots = new Map<number, Snapshot>()
const environments = new Map<number, ExecutionEnvironment>()
let lastEnvironment = 0

function rebuild(transfer: SpecTransfer): EnvironmentSpec {
  const opt = transfer.optFiles === undefined ? undefined : CodePackage.rebuild(new Map(transfer.optFiles))
  const pkg = CodePackage.rebuild(new Map(transfer.files), transfer.codeSha256).withFilesystem({
    opt,
    tmpQuotaBytes: transfer.config.ephemeralStorageMb * 1024 * 1024,
  })
  return {
    config: transfer.config,
    pkg,
    resolver: new ModuleResolver(pkg, new Set(Object.keys(BUILTIN_MODULES))),
    version: transfer.version,
    env: transfer.env,
  }
}

function environment(id: number): ExecutionEnvironment {
  const found = environments.get(id)
  if (found === undefined) throw new Error(`Shard has no environment ${id}`)
  return found
}

function spec(id: number): EnvironmentSpec {
  const found = specs.get(id)
  if (found === undefined) throw new Error(`Shard has no spec ${id}`)
  return found
}

async function handle(request: ShardRequest): Promise<ShardReplyValue> {
  // After the first message the backend is loaded: no extra await per request.
  const quickjs = backend ?? (await loading)
  switch (request.op) {
    case 'spec':
      specs.set(request.spec.id, rebuild(request.spec))
      return { op: 'done' }
    case 'snapshot':
      snapshots.set(request.id, request.snapshot)
      return { op: 'done' }
    case 'create': {
      const snapshot = request.snapshotId === undefined ? undefined : snapshots.get(request.snapshotId)
      const created = snapshot === undefined ? await quickjs.createEnvironment(spec(request.specId)) : await quickjs.restoreEnvironment(spec(request.specId), snapshot)
      environments.set(++lastEnvironment, created)
      return { op: 'created', envId: lastEnvironment }
    }
    case 'init': {
      const target = environment(request.envId)
      return { op: 'init', result: await target.init(request.options), reusable: target.reusable }
    }
    case 'invoke': {
      const target = environment(request.envId)
      return { op: 'invoke', result: await target.invoke(request.invocation), reusable: target.reusable }
    }
    case 'dispose':
      environments.get(request.envId)?.dispose()
      environments.delete(request.envId)
      return { op: 'done' }
    case 'createSnapshot':
      return { op: 'snapshot', result: await quickjs.createSnapshot(spec(request.specId), request.identity) }
    case 'prepareRestores': {
      const snapshot = snapshots.get(request.snapshotId)
      if (snapshot !== undefined) quickjs.prepareRestores(spec(request.specId), snapshot)
      return { op: 'done' }
    }
  }
}

port.on('message', ({ seq, request }: ShardEnvelope) => {
  handle(request).then(
    (value) => {
      // A new snapshot's pages go back to the host without a copy.
      const transfer = value.op === 'snapshot' && value.result.ok ? [value.result.snapshot.image.data.buffer as ArrayBuffer] : []
      port.postMessage({ seq, ok: true, value } satisfies ShardReply, transfer)
    },
    (error: unknown) => {
      const { name = 'Error', message = String(error), code } = error as { name?: string; message?: string; code?: string }
      port.postMessage({ seq, ok: false, error: { name, message, ...(code === undefined ? {} : { code }) } } satisfies ShardReply)
    },
  )
})
