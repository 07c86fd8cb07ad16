// nginx as a peer: worker_processes 1, keepalive upstream, access log off, foreground child
// (`daemon off`) with its own prefix in a temp dir, listening on a free loopback port.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Pinning } from './pinning.js'
import { pinned } from './pinning.js'

function which (cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

/** The nginx binary, installing it from Debian's packages when missing and running as root. */
export function ensureNginx (log: (msg: string) => void): string | undefined {
  const found = which('nginx') ?? which('/usr/sbin/nginx')
  if (found) return found
  if (process.getuid?.() !== 0) {
    log('nginx not found and not root: skipping the nginx contender (install it: sudo apt-get install -y nginx)')
    return undefined
  }
  try {
    log('installing nginx (apt-get install -y nginx)…')
    execFileSync('apt-get', ['install', '-y', '-qq', 'nginx'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 300_000 })
  } catch {
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', timeout: 300_000 })
      execFileSync('apt-get', ['install', '-y', '-qq', 'nginx'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 300_000 })
    } catch (err) {
      log(`could not install nginx (${(err as Error).message}): skipping the nginx contender`)
      return undefined
    }
  }
  return which('nginx') ?? which('/usr/sbin/nginx')
}

export async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo
      s.close(() => resolve(port))
    })
  })
}

export function nginxConf (prefix: string, listenPort: number, upstream: URL, asRoot: boolean): string {
  return `${asRoot ? 'user root;\n' : ''}worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log crit;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  keepalive_requests 1000000;
  upstream origin {
    server ${upstream.hostname}:${upstream.port};
    keepalive 128;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering on;
    }
  }
}
`
}

async function waitUp (url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      return
    } catch (err) {
      if (Date.now() > until) throw new Error(`nginx did not come up: ${(err as Error).message}`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
}

export async function startNginx (binary: string, upstreamUrl: string, pinning: Pinning): Promise<{ url: string, pid?: number, stop: () => Promise<void> }> {
  const prefix = mkdtempSync(join(tmpdir(), 'bench-nginx-'))
  mkdirSync(join(prefix, 'tmp'), { recursive: true })
  const port = await freePort()
  const confPath = join(prefix, 'nginx.conf')
  writeFileSync(confPath, nginxConf(prefix, port, new URL(upstreamUrl), process.getuid?.() === 0))
  const [cmd, args] = pinned(pinning, binary, ['-p', prefix, '-c', confPath])
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitUp(url + '/', 10_000)
  } catch (err) {
    child.kill('SIGKILL')
    throw new Error(`${(err as Error).message} ${stderr.slice(-500)}`)
  }
  return {
    url,
    // taskset execs nginx, so this is the master; its worker is counted as a child.
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    stop: () => new Promise<void>(resolve => {
      if (child.exitCode !== null) { rmSync(prefix, { recursive: true, force: true }); resolve(); return }
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
      child.once('exit', () => { clearTimeout(kill); rmSync(prefix, { recursive: true, force: true }); resolve() })
      child.kill('SIGQUIT')
    })
  }
}
