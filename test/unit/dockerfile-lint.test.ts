// The static half of the image checks (the container test, test/containers/, builds and runs the
// images): the properties a production image must have, read from the Dockerfiles.
import t from 'tap'
import { readFileSync } from 'node:fs'

const DOCKERFILES = ['gateway/Dockerfile', 'legacy-stub/Dockerfile', 'lambdas/Dockerfile']
const FROM_NODE_IMAGE = /^\$\{NODE_IMAGE\}(\s|$)/
const NODE_IMAGE = `node:${readFileSync('.node-version', 'utf8').trim()}-bookworm-slim`

interface Instruction { keyword: string, args: string, line: number }

function parseDockerfile (text: string): Instruction[] {
  const out: Instruction[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const start = i
    let line = lines[i] ?? ''
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + (lines[++i] ?? '')
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const m = /^(\w+)\s+(.*)$/.exec(trimmed)
    if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 })
  }
  return out
}

/** The source paths of a COPY (flags dropped, destination last). */
function copySources (args: string): string[] {
  const words = args.split(/\s+/).filter(w => !w.startsWith('--'))
  return words.slice(0, -1)
}

/** The instructions of the stage named `name` (FROM … AS name up to the next FROM). */
function stage (ins: Instruction[], name: string): Instruction[] {
  const from = ins.findIndex(i => i.keyword === 'FROM' && new RegExp(`\\sAS\\s+${name}$`, 'i').test(i.args))
  if (from < 0) return []
  const next = ins.findIndex((i, n) => n > from && i.keyword === 'FROM')
  return ins.slice(from, next < 0 ? undefined : next)
}

/** Instructions of the last stage: what ends up in the shipped image. */
function finalStage (ins: Instruction[]): Instruction[] {
  const lastFrom = ins.map(i => i.keyword).lastIndexOf('FROM')
  return ins.slice(lastFrom)
}

for (const file of DOCKERFILES) {
  t.test(file, async t => {
    const ins = parseDockerfile(readFileSync(file, 'utf8'))
    const froms = ins.filter(i => i.keyword === 'FROM')
    t.ok(froms.length >= 2, 'multi-stage build')
    const args = ins.slice(0, ins.indexOf(froms[0]!)).filter(i => i.keyword === 'ARG')
    t.same(args.map(a => a.args), [`NODE_IMAGE=${NODE_IMAGE}`], 'one ARG NODE_IMAGE before the first FROM, defaulting to the pinned base')
    for (const from of froms) {
      t.match(from.args, FROM_NODE_IMAGE, `line ${from.line}: every stage starts from NODE_IMAGE`)
    }
    const last = finalStage(ins)
    t.notOk(last.some(i => i.keyword === 'RUN' && /\b(npm|apt-get|npx)\b/.test(i.args)), 'final stage installs nothing (it copies built node_modules)')
    const deps = stage(ins, 'deps')
    t.ok(deps.some(i => i.keyword === 'RUN' && /apt-get install\b.*\bg\+\+/.test(i.args)), 'the deps stage has the toolchain for native addons')
    const depsCi = deps.find(i => i.keyword === 'RUN' && /npm ci\b/.test(i.args))
    t.match(depsCi?.args, /--omit=dev/, 'deps installs production dependencies only')
    t.notMatch(depsCi?.args, /--ignore-scripts/, 'deps runs install scripts, so better-sqlite3 builds its addon')
    t.ok(last.some(i => i.keyword === 'COPY' && /^--from=deps \/src\/node_modules /.test(i.args)), 'final stage copies node_modules from deps')
    for (const ci of ins.filter(i => i.keyword === 'RUN' && /npm ci\b/.test(i.args))) {
      t.match(ci.args, /^--mount=type=secret,id=ca /, `line ${ci.line}: npm ci takes the optional proxy CA as a build secret`)
    }
    const user = last.filter(i => i.keyword === 'USER')
    t.equal(user.length, 1, 'final stage sets USER')
    t.not(user[0]?.args, 'root', 'final stage does not run as root')
    for (const copy of last.filter(i => i.keyword === 'COPY' && !i.args.includes('--from'))) {
      const sources = copySources(copy.args)
      t.notOk(sources.some(s => s === '.' || s === './' || /^test(\/|$)/.test(s)), `line ${copy.line}: copies neither the whole context nor tests`)
    }
    const health = last.filter(i => i.keyword === 'HEALTHCHECK')
    t.equal(health.length, 1, 'HEALTHCHECK present')
    const cmd = last.filter(i => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT')
    t.ok(cmd.length >= 1, 'CMD present')
    for (const c of cmd) {
      t.doesNotThrow(() => JSON.parse(c.args), `line ${c.line}: ${c.keyword} in exec form, so SIGTERM reaches node`)
    }
    for (const i of ins) {
      if (i.keyword === 'ADD') t.notMatch(i.args, /https?:\/\//, `line ${i.line}: no ADD of a remote URL`)
      if (i.keyword === 'ENV') t.notMatch(i.args, /(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|ACCESS_KEY)\w*\s*=/i, `line ${i.line}: no secret in ENV`)
      if (i.keyword === 'ARG') t.notMatch(i.args, /(SECRET|TOKEN|PASSWORD)/i, `line ${i.line}: no secret as build ARG`)
    }
  })
}

t.test('.dockerignore keeps dependencies, tests and secrets out of the build context', async t => {
  const entries = readFileSync('.dockerignore', 'utf8').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'))
  for (const must of ['node_modules', 'test', '.env', '.git', 'dist']) t.ok(entries.includes(must), `ignores ${must}`)
})

t.test('the linter itself catches a bad Dockerfile', async t => {
  const bad = parseDockerfile('FROM node:latest\nADD https://example.com/x /x\nENV API_TOKEN=abc\nCMD node server.js\n')
  t.notMatch(bad[0]!.args, FROM_NODE_IMAGE, 'a base not taken from NODE_IMAGE detected')
  t.throws(() => JSON.parse(bad[3]!.args), 'shell-form CMD detected')
  t.ok(copySources('. /app').includes('.'), 'COPY of the whole context detected')
  t.match(bad[2]!.args, /(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|ACCESS_KEY)\w*\s*=/i, 'secret in ENV detected')
})
