// The execution environments of one function: one worker thread per concurrent execution, a
// cold start (module import) once per environment, warm reuse after, idle ones reaped. Reserved
// concurrency caps how many run at once; the caller asks `tryReserve()` before `run()`.
import { Worker } from 'node:worker_threads'
import { invocationLog, type ReportFigures } from './log-tail.js'
import type { FunctionSpec } from './template.js'
import { WORKER_SOURCE } from './worker-source.js'

export interface PoolOptions {
  region: string
  accountId: string
  idleTimeoutMs: number
  /** Cap for functions without ReservedConcurrentExecutions. */
  unreservedCap: number
  envOverrides?: Record<string, string> | undefined
}

export interface InvocationOutcome {
  /** The JSON the function returned, or its error document. */
  payload: string
  functionError?: 'Unhandled'
  log: string
  coldStart: boolean
}

interface Environment {
  worker: Worker
  initialised: boolean
  /** performance.now() when the worker was created: the start of its cold start. */
  spawnedAt: number
  reapTimer?: NodeJS.Timeout | undefined
}

/** Lambda's own limit on a cold start's init, apart from the function's Timeout. */
const INIT_LIMIT_MS = 10_000

interface StartedMessage { type: 'started', requestId: string }

type Exchange = ({ kind: 'done', msg: DoneMessage } | { kind: 'timeout' } | { kind: 'exit', exitCode: number }) &
{ handlerStart: number | undefined }

interface DoneMessage {
  type: 'done'
  requestId: string
  ok: boolean
  result?: string
  error?: { errorType: string, errorMessage: string, trace: string[] }
  logs: string[]
  maxMemoryMb: number
}

export class FunctionPool {
  inflight = 0
  /** Called whenever run() gives its slot back (the event queue waits for these). */
  onSlotFreed: (() => void) | undefined
  private readonly idle: Environment[] = []
  private readonly all = new Set<Environment>()
  private closed = false

  constructor (readonly spec: FunctionSpec, private readonly opts: PoolOptions) {}

  get arn (): string {
    return `arn:aws:lambda:${this.opts.region}:${this.opts.accountId}:function:${this.spec.name}`
  }

  get cap (): number {
    return this.spec.reservedConcurrency ?? this.opts.unreservedCap
  }

  get environments (): number {
    return this.all.size
  }

  tryReserve (): boolean {
    if (this.closed || this.inflight >= this.cap) return false
    this.inflight++
    return true
  }

