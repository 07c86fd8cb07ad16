// LambdaClient pool: one pair of clients per (region, role), created on first use and reused so
// connections stay alive. All clients share one pair of keep-alive agents (http/https), so
// maxSockets bounds the sockets per Lambda endpoint host (each region is its own host). A pair
// differs only in the retry policy (see lambda-retry.ts): `once` (maxAttempts 1) for
// non-idempotent invokes, `retrying` (maxAttempts 2) for idempotent ones.
//
// Credentials, in this order:
//   1. `credentials` passed in (tests, or a host that resolves them itself);
//   2. the default credential chain of the SDK (env, profile, web identity, container, IMDS);
//   3. dummy static credentials — ONLY when an `endpoint` is set (the local runtime, which does not
//      check signatures) AND the env holds no AWS credentials at all. Against real AWS (no endpoint)
//      the gateway never invents credentials.
// A context's `roleArn` (one account per bounded context) wraps the base credentials in
// fromTemporaryCredentials (STS AssumeRole, refreshed before expiry). It applies whether or not an
// endpoint is set (an endpoint may be a VPC endpoint of real Lambda), so leave roleArn unset for
// the local runtime: assuming a role always calls the real STS.
import http from 'node:http'
import https from 'node:https'
import { LambdaClient } from '@aws-sdk/client-lambda'
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { gatewayRetryStrategy, IDEMPOTENT_MAX_ATTEMPTS } from './lambda-retry.js'

export interface LambdaContextConfig {
  region?: string
  roleArn?: string
}

export interface LambdaClientPoolOptions {
  /** Invoke API endpoint (the local runtime); unset/'' = real AWS. */
  endpoint?: string
  region: string
  contexts?: Record<string, LambdaContextConfig>
  credentials?: AwsCredentialIdentityProvider
  /** Keep-alive sockets per Lambda endpoint host (i.e. per region); default 64. */
  maxSockets?: number
  /** Where credentials are looked for (default process.env); only read, never written. */
  env?: Record<string, string | undefined>
  /** STS endpoint for assuming context roles (an STS VPC endpoint; tests); unset = the SDK's default. */
  stsEndpoint?: string
}

export interface ClientTarget {
  region: string
  roleArn?: string
}

export interface LambdaClientPair {
  target: ClientTarget
  once: LambdaClient
  retrying: LambdaClient
  /** 'explicit' | 'default-chain' | 'dummy-local' | 'assume-role' — for logs and tests. */
  credentialSource: string
}

const ENV_CREDENTIAL_KEYS = [
  'AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'
]

export function hasEnvCredentials (env: Record<string, string | undefined>): boolean {
  return ENV_CREDENTIAL_KEYS.some(k => (env[k] ?? '') !== '')
}

const dummyCredentials: AwsCredentialIdentityProvider = async () =>
  ({ accessKeyId: 'local-runtime', secretAccessKey: 'local-runtime' })

/** Refresh shared temporary credentials this long before they expire. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000

/**
 * One cache for both clients of a pair (each SDK client memoizes only for itself), so a role is
 * assumed once per expiry window, not once per client. A failed fetch is not cached.
 */
function shared (provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined
  let expiresAt = 0
  return async () => {
    if (current === undefined || Date.now() >= expiresAt) {
      const fetching = provider()
      current = fetching
      expiresAt = Number.POSITIVE_INFINITY // until it resolves, concurrent callers share it
      fetching.then(
        c => { if (current === fetching) expiresAt = (c.expiration?.getTime() ?? Number.POSITIVE_INFINITY) - REFRESH_BEFORE_EXPIRY_MS },
        () => { if (current === fetching) current = undefined }
      )
    }
    return current
  }
}

export class LambdaClientPool {
  readonly #opts: LambdaClientPoolOptions
  readonly #pairs = new Map<string, LambdaClientPair>()
  readonly #httpAgent: http.Agent
  readonly #httpsAgent: https.Agent

  constructor (opts: LambdaClientPoolOptions) {
    this.#opts = opts
    const agentOpts = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: opts.maxSockets ?? 64 }
    this.#httpAgent = new http.Agent(agentOpts)
    this.#httpsAgent = new https.Agent(agentOpts)
  }

  /** Region and role of a context; throws on an unknown context name. */
  resolve (context: string | undefined): ClientTarget {
    if (context === undefined || context === '') return { region: this.#opts.region }
    const c = this.#opts.contexts?.[context]
    if (c === undefined) throw new Error(`unknown lambda context '${context}'`)
    return { region: c.region ?? this.#opts.region, ...(c.roleArn ? { roleArn: c.roleArn } : {}) }
  }

  pair (context: string | undefined): LambdaClientPair {
    const target = this.resolve(context)
    const key = `${target.region}|${target.roleArn ?? ''}`
    let pair = this.#pairs.get(key)
    if (pair === undefined) {
      pair = this.#create(target)
      this.#pairs.set(key, pair)
    }
    return pair
  }

  #baseCredentials (): { provider?: AwsCredentialIdentityProvider, source: string } {
    if (this.#opts.credentials) return { provider: this.#opts.credentials, source: 'explicit' }
    const local = (this.#opts.endpoint ?? '') !== ''
    if (local && !hasEnvCredentials(this.#opts.env ?? process.env)) {
      return { provider: dummyCredentials, source: 'dummy-local' }
    }
    return { source: 'default-chain' } // undefined → the SDK's default chain
  }

  #create (target: ClientTarget): LambdaClientPair {
    const base = this.#baseCredentials()
    let credentials = base.provider
    let credentialSource = base.source
    if (target.roleArn) {
      credentials = shared(fromTemporaryCredentials({
        params: { RoleArn: target.roleArn, RoleSessionName: 'strangler-gateway' },
        ...(base.provider ? { masterCredentials: base.provider } : {}),
        clientConfig: { region: target.region, ...(this.#opts.stsEndpoint ? { endpoint: this.#opts.stsEndpoint } : {}) }
      }))
      credentialSource = 'assume-role'
    }
    const endpoint = this.#opts.endpoint
    const common = {
      region: target.region,
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      // Builds the SDK's NodeHttpHandler around our shared keep-alive agents. No requestTimeout:
      // the invoker's AbortController is the real timeout (see lambda-retry.ts).
      requestHandler: { httpAgent: this.#httpAgent, httpsAgent: this.#httpsAgent }
    }
    return {
      target,
      credentialSource,
      once: new LambdaClient({ ...common, maxAttempts: 1, retryStrategy: gatewayRetryStrategy(1) }),
      retrying: new LambdaClient({
        ...common,
        maxAttempts: IDEMPOTENT_MAX_ATTEMPTS,
        retryStrategy: gatewayRetryStrategy(IDEMPOTENT_MAX_ATTEMPTS)
      })
    }
  }

  close (): void {
    for (const pair of this.#pairs.values()) {
      pair.once.destroy()
      pair.retrying.destroy()
    }
    this.#pairs.clear()
    this.#httpAgent.destroy()
    this.#httpsAgent.destroy()
  }
}
