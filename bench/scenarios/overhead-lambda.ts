// Scenario 2: what the gateway's Lambda path adds (HTTP → event mapping → Invoke → response
// mapping) over invoking the same function straight with the SDK against the local runtime.
// Same closed-loop load (8 concurrent callers, below the function's reserved concurrency of 10).
import { Agent, request } from 'undici'
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda'
import { spawnChild } from '../lib/child.js'
import { closedLoopFn } from '../lib/closed-loop-fn.js'
import { gatewayContender } from '../lib/contenders.js'
import type { ScenarioContext, ScenarioOutcome } from '../lib/context.js'
import { LAMBDA_FUNCTION, LAMBDA_ROUTE_PATH } from '../lib/gateway-config.js'
import { metaOf, resultFile, writeResult } from '../lib/results.js'
import { scaled } from '../lib/scale.js'
import type { RoundFigures } from '../lib/stats.js'
import { medianRound, ratio } from '../lib/stats.js'
import { markdownTable } from '../lib/table.js'

export const NAME = 'overhead-lambda'
const CONCURRENCY = 8

/** An HTTP API v2 event like the one the gateway builds for GET /api/users/1. */
export function usersGetEvent (): Record<string, unknown> {
  const now = Date.now()
  return {
    version: '2.0',
    routeKey: 'GET /api/users/{id}',
    rawPath: LAMBDA_ROUTE_PATH,
    rawQueryString: '',
    headers: { host: '127.0.0.1', 'user-agent': 'bench' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'gateway',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method: 'GET', path: LAMBDA_ROUTE_PATH, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench',
      routeKey: 'GET /api/users/{id}',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now
    },
    isBase64Encoded: false,
    pathParameters: { id: '1' }
  }
}

async function rounds (ctx: ScenarioContext, call: () => Promise<boolean>, warmupS: number, durationS: number): Promise<{ median: RoundFigures, rounds: RoundFigures[] }> {
  await closedLoopFn(call, CONCURRENCY, warmupS)
  const list: RoundFigures[] = []
  for (let i = 0; i < ctx.rounds; i++) {
    const r = await closedLoopFn(call, CONCURRENCY, durationS)
    ctx.log(`    round ${i + 1}: ${r.rps} req/s p50 ${r.p50} p99 ${r.p99} ms errors ${r.errors}`)
    list.push(r)
  }
  return { median: medianRound(list), rounds: list }
}

export async function overheadLambda (ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const warmupS = scaled(3, ctx.scale)
  const durationS = scaled(8, ctx.scale, 2)
  const runtime = await spawnChild({ kind: 'lambda-runtime' }, { pinning: ctx.pinning, pin: false, startTimeoutMs: 30_000 })
  const results: Array<{ name: string, median: RoundFigures, rounds: RoundFigures[] }> = []
  try {
    ctx.log('  sdk-direct')
    const client = new LambdaClient({ endpoint: runtime.url, region: 'eu-central-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 })
    const payload = Buffer.from(JSON.stringify(usersGetEvent()))
    const sdkCall = async (): Promise<boolean> => {
      const out = await client.send(new InvokeCommand({ FunctionName: LAMBDA_FUNCTION, Payload: payload }))
      return out.StatusCode === 200 && out.FunctionError === undefined
    }
    results.push({ name: 'sdk-direct', ...await rounds(ctx, sdkCall, warmupS, durationS) })
    client.destroy()

    ctx.log('  gateway')
    const gw = await gatewayContender(ctx, 'lambda', 'gateway', runtime.url).start('http://127.0.0.1:9')
    const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 })
    try {
      const gwCall = async (): Promise<boolean> => {
        const res = await request(gw.url + LAMBDA_ROUTE_PATH, { dispatcher: agent })
        await res.body.dump()
        return res.statusCode === 200
      }
      results.push({ name: 'gateway', ...await rounds(ctx, gwCall, warmupS, durationS) })
    } finally {
      await agent.close()
      await gw.stop()
    }
  } finally {
    await runtime.stop()
  }
  const base = results.find(r => r.name === 'sdk-direct')?.median
  const table = markdownTable(
    ['path', 'req/s', 'vs sdk', 'p50 ms', 'p99 ms', 'p99.9 ms', 'added p50 ms', 'errors'],
    results.map(r => [r.name, r.median.rps, ratio(r.median.rps, base?.rps), r.median.p50, r.median.p99, r.median.p999,
      base ? Math.round((r.median.p50 - base.p50) * 100) / 100 : null, r.median.errors])
  )
  const files = [writeResult(ctx.resultsDir, resultFile(NAME, { concurrency: CONCURRENCY, warmupS, durationS, function: LAMBDA_FUNCTION, results }, metaOf(ctx)))]
  return { scenario: NAME, table, files }
}
