// The environment of a whole local stack (scripts/start-stack.ts) on ephemeral ports, for the
// e2e and browser tests: only PATH from the test's own environment, plus what the caller adds.
export function ephemeralStackEnv (extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    LEGACY_STUB_PORT: '0',
    LAMBDA_RUNTIME_PORT: '0',
    PORT: '0',
    ADMIN_PORT: '0',
    ...extra
  }
}

export const STACK_ADMIN_TOKEN = 'e2e-admin-token-0123456789'

/** The e2e tests' stack: quiet logs, an admin token, state in the test's own directory. */
export function stackEnv (stateDir: string, token = STACK_ADMIN_TOKEN): NodeJS.ProcessEnv {
  return ephemeralStackEnv({ LOG_LEVEL: 'silent', GATEWAY_ADMIN_TOKEN: token, GATEWAY_STATE_DIR: stateDir })
}
