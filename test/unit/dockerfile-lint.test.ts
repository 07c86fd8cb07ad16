// No Docker engine runs on our machines, so the images cannot be built here: this test lints the
// Dockerfiles for the properties a production image must have instead.
import t from 'tap'
import { readFileSync } from 'node:fs'

const DOCKERFILES = ['gateway/Dockerfile', 'legacy-stub/Dockerfile', 'lambdas/Dockerfile']

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
    for (const from of froms) {
      const image = from.args.split(/\s+/)[0]!
      t.match(image, /^node:20\.\d+\.\d+-[a-z-]+$/, `line ${from.line}: base image pinned to an exact Node 20 release`)
    }
    const last = finalStage(ins)
    const user = last.filter(i => i.keyword === 'USER')
    t.equal(user.length, 1, 'final stage sets USER')
    t.not(user[0]?.args, 'root', 'final stage does not run as root')
    t.ok(last.some(i => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args)), 'final stage installs production dependencies only')
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
  t.notMatch(bad[0]!.args, /^node:20\.\d+\.\d+-[a-z-]+$/, 'unpinned base detected')
  t.throws(() => JSON.parse(bad[3]!.args), 'shell-form CMD detected')
  t.ok(copySources('. /app').includes('.'), 'COPY of the whole context detected')
  t.match(bad[2]!.args, /(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|ACCESS_KEY)\w*\s*=/i, 'secret in ENV detected')
})
