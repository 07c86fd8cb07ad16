// Local comfort for `npm start`: on a loopback admin listener without GATEWAY_ADMIN_TOKEN[S], a
// random admin token is generated once and kept in <state dir>/admin-token (mode 0600), so the
// cockpit login and gatewayctl work at once. gatewayctl reads the same file when its admin URL
// is loopback and no token is in its environment. Containers (server.ts) never do this: they
// keep requiring an explicit token.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'

export const LOCAL_TOKEN_FILE = 'admin-token'

/** <GATEWAY_STATE_DIR or ./var>/admin-token, resolved against the working directory. */
export function localTokenPath (env: { GATEWAY_STATE_DIR?: string | undefined }): string {
  return join(resolve(env.GATEWAY_STATE_DIR || './var'), LOCAL_TOKEN_FILE)
}

/** The token in the file (kept across restarts), or a new one written with mode 0600. */
export function ensureLocalToken (path: string): { token: string, created: boolean } {
  if (existsSync(path)) {
    chmodSync(path, 0o600)
    const token = readFileSync(path, 'utf8').trim()
    if (token !== '') return { token, created: false }
  }
  mkdirSync(resolve(path, '..'), { recursive: true })
  const token = randomBytes(24).toString('base64url')
  writeFileSync(path, token + '\n', { mode: 0o600 })
  chmodSync(path, 0o600) // an existing empty file keeps its mode on write
  return { token, created: true }
}

/** The token in the file, or undefined when there is none (never throws). */
export function readLocalToken (path: string): string | undefined {
  try {
    const token = readFileSync(path, 'utf8').trim()
    return token === '' ? undefined : token
  } catch {
    return undefined
  }
}
