// Error answers shaped as the Lambda service sends them, so @aws-sdk/client-lambda raises the
// matching exception class: the full name in x-amzn-ErrorType, AWS's body fields.
export interface AwsErrorAnswer {
  status: number
  errorType: string
  body: Record<string, unknown>
  headers?: Record<string, string>
}

export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024

export function functionNotFound (arn: string): AwsErrorAnswer {
  return { status: 404, errorType: 'ResourceNotFoundException', body: { Type: 'User', Message: `Function not found: ${arn}` } }
}

export function throttled (): AwsErrorAnswer {
  return {
    status: 429,
    errorType: 'TooManyRequestsException',
    body: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' },
    headers: { 'retry-after': '1' }
  }
}

export function tooLarge (): AwsErrorAnswer {
  return {
    status: 413,
    errorType: 'RequestTooLargeException',
    body: { Type: 'User', message: `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation` }
  }
}

export function invalidContent (detail: string): AwsErrorAnswer {
  return { status: 400, errorType: 'InvalidRequestContentException', body: { Type: 'User', message: `Could not parse request body into json: ${detail}` } }
}

export function invalidParameter (message: string): AwsErrorAnswer {
  return { status: 400, errorType: 'InvalidParameterValueException', body: { Type: 'User', message } }
}

export function unknownOperation (): AwsErrorAnswer {
  return { status: 404, errorType: 'UnknownOperationException', body: { Type: 'User', message: 'Unknown operation' } }
}
