// The embedded default StateStore: one JSON file, written atomically. A save writes a temp file
// in the same directory, fsyncs it, renames it over the real file and fsyncs the directory, so
// after a crash the file is either the old or the new state, never a mix. A leftover temp file
// (crash between write and rename) is ignored and removed on the next load.
//
// Decision on a corrupt or schema-invalid file: REFUSE TO START (StateCorruptError with the
// path and reason) and leave the file untouched. Starting from config alone would silently undo
// runtime flips, e.g. send traffic back to a Lambda that ops had flipped away from because it
// was failing. The operator repairs the file or moves it aside on purpose (docs/operations.md).
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { join, dirname, basename } from 'node:path'
import { StateCorruptError, StateWriteError } from '../errors.js'
import type { PersistedState } from './route-state.js'
import { createListeners } from './route-state-store.js'
import type { StateStore } from './route-state-store.js'
import { stateFileCheck } from './state-file-schema.js'
import type { StateFile } from './state-file-schema.js'

export const STATE_FILE_NAME = 'gateway-state.json'
const TEMP_MARK = '.tmp-'

export interface FileStateStoreOptions {
  /** Directory of the state file (GATEWAY_STATE_DIR, default ./var/); created when missing. */
  dir: string
  /** Clock for `savedAt`; default Date.now. */
  now?: () => number
}

export interface FileStateStore extends StateStore {
  readonly path: string
}

function iso (ms: number): string { return new Date(ms).toISOString() }

function mapValues<A, B> (o: Record<string, A>, f: (a: A) => B): Record<string, B> {
  const out: Record<string, B> = {}
  for (const [k, v] of Object.entries(o)) out[k] = f(v)
  return out
}

export function toStateFile (state: PersistedState, savedAt: number): StateFile {
  return {
    version: 1,
    savedAt: iso(savedAt),
    firstStartedAt: iso(state.firstStartedAt),
    routes: state.routes,
    lastHit: { routes: mapValues(state.lastHit.routes, iso), functions: mapValues(state.lastHit.functions, iso) }
  }
}

/** Parses and validates the file's text; throws StateCorruptError naming the first problems. */
export function parseStateFile (path: string, text: string): PersistedState {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw Object.assign(new StateCorruptError(path, `not JSON (${(err as Error).message})`), { cause: err })
  }
  if (!stateFileCheck.Check(raw)) {
    const reasons = [...stateFileCheck.Errors(raw)].slice(0, 5).map(e => `${e.path || '/'}: ${e.message}`)
    throw new StateCorruptError(path, `schema: ${reasons.join('; ')}`)
  }
  const ms = (s: string): number => {
    const t = Date.parse(s)
    if (Number.isNaN(t)) throw new StateCorruptError(path, `bad timestamp "${s}"`)
    return t
  }
  return {
    version: 1,
    firstStartedAt: ms(raw.firstStartedAt),
    routes: raw.routes,
    lastHit: { routes: mapValues(raw.lastHit.routes, ms), functions: mapValues(raw.lastHit.functions, ms) }
  }
}

/** Writes `text` to `path` atomically and durably (temp + fsync + rename + dir fsync). */
export async function writeFileAtomic (path: string, text: string): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `${basename(path)}${TEMP_MARK}${process.pid}-${Date.now().toString(36)}`)
  const fh = await open(temp, 'w', 0o600)
  try {
    await fh.writeFile(text, 'utf8')
    await fh.sync()
  } finally {
    await fh.close()
  }
  try {
    await rename(temp, path)
  } catch (err) {
    await unlink(temp).catch(() => {})
    throw err
  }
  // The rename is durable only once the directory entry is: fsync the directory too.
  const dh = await open(dir, 'r')
  try { await dh.sync() } finally { await dh.close() }
}

async function removeLeftoverTemps (dir: string): Promise<void> {
  const prefix = STATE_FILE_NAME + TEMP_MARK
  for (const name of await readdir(dir)) {
    if (name.startsWith(prefix)) await unlink(join(dir, name)).catch(() => {})
  }
}

export function createFileStateStore (options: FileStateStoreOptions): FileStateStore {
  const path = join(options.dir, STATE_FILE_NAME)
  const now = options.now ?? Date.now
  const listeners = createListeners()
  // Saves are chained so two concurrent changes never race on the temp/rename sequence.
  let chain: Promise<void> = Promise.resolve()

  return {
    path,
    async load () {
      await mkdir(options.dir, { recursive: true })
      await removeLeftoverTemps(options.dir)
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw Object.assign(new StateCorruptError(path, `unreadable (${(err as Error).message})`), { cause: err })
      }
      return parseStateFile(path, text)
    },
    save (state) {
      const text = JSON.stringify(toStateFile(state, now()), null, 2) + '\n'
      const run = chain.then(async () => {
        try {
          await mkdir(options.dir, { recursive: true })
          await writeFileAtomic(path, text)
        } catch (err) {
          throw Object.assign(new StateWriteError(path, (err as Error).message), { cause: err })
        }
        listeners.emit(structuredClone(state))
      })
      chain = run.catch(() => {})
      return run
    },
    onChange: listeners.add
  }
}
