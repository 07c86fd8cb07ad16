// ForwardBilling-${Stage}: POST /api/billings → legacy POST /api/Billings through the gateway
// (201 with the billing, or 202 with the gateway's async job when the billings route is async).
// Adapter only: validation in the shared adapter, the decision table in forward-billing.ts.
import { FnError } from '../shared/errors.js'
import { initFunction } from '../shared/init-log.js'
import { createHttpHandler, defineRoute } from '../shared/http-adapter.js'
import type { HttpHandler } from '../shared/http-adapter.js'
import type { LambdaContext } from '../shared/http-event.js'
import { json } from '../shared/response.js'
import type { HttpResult } from '../shared/response.js'
import { NoParams, NoQuery, calendarDateErrors, centsErrors } from '../shared/schemas.js'
import { readConfig } from './config.js'
import type { ForwardBillingConfig } from './config.js'
import { forwardBilling, prepareForward } from './forward-billing.js'
import type { BillingGateway, ForwardResult } from './forward-billing.js'
import { httpBillingGateway } from './gateway-client.js'
import { BillingHeaders, FORWARDED_BY_HEADER, NewBillingBody } from './schema.js'
import { traceHeaders } from '../shared/trace-context.js'

/** Left for the function to answer after the upstream gave up, before Lambda's own Timeout hits. */
const ANSWER_MARGIN_MS = 250

function timeoutFor (config: ForwardBillingConfig, context: LambdaContext): number {
  const remaining = context.getRemainingTimeInMillis?.()
  if (remaining === undefined) return config.upstreamTimeoutMs
  return Math.max(1, Math.min(config.upstreamTimeoutMs, remaining - ANSWER_MARGIN_MS))
}

function toResponse (result: ForwardResult, key: string, gatewayBaseUrl: string): HttpResult {
  const keyHeader = { 'idempotency-key': key }
  switch (result.kind) {
    case 'created':
      return json(201, result.billing, { ...keyHeader, ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}) })
    case 'accepted': {
      // Our caller is not behind the gateway's host: give it the job's absolute URL to poll
      // (joined like the billing URL itself, so a base path in GATEWAY_BASE_URL is kept).
      const location = `${gatewayBaseUrl}${result.job.location}`
      return json(202, { jobId: result.job.jobId, state: result.job.state, location }, {
        ...keyHeader,
        location,
        ...(result.replayed ? { 'idempotent-replayed': 'true' } : {})
      })
    }
    case 'rejected':
      throw new FnError('FN_ERR_UPSTREAM_REJECTED', result.detail, {
        status: result.status,
        ...(result.errors !== undefined ? { errors: result.errors } : {}),
        headers: { ...keyHeader, ...(result.retryAfter !== undefined ? { 'retry-after': result.retryAfter } : {}) }
      })
    case 'failed':
      throw new FnError('FN_ERR_UPSTREAM_FAILED', `legacy answered ${result.upstreamStatus}`, {
        headers: { ...keyHeader, ...(result.retryAfter !== undefined ? { 'retry-after': result.retryAfter } : {}) }
      })
    case 'bad-response':
      throw new FnError('FN_ERR_UPSTREAM_BAD_RESPONSE', result.upstreamStatus === 202
        ? 'the gateway answered 202 without a job'
        : `legacy answered ${result.upstreamStatus} without a billing`, { headers: keyHeader })
    case 'timeout':
      throw new FnError('FN_ERR_UPSTREAM_TIMEOUT', result.detail, { headers: keyHeader })
    case 'unreachable':
      throw new FnError('FN_ERR_UPSTREAM_UNREACHABLE', result.detail, { headers: keyHeader })
  }
}

/** The handler for a given config and gateway port; tests build their own, Lambda uses `handler`. */
export function createForwardBillingHandler (config: ForwardBillingConfig,
  gateway: BillingGateway = httpBillingGateway(config.gatewayBaseUrl)): HttpHandler {
  return createHttpHandler({
    param: 'id',
    routes: [
      defineRoute({
        method: 'POST',
        withParam: false,
        pathParameters: NoParams,
        queryStringParameters: NoQuery,
        body: { schema: NewBillingBody, maxBytes: config.maxBodyBytes },
        headers: { names: ['idempotency-key'], schema: BillingHeaders },
        // Gateway routes match case-insensitively: if POST /api/Billings is routed to this
        // function, our own forward (PascalCase body and all) comes back here. One hop, then stop.
        guard: event => {
          const by = event.headers?.[FORWARDED_BY_HEADER]
          if (by !== undefined) {
            throw new FnError('FN_ERR_LOOP_DETECTED', `already forwarded by ${by.slice(0, 64)}: the gateway must send POST /api/Billings from functions to legacy`)
          }
        },
        checks: req => [
          ...centsErrors('/body/amount', req.body.amount),
          ...calendarDateErrors('/body/billedOn', req.body.billedOn)
        ],
        run: async (req, info) => {
          const clientKey = req.headers['idempotency-key']
          const requestId = info.requestId ?? info.context.awsRequestId
          if (clientKey === undefined && requestId === undefined) {
            throw new FnError('FN_ERR_VALIDATION', 'the request is invalid', {
              errors: [{ path: '/headers/idempotency-key', message: 'Expected an Idempotency-Key header when the event has no requestContext.requestId' }]
            })
          }
          const prepared = prepareForward(req.body, clientKey, requestId ?? '')
          const result = await forwardBilling(gateway, prepared, timeoutFor(config, info.context), traceHeaders(info.trace))
          return toResponse(result, prepared.idempotencyKey, config.gatewayBaseUrl)
        }
      })
    ]
  })
}

export const stage = initFunction('forward-billing', process.env)
export const config = readConfig(process.env)
export const handler = createForwardBillingHandler(config)
