// The cockpit's static files (gateway/cockpit-ui/: plain HTML, CSS and ES modules, no build
// step), read once at start and kept with a gzip copy, so serving one is a buffer write. Only
// the files listed in that folder at start are served: no path from a request reaches the disk.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { extname, join } from 'node:path'
import { gzipSync } from 'node:zlib'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png'
}

export interface StaticAsset { body: Buffer, gzip: Buffer, type: string }

/** The folder: next to gateway/src when run from source, found from dist/ when built. */
export function cockpitUiDir (): string {
  const candidates = ['../../cockpit-ui/', '../../../../gateway/cockpit-ui/']
    .map(rel => fileURLToPath(new URL(rel, import.meta.url)))
  const dir = candidates.find(d => existsSync(join(d, 'index.html')))
  if (dir === undefined) throw new Error(`cockpit UI files not found (looked in ${candidates.join(', ')})`)
  return dir
}

export function loadStaticAssets (dir = cockpitUiDir()): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>()
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)]
    if (type === undefined || !/^[a-z0-9-]+\.[a-z]+$/.test(name)) continue
    const body = readFileSync(join(dir, name))
    assets.set(name, { body, gzip: gzipSync(body, { level: 9 }), type })
  }
  return assets
}
