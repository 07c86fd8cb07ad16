// Wire shapes of the Lambda target: the API Gateway HTTP API payload 2.0 event we send and the
// response shape a function may return. Written out here (not @types/aws-lambda) so the gateway
// states exactly which fields it produces and accepts.

export interface HttpApiEventV2 {
  version: '2.0'
  routeKey: string
  rawPath: string
  rawQueryString: string
  cookies?: string[]
  headers: Record<string, string>
  queryStringParameters?: Record<string, string>
  pathParameters?: Record<string, string>
  requestContext: {
    accountId: string
    apiId: string
    domainName: string
    domainPrefix: string
    http: { method: string, path: string, protocol: string, sourceIp: string, userAgent: string }
    requestId: string
    routeKey: string
    stage: string
    /** `dd/MMM/yyyy:HH:mm:ss +0000` */
    time: string
    timeEpoch: number
  }
  body?: string
  isBase64Encoded: boolean
}

/** What the gateway sends to the client after mapping a function's result. */
export interface MappedLambdaResponse {
  statusCode: number
  /** Lower-cased names; `set-cookie` (and any multi-value header) as an array. */
  headers: Record<string, string | string[]>
  body: Buffer
  /** Result fields that were present but ignored (format 1.0's `multiValueHeaders`); absent when none. */
  ignored?: readonly string[]
}

/** Figures from the runtime's `REPORT` log line. */
export interface LambdaReport {
  requestId: string
  durationMs: number
  billedDurationMs: number
  memorySizeMb: number
  maxMemoryUsedMb: number
  /** Present only on a cold start (first invoke of an execution environment). */
  initDurationMs?: number
  coldStart: boolean
}
