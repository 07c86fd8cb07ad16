// Starts the Lambda local runtime on an ephemeral port for a test, and a real SDK client for it.
import { LambdaClient } from '@aws-sdk/client-lambda'
import { fileURLToPath } from 'node:url'
import { startLambdaRuntime, type LambdaRuntime, type LambdaRuntimeOptions } from '../../lambdas/runtime/start.js'

export const FIXTURE_TEMPLATE = fileURLToPath(new URL('../fixtures/lambda-runtime/template.yaml', import.meta.url))
export const REAL_TEMPLATE = fileURLToPath(new URL('../../lambdas/template.yaml', import.meta.url))

interface Teardown { teardown: (fn: () => unknown) => void }

export async function startTestLambdaRuntime (t: Teardown, opts: Partial<LambdaRuntimeOptions> = {}): Promise<LambdaRuntime> {
  const runtime = await startLambdaRuntime({ templatePath: FIXTURE_TEMPLATE, port: 0, host: '127.0.0.1', ...opts })
  t.teardown(() => runtime.close())
  return runtime
}

/** The real SDK pointed at the local runtime; AWS itself cannot be reached here, so credentials are dummies. */
export function lambdaClient (url: string): LambdaClient {
  return new LambdaClient({
    endpoint: url,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1
  })
}

export const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value))
export const parsePayload = (payload: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(payload ?? []).toString('utf8'))
export const decodeLog = (logResult: string | undefined): string => Buffer.from(logResult ?? '', 'base64').toString('utf8')
