// The API Gateway HTTP API payload 2.0 event as far as our functions rely on it, and the schema
// its envelope is checked against before anything else looks at it.
import { Type } from '@sinclair/typebox'

export interface HttpEvent {
  version: '2.0'
  routeKey?: string
  rawPath: string
  rawQueryString?: string
  headers?: Record<string, string>
  queryStringParameters?: Record<string, string>
  pathParameters?: Record<string, string>
  requestContext: { requestId?: string, http: { method: string } }
  body?: string
  isBase64Encoded?: boolean
}

/** The part of the Lambda context we use; everything optional so tests can pass `{}`. */
export interface LambdaContext {
  awsRequestId?: string
  getRemainingTimeInMillis?: () => number
}

const StringMap = Type.Record(Type.String(), Type.String())

/** Envelope fields we read; the rest of what API Gateway sends (cookies, stage, time…) is allowed. */
export const HttpEventSchema = Type.Object({
  version: Type.Literal('2.0'),
  routeKey: Type.Optional(Type.String()),
  rawPath: Type.String({ maxLength: 2048 }),
  rawQueryString: Type.Optional(Type.String({ maxLength: 8192 })),
  headers: Type.Optional(StringMap),
  queryStringParameters: Type.Optional(StringMap),
  pathParameters: Type.Optional(StringMap),
  requestContext: Type.Object({
    requestId: Type.Optional(Type.String({ maxLength: 256 })),
    http: Type.Object({ method: Type.String({ minLength: 1, maxLength: 16 }) })
  }),
  body: Type.Optional(Type.String()),
  isBase64Encoded: Type.Optional(Type.Boolean())
})