  /** Runs one invocation on a reserved slot (see tryReserve) and frees the slot when done;
   * `traceHeader` becomes the handler's `_X_AMZN_TRACE_ID` (trace-header.ts). */
  async run (requestId: string, event: string, traceHeader?: string): Promise<InvocationOutcome> {
    const env = this.take()
    const coldStart = !env.initialised
    const posted = performance.now()
    try {
      const done = await this.exchange(env, requestId, event, traceHeader)
      // Duration is the handler's time; on a cold start the environment's boot and the module
      // import before it are the Init Duration (what a cold start costs the caller).
      const handlerStart = done.handlerStart ?? posted
      const figures = (): ReportFigures => ({
        requestId,
        durationMs: performance.now() - handlerStart,
        memorySizeMb: this.spec.memorySizeMb,
        maxMemoryUsedMb: done.kind === 'done' ? done.msg.maxMemoryMb : this.spec.memorySizeMb,
        initDurationMs: coldStart && done.handlerStart !== undefined ? handlerStart - env.spawnedAt : undefined
      })
      if (done.kind === 'done') {
        env.initialised = true
        this.park(env)
        const log = invocationLog(figures(), done.msg.logs)
        if (done.msg.ok) return { payload: done.msg.result ?? 'null', log, coldStart }
        return { payload: JSON.stringify(done.msg.error), functionError: 'Unhandled', log, coldStart }
      }
      if (done.kind === 'timeout') {
        const message = `${requestId} Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`
        const log = invocationLog(figures(), [`${new Date().toISOString()} ${message}`])
        return { payload: JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: message }), functionError: 'Unhandled', log, coldStart }
      }
      const message = `RequestId: ${requestId} Error: Runtime exited with error: exit status ${done.exitCode}`
      const log = invocationLog(figures(), [message])
      return { payload: JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: message }), functionError: 'Unhandled', log, coldStart }
    } finally {
      this.inflight--
      this.onSlotFreed?.()
    }
  }

  async close (): Promise<void> {
    this.closed = true
    await Promise.all([...this.all].map(env => this.discard(env)))
  }

  private take (): Environment {
    const warm = this.idle.pop()
    if (warm) {
      clearTimeout(warm.reapTimer)
      return warm
    }
    const spawnedAt = performance.now()
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { codeDir: this.spec.codeDir, handlerFile: this.spec.handlerFile, handlerExport: this.spec.handlerExport },
      env: this.environmentVariables(),
      // The function's memory size bounds its heap, as Lambda's does.
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, this.spec.memorySizeMb) },
      stdout: true,
      stderr: true
    })
    worker.stdout.resume()
    worker.stderr.resume()
    const env: Environment = { worker, initialised: false, spawnedAt }
    this.all.add(env)
    worker.once('exit', () => { this.forget(env) })
    worker.on('error', () => { /* reported through 'exit' to the waiting invocation */ })
    return env
  }

  /**
   * Posts one invocation and waits for its end. The Timeout clock starts when the worker says the
   * handler starts (after a cold start's init, which Lambda limits separately to INIT_LIMIT_MS).
   */
  private exchange (env: Environment, requestId: string, event: string, traceHeader: string | undefined): Promise<Exchange> {
    return new Promise(resolve => {
      const { worker } = env
      const timeoutMs = this.spec.timeoutSeconds * 1000
      let handlerStart: number | undefined
      const finish = (result: Exchange): void => {
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('exit', onExit)
        resolve(result)
      }
      const onTimeout = (): void => {
        // A timed-out environment is not reused: Lambda restarts it, so the next call is cold.
        this.discard(env).catch(() => {})
        finish({ kind: 'timeout', handlerStart })
      }
      const onMessage = (msg: StartedMessage | DoneMessage): void => {
        if (msg.requestId !== requestId) return
        if (msg.type === 'started') {
          handlerStart = performance.now()
          clearTimeout(timer)
          timer = setTimeout(onTimeout, timeoutMs)
          return
        }
        finish({ kind: 'done', msg, handlerStart })
      }
      const onExit = (exitCode: number): void => { finish({ kind: 'exit', exitCode, handlerStart }) }
      let timer = setTimeout(onTimeout, INIT_LIMIT_MS + timeoutMs)
      worker.on('message', onMessage)
      worker.once('exit', onExit)
      worker.postMessage({
        type: 'invoke',
        requestId,
        event,
        timeoutMs,
        traceHeader,
        context: {
          awsRequestId: requestId,
          functionName: this.spec.name,
          functionVersion: '$LATEST',
          invokedFunctionArn: this.arn,
          memoryLimitInMB: String(this.spec.memorySizeMb),
          logGroupName: `/aws/lambda/${this.spec.name}`,
          logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`
        }
      })
    })
  }

  private park (env: Environment): void {
    if (this.closed || !this.all.has(env)) return
    env.reapTimer = setTimeout(() => {
      const i = this.idle.indexOf(env)
      if (i >= 0) this.idle.splice(i, 1)
      this.discard(env).catch(() => {})
    }, this.opts.idleTimeoutMs)
    env.reapTimer.unref()
    this.idle.push(env)
  }

  private forget (env: Environment): void {
    clearTimeout(env.reapTimer)
    this.all.delete(env)
    const i = this.idle.indexOf(env)
    if (i >= 0) this.idle.splice(i, 1)
  }

  private async discard (env: Environment): Promise<void> {
    this.forget(env)
    await env.worker.terminate()
  }

  private environmentVariables (): Record<string, string> {
    return {
      ...this.spec.environment,
      ...(this.opts.envOverrides ?? {}),
      AWS_LAMBDA_FUNCTION_NAME: this.spec.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.spec.memorySizeMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${this.spec.name}`,
      AWS_REGION: this.opts.region,
      AWS_DEFAULT_REGION: this.opts.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${this.spec.runtime}`,
      LAMBDA_TASK_ROOT: this.spec.codeDir,
      _HANDLER: `${this.spec.handlerFile}.${this.spec.handlerExport}`,
      TZ: 'UTC',
      NODE_ENV: process.env.NODE_ENV ?? 'production'
    }
  }
}
