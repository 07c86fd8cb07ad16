// The proxies under test, each started fresh in front of a given upstream and stopped after.
import { join } from 'node:path'
import { spawnChild } from './child.js'
import type { ScenarioContext } from './context.js'
import type { GatewayProfile } from './gateway-config.js'
import { startNginx } from './nginx.js'

export interface Contender {
  name: string
  /** `pid`: the process that serves, whose CPU time the overhead scenario reads per round. */
  /** `permitProbe`: a gateway serves its legacy PermitProbe at probeUrl (others ignore it). */
  start: (upstream: string, opts?: { cpuProfileFile?: string, permitProbe?: { workers: number } }) => Promise<{ url: string, adminUrl?: string, probeUrl?: string, pid?: number, startProfile?: () => void, stop: () => Promise<void> }>
}

/** The upstream itself; `originPid` (the origin child) lets its CPU per request be read too. */
export function directContender (originPid?: number): Contender {
  return { name: 'direct', start: async (upstream) => ({ url: upstream, ...(originPid === undefined ? {} : { pid: originPid }), stop: async () => {} }) }
}

export function nginxContender (ctx: ScenarioContext): Contender | undefined {
  const bin = ctx.nginx
  if (bin === undefined) return undefined
  return { name: 'nginx', start: (upstream) => startNginx(bin, upstream, ctx.pinning) }
}

export function bareProxyContender (ctx: ScenarioContext): Contender {
  return { name: 'http-proxy', start: (upstream, opts) => spawnChild({ kind: 'bare-proxy', upstream }, { pinning: ctx.pinning, ...opts }) }
}

export function gatewayContender (ctx: ScenarioContext, profile: GatewayProfile, name: string, lambdaEndpoint?: string, entry?: string): Contender {
  return {
    name,
    start: (upstream, opts) => spawnChild({ kind: 'gateway', profile, legacyUrl: upstream, ...(lambdaEndpoint ? { lambdaEndpoint } : {}) },
      { pinning: ctx.pinning, ...(entry ? { entry } : {}), ...opts })
  }
}

/**
 * BENCH_BASELINE_DIST=<other checkout>/dist: the gateway of that build as one more contender
 * (`gateway@baseline`), measured in the same interleaved rounds — a before/after in one run.
 */
export function baselineGatewayContender (ctx: ScenarioContext, profile: GatewayProfile, dist = process.env.BENCH_BASELINE_DIST): Contender | undefined {
  if (dist === undefined || dist === '') return undefined
  return gatewayContender(ctx, profile, 'gateway@baseline', undefined, join(dist, 'bench', 'lib', 'contender-child.js'))
}

/**
 * BENCH_TRACING=1: the gateway once more with tracing on (`gateway+tracing`): every request
 * sampled (the default parentbased_always_on), exported over OTLP/HTTP to a trace viewer in its
 * own unpinned process. Beside `gateway` (tracing off) in the same rounds: the cost of tracing.
 * OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG / OTEL_BSP_* in the bench's environment go to it.
 */
export function tracingGatewayContender (ctx: ScenarioContext, profile: GatewayProfile, on = process.env.BENCH_TRACING === '1'): Contender | undefined {
  if (!on) return undefined
  const passed = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => /^OTEL_(TRACES_SAMPLER|TRACES_SAMPLER_ARG|BSP_\w+)$/.test(k) && v !== undefined)) as Record<string, string>
  return {
    name: 'gateway+tracing',
    start: async (upstream, opts) => {
      const sink = await spawnChild({ kind: 'otlp-sink' }, { pinning: ctx.pinning, pin: false })
      const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_SERVICE_NAME: 'bench-gateway', ...passed }
      const gw = await spawnChild({ kind: 'gateway', profile, legacyUrl: upstream, otel }, { pinning: ctx.pinning, ...opts }).catch(async (err) => { await sink.stop(); throw err })
      return { ...gw, stop: async () => { await gw.stop(); await sink.stop() } }
    }
  }
}

/** The four side-by-side contenders of the legacy scenarios (nginx only when installed). */
export function legacyContenders (ctx: ScenarioContext, gatewayProfile: GatewayProfile): Contender[] {
  const list: Array<Contender | undefined> = [directContender(), nginxContender(ctx), bareProxyContender(ctx), gatewayContender(ctx, gatewayProfile, 'gateway')]
  return list.filter((c): c is Contender => c !== undefined)
}
