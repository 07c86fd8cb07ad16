// Watches the config file and its stage overlay. fs.watch is put on the DIRECTORIES, not the
// files: editors save by writing a temp file and renaming it over the original, which replaces
// the inode a file watch is attached to (the watch would go silent after the first save).
// Events are debounced (one save = several events) and `onChange` only fires when the content
// of the watched files actually changed since the last call, so touching a file is not a reload.
import { watch } from 'node:fs'
import type { FSWatcher } from 'node:fs'
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { basename, dirname, resolve } from 'node:path'

export interface WatchConfigOptions {
  /** Files to watch (config file, stage overlay; an overlay may not exist yet). */
  files: string[]
  /** Called once per settled change of content. */
  onChange: () => void
  /** Quiet period after the last event before reading; default 150 ms. */
  debounceMs?: number
  /** A directory that cannot be watched (logged by the caller). */
  onError?: (err: Error) => void
}

export interface ConfigWatcher {
  close: () => void
}

function contentHash (files: readonly string[]): string {
  const h = createHash('sha256')
  for (const f of files) {
    let text: string
    try { text = readFileSync(f, 'utf8') } catch { text = '\u0000missing' }
    h.update(f).update('\u0000').update(text).update('\u0000')
  }
  return h.digest('hex')
}

export function watchConfig (options: WatchConfigOptions): ConfigWatcher {
  const files = options.files.map(f => resolve(f))
  const byDir = new Map<string, Set<string>>()
  for (const f of files) {
    const names = byDir.get(dirname(f)) ?? new Set<string>()
    names.add(basename(f))
    byDir.set(dirname(f), names)
  }
  let last = contentHash(files)
  let timer: NodeJS.Timeout | undefined
  const settle = (): void => {
    timer = undefined
    const now = contentHash(files)
    if (now === last) return
    last = now
    options.onChange()
  }
  const watchers: FSWatcher[] = []
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_event, filename) => {
        // Some platforms omit the name: treat it as a possible change of ours.
        if (filename !== null && !names.has(filename.toString())) return
        if (timer !== undefined) clearTimeout(timer)
        timer = setTimeout(settle, options.debounceMs ?? 150)
      })
      w.on('error', (err) => options.onError?.(err))
      watchers.push(w)
    } catch (err) {
      // A missing stages/ directory: nothing to watch there until a restart.
      options.onError?.(err as Error)
    }
  }
  return {
    close () {
      if (timer !== undefined) clearTimeout(timer)
      for (const w of watchers) w.close()
    }
  }
}
