// Child-process entry of the distributed-state scenario: one gateway replica started the way
// the product starts (startGateway from a config file), with or without REDIS_URL — or the fast
// origin (`{ "origin": true }`). Prints the bench ready line (child-spec.ts READY_PREFIX) and
// stops on SIGTERM. (Its own entry so the scenario also runs under tap's TypeScript loader.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { READY_PREFIX } from './child-spec.js'
import { distributedGatewayConfig } from './distributed-config.js'
import { startOrigin } from './origin.js'

export interface ReplicaSpec {
  legacyUrl: string
  /** Undefined: in-memory state (each replica its own limits). */
  redisUrl?: string
  keyPrefix: string
  replicas: number
}

export type DistributedChildSpec = ReplicaSpec | { origin: true }

async function startReplica (spec: ReplicaSpec): Promise<{ info: object, stop: () => Promise<void> }> {
  const { startGateway } = await import('../../gateway/src/server.js')
  const dir = mkdtempSync(join(tmpdir(), 'bench-dist-'))
  const configPath = join(dir, 'gateway.yaml')
  writeFileSync(configPath, JSON.stringify(distributedGatewayConfig(spec), null, 2))
  const gw = await startGateway({
    configPath,
    stage: 'dev',
    env: { LOG_LEVEL: 'silent', PATH: process.env.PATH ?? '', ...(spec.redisUrl ? { REDIS_URL: spec.redisUrl } : {}) },
    port: 0,
    adminPort: 0,
    stateDir: join(dir, 'state'),
    watch: false
  })
  return {
    info: { url: gw.url, adminUrl: gw.adminUrl, stateMode: gw.stateMode },
    stop: async () => { await gw.stop(); rmSync(dir, { recursive: true, force: true }) }
  }
}

async function main (): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as DistributedChildSpec
  let running: { info: object, stop: () => Promise<void> }
  if ('origin' in spec) {
    const o = await startOrigin()
    running = { info: { url: o.url, adminUrl: '', stateMode: 'origin' }, stop: o.close }
  } else {
    running = await startReplica(spec)
  }
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(running.info)}\n`)
  let stopping = false
  process.on('SIGTERM', () => {
    if (stopping) return
    stopping = true
    const hard = setTimeout(() => process.exit(0), 8000)
    running.stop().catch(() => {}).finally(() => { clearTimeout(hard); process.exit(0) })
  })
}

main().catch((err: unknown) => {
  process.stderr.write(`bench distributed child: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
