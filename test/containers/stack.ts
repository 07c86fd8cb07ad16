// Building the images and bringing docker-compose.yml up for the container test, and talking to
// the stack from the host through its published ports only.
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { Engine, ROOT, run, until, type Run } from './engine.js'

export const GATEWAY = 'http://127.0.0.1:8080'
export const ADMIN = 'http://127.0.0.1:9090'
export const LEGACY = 'http://127.0.0.1:5000'

/** The services whose images the test builds: compose service → Dockerfile (context: the repository). */
const IMAGES: Record<string, string> = {
  gateway: 'gateway/Dockerfile',
  'legacy-stub': 'legacy-stub/Dockerfile',
  lambdas: 'lambdas/Dockerfile'
}
/** Images with their own build context (docker-compose.yml's `build.context`), built on the same bases. */
const CONTEXT_IMAGES: Record<string, { context: string, dockerfile: string }> = {
  prometheus: { context: 'deploy/prometheus', dockerfile: 'Containerfile' }
}

/** Fails with the ports in use, before anything is started. */
export async function assertPortsFree (ports: number[]): Promise<void> {
  const busy: number[] = []
  for (const port of ports) {
    const free = await new Promise<boolean>(resolve => {
      const srv = createServer().once('error', () => resolve(false))
      srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)))
    })
    if (!free) busy.push(port)
  }
  if (busy.length > 0) throw new Error(`docker-compose.yml publishes fixed host ports; in use here: ${busy.join(', ')} (stop what listens there)`)
}

function mustSucceed (what: string, r: Run): Run {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`)
  return r
}

/** The optional proxy CA for the builds' npm ci: CONTAINER_BUILD_CA, else NODE_EXTRA_CA_CERTS. */
function buildCa (): string | undefined {
  const ca = process.env.CONTAINER_BUILD_CA ?? process.env.NODE_EXTRA_CA_CERTS
  return ca !== undefined && ca !== '' && existsSync(ca) ? ca : undefined
}

/**
 * The base images (scripts/containers/bases.sh, cached by recipe hash), then the images,
 * tagged as compose v1 names the images of a service with a build section (<project>_<service>),
 * so `up --no-build` runs exactly these. The replica of the distributed profile is the gateway;
 * the observability profile's Prometheus is built from its own context.
 */
export async function buildImages (engine: Engine): Promise<void> {
  mustSucceed('scripts/containers/bases.sh', await run(join(ROOT, 'scripts/containers/bases.sh'), [], { env: engine.env, timeoutMs: 900_000 }))
  const ca = buildCa()
  for (const [service, dockerfile] of Object.entries(IMAGES)) {
    const tags = [`${engine.project}_${service}`]
    if (service === 'gateway') tags.push(`${engine.project}_gateway-replica`)
    const args = ['build', '--format', 'docker', '-f', dockerfile, ...tags.flatMap(t => ['-t', t])]
    if (ca !== undefined) args.push('--secret', `id=ca,src=${ca}`)
    mustSucceed(`podman build -f ${dockerfile}`, await engine.podman([...args, ROOT], 1_200_000))
  }
  for (const [service, { context, dockerfile }] of Object.entries(CONTEXT_IMAGES)) {
    const dir = join(ROOT, context)
    mustSucceed(`podman build ${context}`, await engine.podman(['build', '--format', 'docker', '-f', join(dir, dockerfile), '-t', `${engine.project}_${service}`, dir], 600_000))
  }
}

export async function composeUp (engine: Engine, envFile: string, extra: string[] = []): Promise<void> {
  mustSucceed('docker-compose up', await engine.compose(envFile, [...extra, 'up', '-d', '--no-build'], 300_000))
}

export async function http (url: string, init: RequestInit = {}): Promise<{ status: number, headers: Headers, body: string }> {
  const res = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(15_000) })
  return { status: res.status, headers: res.headers, body: await res.text() }
}

export async function waitReady (adminUrl: string, ms = 120_000): Promise<void> {
  await until(`${adminUrl}/readyz`, ms, async () => (await http(`${adminUrl}/readyz`)).status === 200 ? true : undefined, 500)
}

export async function stubStats (): Promise<{ inflight: number, maxInflight: number, served: number, received: number }> {
  return JSON.parse((await http(`${LEGACY}/__stats`)).body)
}

export async function stubFaults (faults: { latencyMs?: number, down?: boolean }): Promise<void> {
  const r = await http(`${LEGACY}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) })
  if (r.status >= 300) throw new Error(`POST /__faults ${JSON.stringify(faults)}: ${r.status} ${r.body}`)
}

export { mustSucceed }
