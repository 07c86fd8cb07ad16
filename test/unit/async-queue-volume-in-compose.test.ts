// docker compose keeps what npm start keeps: the gateway's state dir — where the async job queue
// lives (async.dataDir is relative to it) — is a named volume at the directory the shipped config
// resolves in the container, and the image makes that directory writable by its `node` user.
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { loadConfig } from '../../gateway/src/config/load-config.js'

const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
  services: Record<string, { volumes?: string[], environment?: Record<string, string> }>
  volumes?: Record<string, unknown>
}
const dockerfile = readFileSync('gateway/Dockerfile', 'utf8')

t.test('the job queue dir is on a named volume, writable by the container user', async t => {
  const config = loadConfig({ env: {} })
  t.equal(config.routes.some(r => r.async?.enabled === true), true, 'the shipped config has an async route')
  const workdir = /^WORKDIR (\S+)$/m.exec(dockerfile.slice(dockerfile.lastIndexOf('FROM ')))?.[1]
  t.equal(workdir, '/app')
  const gw = compose.services.gateway!
  t.notOk(gw.environment?.GATEWAY_STATE_DIR, 'compose keeps the config\'s state.dir (as npm start does)')
  const stateDir = posix.resolve(workdir!, config.state.dir)
  const queueDir = posix.resolve(stateDir, config.async.dataDir)
  t.equal(queueDir, '/app/var/async')
  const mount = (gw.volumes ?? []).map(v => v.split(':')).find(([, target]) => target !== undefined && (queueDir === target || queueDir.startsWith(target + '/')))
  t.ok(mount, `a volume holds ${queueDir}`)
  t.ok(mount && compose.volumes && mount[0]! in compose.volumes, `${mount?.[0]} is a named volume (survives a rebuild)`)
  t.notOk(mount?.[2]?.includes('ro'), 'mounted read-write')
  t.match(dockerfile, new RegExp(`RUN mkdir -p ${stateDir} && chown node:node ${stateDir}\\n(?:.*\\n)*?USER node`), 'the image creates it for the node user')
})
