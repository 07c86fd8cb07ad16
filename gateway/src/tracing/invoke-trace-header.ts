// The X-Ray trace header on the Invoke API request itself (not only in the event): that is where
// Lambda takes a function's trace from for active tracing (X-Amzn-Trace-Id, as the X-Ray SDK's
// instrumentation sends it) and hands it to the function as _X_AMZN_TRACE_ID.
import type { InvokeCommand } from '@aws-sdk/client-lambda'
import { XRAY_HEADER } from './xray-header.js'

/** Adds `X-Amzn-Trace-Id: <header>` to this one command's HTTP request (build step, before signing). */
export function withInvokeTraceHeader (command: InvokeCommand, header: string): InvokeCommand {
  command.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> }
      if (request.headers !== undefined) request.headers[XRAY_HEADER] = header
      return next(args)
    },
    { step: 'build', name: 'gatewayXrayTraceHeader' }
  )
  return command
}
