/**
 * node:os with the values a function sees on Lambda (Amazon Linux, x86_64, 2 vCPUs, user
 * sbx_user1051); memory figures come from the function's memory size and the environment's
 * Wasm memory. Nothing here reads the host machine.
 */
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { OS_CONSTANTS } from './os-constants.js'

const MIB = 1024 * 1024
const USER = { uid: 993, gid: 990, username: 'sbx_user1051', homedir: '/home/sbx_user1051', shell: null }

/** os.constants and its groups have no prototype in Node. */
function withoutPrototypes(value: object): object {
  const copy = Object.create(null) as Record<string, unknown>
  for (const [key, entry] of Object.entries(value)) copy[key] = typeof entry === 'object' && entry !== null ? withoutPrototypes(entry) : entry
  return copy
}
const CONSTANTS = withoutPrototypes(OS_CONSTANTS)

interface Process {
  env: Record<string, string | undefined>
  uptime(): number
}

export function createOs(host: HostBindings): Record<string, unknown> {
  const process = (globalThis as unknown as { process: Process }).process
  const totalmem = () => (Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || 128) * MIB
  const cpu = () => ({ model: 'Intel(R) Xeon(R) Processor @ 2.50GHz', speed: 2500, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } })
  return {
    arch: () => 'x64',
    availableParallelism: () => 2,
    cpus: () => [cpu(), cpu()],
    endianness: () => 'LE',
    freemem: () => Math.max(0, totalmem() - host.memoryBytes()),
    getPriority: () => 0,
    homedir: () => process.env.HOME || USER.homedir,
    hostname: () => 'localhost',
    loadavg: () => [0, 0, 0],
    networkInterfaces: () => ({
      lo: [
        { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' },
      ],
    }),
    platform: () => 'linux',
    release: () => '5.10.240-258.955.amzn2.x86_64',
    setPriority: () => undefined,
    tmpdir: () => {
      const dir = process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp'
      return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir
    },
    totalmem,
    type: () => 'Linux',
    userInfo: () => Object.assign(Object.create(null) as object, USER),
    uptime: () => Math.floor(process.uptime()),
    version: () => '#1 SMP Tue Oct 7 12:00:00 UTC 2025',
    machine: () => 'x86_64',
    constants: CONSTANTS,
    EOL: '\n',
    devNull: '/dev/null',
  }
}
