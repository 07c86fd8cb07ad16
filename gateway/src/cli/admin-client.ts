// The admin API client of gatewayctl: global fetch with a timeout, bearer token from env, and
// every failure turned into a CliError with a message an operator can act on.
import { CliError, EXIT } from './cli-error.js'

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:9090'
export const DEFAULT_TIMEOUT_MS = 10_000

export interface AdminClientOptions {
  baseUrl: string
  token: string | undefined
  timeoutMs?: number
  fetch?: typeof fetch
}

interface Problem { detail?: string, code?: string, errors?: Array<{ field: string, message: string }> }

/** fetch wraps socket errors: `TypeError('fetch failed')` with the real reason in `cause`. */
function networkReason (err: unknown): string {
  const cause = (err as { cause?: { code?: unknown, message?: unknown } }).cause
  if (typeof cause?.code === 'string') return cause.code
  if (typeof cause?.message === 'string') return cause.message
  return (err as Error).message
}

export class AdminClient {
  private readonly base: URL
  private readonly fetchFn: typeof fetch

  constructor (private readonly options: AdminClientOptions) {
    try {
      this.base = new URL(options.baseUrl)
    } catch {
      throw new CliError(EXIT.usage, `GATEWAY_ADMIN_URL is not a valid URL: "${options.baseUrl}"`)
    }
    this.fetchFn = options.fetch ?? fetch
  }

  get url (): string { return this.base.origin }

  async request<T> (method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders }
    if (this.options.token !== undefined && this.options.token !== '') headers.authorization = `Bearer ${this.options.token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    let res: Response
    let text: string
    try {
      res = await this.fetchFn(new URL(path, this.base), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs)
      })
      text = await res.text()
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') {
        throw new CliError(EXIT.unreachable, `the admin API at ${this.url} did not answer within ${timeoutMs} ms`)
      }
      throw new CliError(EXIT.unreachable, `cannot reach the admin API at ${this.url} (${networkReason(err)}). Is the gateway running? Set GATEWAY_ADMIN_URL if it listens elsewhere.`)
    }
    let json: unknown
    try {
      json = text === '' ? null : JSON.parse(text)
    } catch {
      throw new CliError(EXIT.failed, `the admin API at ${this.url} answered ${res.status} with a non-JSON body`)
    }
    if (res.ok) return json as T
    throw this.failure(res.status, json as Problem | null)
  }

  private failure (status: number, problem: Problem | null): CliError {
    const detail = problem?.detail ?? `HTTP ${status}`
    if (status === 401) {
      const hint = this.options.token === undefined || this.options.token === ''
        ? 'GATEWAY_ADMIN_TOKEN is not set'
        : 'check GATEWAY_ADMIN_TOKEN'
      return new CliError(EXIT.unauthorized, `the admin API refused the request: ${detail} (${hint})`)
    }
    if (status === 404) return new CliError(EXIT.notFound, detail)
    if (status === 412) return new CliError(EXIT.stale, `${detail}; nothing was changed`)
    if (status === 400) {
      if (problem?.code === 'GW_ERR_ADMIN_RELOAD_REFUSED') {
        const errors = problem.errors?.map(e => `  ${e.message}`).join('\n') ?? ''
        return new CliError(EXIT.invalid, `config reload refused, the old config keeps serving:\n${errors}`)
      }
      const fields = problem?.errors?.map(e => `  ${e.field}: ${e.message}`).join('\n')
      return new CliError(EXIT.invalid, fields === undefined || fields === '' ? detail : `invalid request:\n${fields}`)
    }
    return new CliError(EXIT.failed, `the admin API failed (${status}): ${detail}`)
  }
}
