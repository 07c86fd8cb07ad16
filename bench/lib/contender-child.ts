// Child-process entry: starts one server under test (pinned by the parent with taskset) and
// prints `BENCH_READY {"url":…}` on stdout; SIGTERM stops it and exits, which also writes the
// --cpu-prof profile when the parent asked for one. Logging is off in every measured path.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Session } from 'node:inspector/promises'
import type { ChildSpec } from './child-spec.js'
import { READY_PREFIX } from './child-spec.js'
import { gatewayConfig } from './gateway-config.js'
import { observeLegacyCalls } from './legacy-calls-probe.js'
import { PermitProbe } from './permit-probe.js'
import { loopDelayMonitor } from '../../legacy-stub/src/loop-delay.js'
import { startOrigin } from './origin.js'
import { repoRoot } from './repo-root.js'

type Stop = () => Promise<void>

async function startBareProxy (upstream: string): Promise<{ url: string, stop: Stop }> {
  const { default: Fastify } = await import('fastify')
  const { default: proxy } = await import('@fastify/http-proxy')
  const app = Fastify({ logger: false })
  // Defaults on purpose: this is "what you get with the plugin out of the box".
  await app.register(proxy, { upstream })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, stop: () => app.close() }
}

type RunningGatewayApp = Awaited<ReturnType<typeof import('../../gateway/src/server.js').startGateway>>['app']

/**
 * BENCH_PERMIT_PROBE=<legacy's workers> (burst-shield): a PermitProbe on the legacy limiter and on the legacy
 * calls under way (the forwarder's in-flight count's inc/dec, wrapped here: nothing is added to the
 * gateway's own path), served as JSON on its own loopback port. Undefined when the build has no observe().
 */
async function attachPermitProbe (app: RunningGatewayApp, workers: number): Promise<{ url: string, stop: Stop } | undefined> {
  const limiter = app.public.protection.legacy.limiter as { observe?: (o: PermitProbe) => void }
  if (typeof limiter.observe !== 'function') return undefined
  const loop = loopDelayMonitor()
  const probe = new PermitProbe(workers, undefined, loop.read)
  limiter.observe(probe)
  observeLegacyCalls(app.context.metrics, probe)
  const server = createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(probe.snapshot())) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>(resolve => { loop.stop(); server.close(() => { resolve() }) }) }
}

async function startGatewayChild (spec: Extract<ChildSpec, { kind: 'gateway' }>): Promise<{ url: string, adminUrl: string, probeUrl?: string, stop: Stop }> {
  const { startGateway } = await import('../../gateway/src/server.js')
  const dir = mkdtempSync(join(tmpdir(), 'bench-gw-'))
  const configPath = join(dir, 'gateway.yaml')
  writeFileSync(configPath, JSON.stringify(gatewayConfig(spec.profile, spec), null, 2))
  const gw = await startGateway({
    configPath,
    stage: 'dev',
    // OTEL_* only as the spec says (gateway+tracing): the bench's own environment never switches tracing on.
    env: { LOG_LEVEL: 'silent', PATH: process.env.PATH ?? '', ...spec.otel },
    port: 0,
    adminPort: 0,
    stateDir: join(dir, 'state'),
    watch: false
  })
  const probeWorkers = Number(process.env.BENCH_PERMIT_PROBE ?? '')
  const probe = probeWorkers > 0 ? await attachPermitProbe(gw.app, probeWorkers) : undefined
  return {
    url: gw.url,
    adminUrl: gw.adminUrl,
    ...(probe ? { probeUrl: probe.url } : {}),
    stop: async () => { await probe?.stop(); await gw.stop(); rmSync(dir, { recursive: true, force: true }) }
  }
}

async function start (spec: ChildSpec): Promise<{ url: string, adminUrl?: string, probeUrl?: string, stop: Stop }> {
  switch (spec.kind) {
    case 'origin': {
      const o = await startOrigin()
      return { url: o.url, stop: o.close }
    }
    case 'bare-proxy': return startBareProxy(spec.upstream)
    case 'otlp-sink': {
      // The observability profile's trace viewer: decodes every export, keeps the last few traces.
      // From the repository (not dist/: the viewer is plain JavaScript that tsc does not copy).
      const viewerModule = pathToFileURL(join(repoRoot(), 'deploy', 'otlp-viewer', 'server.mjs')).href
      // Typed here, not through deploy/otlp-viewer/server.d.mts: the images compile bench/ without deploy/.
      const { startViewer } = await import(viewerModule) as { startViewer: (o: { host: string, port: number, maxTraces: number }) => Promise<{ url: string, close: () => Promise<void> }> }
      const viewer = await startViewer({ host: '127.0.0.1', port: 0, maxTraces: 20 })
      return { url: viewer.url, stop: viewer.close }
    }
    case 'gateway': return startGatewayChild(spec)
    case 'legacy-stub': {
      const { startLegacyStub } = await import('../../legacy-stub/src/start.js')
      const stub = await startLegacyStub({ port: 0, host: '127.0.0.1', maxConcurrency: spec.maxConcurrency, latencyMs: spec.latencyMs, queueLimit: spec.queueLimit })
      return { url: stub.url, stop: stub.close }
    }
    case 'lambda-runtime': {
      const { startLambdaRuntime } = await import('../../lambdas/runtime/start.js')
      const rt = await startLambdaRuntime({ templatePath: join(repoRoot(), 'lambdas', 'template.yaml'), port: 0, host: '127.0.0.1' })
      return { url: rt.url, stop: rt.close }
    }
  }
}

async function main (): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec
  const running = await start(spec)
  process.stdout.write(`${READY_PREFIX}${JSON.stringify({ url: running.url, adminUrl: running.adminUrl, probeUrl: running.probeUrl })}\n`)
  // Profile only the measured window (not start-up): SIGUSR2 starts the profiler, and the
  // profile is written to BENCH_CPU_PROFILE when SIGTERM stops the child.
  const profilePath = process.env.BENCH_CPU_PROFILE
  let session: Session | undefined
  if (profilePath) {
    process.on('SIGUSR2', () => {
      if (session) return
      session = new Session()
      session.connect()
      session.post('Profiler.enable').then(() => session?.post('Profiler.setSamplingInterval', { interval: 500 }))
        .then(() => session?.post('Profiler.start')).catch(() => {})
    })
  }
  const writeProfile = async (): Promise<void> => {
    if (!session || !profilePath) return
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(profilePath, JSON.stringify(profile))
  }
  let stopping = false
  process.on('SIGTERM', () => {
    if (stopping) return
    stopping = true
    const hard = setTimeout(() => process.exit(0), 8000)
    writeProfile().catch(() => {}).then(() => running.stop()).catch(() => {}).finally(() => { clearTimeout(hard); process.exit(0) })
  })
}

main().catch((err: unknown) => {
  process.stderr.write(`bench child: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
