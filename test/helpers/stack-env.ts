// The environment the e2e tests start the `npm start` stack with (scripts/start-stack.ts):
// every port 0, quiet logs, an admin token, state in the test's own directory.
export const STACK_ADMIN_TOKEN = 'e2e-admin-token-0123456789'

export function stackEnv (stateDir: string, token = STACK_ADMIN_TOKEN): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    LEGACY_STUB_PORT: '0',
    LAMBDA_RUNTIME_PORT: '0',
    PORT: '0',
    ADMIN_PORT: '0',
    LOG_LEVEL: 'silent',
    GATEWAY_ADMIN_TOKEN: token,
    GATEWAY_STATE_DIR: stateDir
  }
}
