// The Lambda target's I/O edge: one synchronous Invoke (RequestResponse, LogType Tail) through
// @aws-sdk/client-lambda, with a real gateway-side timeout and typed errors.
//
// Timeout: an AbortController per call, armed with `timeoutMs`. Its signal goes to the SDK (the
// HTTP request is destroyed) AND the call races it, so the deadline holds even in phases the SDK
// does not abort (credential resolution, retry back-off). The SDK's own requestTimeout would only
// log a warning (unless throwOnRequestTimeout), so it is not used.
// Retries: see lambda-retry.ts — 1 attempt for non-idempotent, 2 for idempotent invokes, never
// after a throttle or after the gateway's timeout (the function is not run twice because the
// gateway gave up waiting).
import { InvokeCommand } from '@aws-sdk/client-lambda'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { LambdaClientPool } from './lambda-clients.js'
import type { LambdaClientPair, LambdaContextConfig } from './lambda-clients.js'
import { functionErrorFrom, LAMBDA_PAYLOAD_LIMIT_BYTES, mapInvokeFailure, withCause } from './lambda-invoke-errors.js'
import { decodeLogResult, parseReport } from './lambda-report.js'
import type { LambdaReport } from './lambda-types.js'
import { LambdaUnavailableError, PayloadTooLargeError } from '../errors.js'
import { withInvokeTraceHeader } from '../tracing/invoke-trace-header.js'

export type { LambdaReport } from './lambda-types.js'
export type { LambdaFunctionErrorInstance, LambdaThrottledErrorInstance } from './lambda-invoke-errors.js'
export { LAMBDA_PAYLOAD_LIMIT_BYTES } from './lambda-invoke-errors.js'

export interface InvokerLogger {
  warn: (obj: object, msg?: string) => void
  debug: (obj: object, msg?: string) => void
}

export interface LambdaInvokerOptions {
  /** Invoke API endpoint; unset or '' = real AWS. */
  endpoint?: string
  region: string
  /** Per bounded context: region and an optional role to assume. */
  contexts?: Record<string, LambdaContextConfig>
  credentials?: AwsCredentialIdentityProvider
  logger?: InvokerLogger
  /** Keep-alive sockets per Lambda endpoint host (i.e. per region); default 64. */
  maxSockets?: number
  /** Where to look for AWS credentials (default process.env); see lambda-clients.ts. */
  env?: Record<string, string | undefined>
  /** STS endpoint used to assume context roles; unset = the SDK's default. */
  stsEndpoint?: string
}

export interface InvokeInput {
  functionName: string
  /** Alias or version; '' = unqualified. */
  qualifier?: string
  /** The event, serialised (JSON). */
  payload: Uint8Array
  /** Gateway-side deadline for the whole invoke (all attempts). */
  timeoutMs: number
  /** Safe to send twice (the app: GET/HEAD/OPTIONS): allows one retry on transport/5xx errors. */
  idempotent: boolean
  /** Key into `contexts`. */
  context?: string
  /** The caller's cancellation (e.g. the client disconnected). */
  signal?: AbortSignal
  /** X-Amzn-Trace-Id for a function with active tracing (tracing/xray-header.ts). */
  traceHeader?: string
}

export interface InvokeResult {
  /** The Invoke API status (200 for RequestResponse). */
  statusCode: number
  /** The function's result (what fromLambdaResult maps). */
  payload: Uint8Array
  /** Never set on a returned result: a FunctionError throws LambdaFunctionError instead. */
  functionError?: string
  /** From the REPORT line of the log tail; undefined when the runtime sent none. */
  report?: LambdaReport
  executedVersion?: string
  /** Wall-clock time of the invoke as the gateway saw it. */
  durationMs: number
}

export interface LambdaInvoker {
  invoke: (input: InvokeInput) => Promise<InvokeResult>
  /** The clients a context resolves to (creating them if needed) — for diagnostics and tests. */
  clientsFor: (context?: string) => LambdaClientPair
  close: () => void
}

function aborted (signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = (): void => reject(Object.assign(new Error('invoke aborted'), { name: 'AbortError' }))
    if (signal.aborted) fail()
    else signal.addEventListener('abort', fail, { once: true })
  })
}

export function createLambdaInvoker (opts: LambdaInvokerOptions): LambdaInvoker {
  const pool = new LambdaClientPool(opts)

  async function invoke (input: InvokeInput): Promise<InvokeResult> {
    const { functionName, timeoutMs } = input
    // Lambda refuses synchronous payloads over 6 MB; answer 413 without a round trip. Note that
    // a base64 body grows by 4/3 inside the event, so the limit is on the serialised event.
    if (input.payload.byteLength > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      throw new PayloadTooLargeError(LAMBDA_PAYLOAD_LIMIT_BYTES)
    }
    const started = performance.now()
    const controller = new AbortController()
    let timedOut = false
    let callerAborted = false
    const timer = setTimeout(() => { timedOut = true; controller.abort() }, timeoutMs)
    const onCallerAbort = (): void => { callerAborted = true; controller.abort() }
    if (input.signal?.aborted) onCallerAbort()
    else input.signal?.addEventListener('abort', onCallerAbort, { once: true })

    try {
      let pair: LambdaClientPair
      try {
        pair = pool.pair(input.context)
      } catch (cause) {
        throw withCause(new LambdaUnavailableError(functionName, 'unknown lambda context'), cause)
      }
      const client = input.idempotent ? pair.retrying : pair.once
      const command = new InvokeCommand({
        FunctionName: functionName,
        ...(input.qualifier ? { Qualifier: input.qualifier } : {}),
        InvocationType: 'RequestResponse',
        LogType: 'Tail',
        Payload: input.payload
      })
      if (input.traceHeader !== undefined) withInvokeTraceHeader(command, input.traceHeader)
      let out
      try {
        out = await Promise.race([client.send(command, { abortSignal: controller.signal }), aborted(controller.signal)])
      } catch (cause) {
        const err = mapInvokeFailure(cause, { functionName, timeoutMs, timedOut, callerAborted })
        opts.logger?.debug({ functionName, err: cause }, 'lambda invoke failed')
        throw err
      }
      const durationMs = performance.now() - started
      const report = parseReport(decodeLogResult(out.LogResult))
      const payload = out.Payload ?? new Uint8Array(0)
      if (out.FunctionError !== undefined && out.FunctionError !== '') {
        throw functionErrorFrom(functionName, out.FunctionError, payload, report, durationMs)
      }
      return {
        statusCode: out.StatusCode ?? 200,
        payload,
        ...(report !== undefined ? { report } : {}),
        ...(out.ExecutedVersion !== undefined ? { executedVersion: out.ExecutedVersion } : {}),
        durationMs
      }
    } finally {
      clearTimeout(timer)
      input.signal?.removeEventListener('abort', onCallerAbort)
    }
  }

  return {
    invoke,
    clientsFor: (context?: string) => pool.pair(context),
    close: () => pool.close()
  }
}
