// The persistence port of the route runtime state. The embedded default is the state file
// (state-file.ts); a Redis adapter (distributed mode) implements the same interface and calls
// the change listeners when another replica saves, so a flip reaches every replica.
import type { PersistedState } from './route-state.js'

export type StateListener = (state: PersistedState) => void

export interface StateStore {
  /** The saved state, or undefined when nothing was ever saved. Throws StateCorruptError on a bad file. */
  load: () => Promise<PersistedState | undefined>
  /** Persists durably; resolves only once the state would survive a crash. */
  save: (state: PersistedState) => Promise<void>
  /** Called after every successful save (local or, for shared stores, remote). Returns unsubscribe. */
  onChange: (listener: StateListener) => () => void
}

/** Notifies listeners; a throwing listener must not break a save or the other listeners. */
export function createListeners (): { add: (l: StateListener) => () => void, emit: (s: PersistedState) => void } {
  const listeners = new Set<StateListener>()
  return {
    add (l) {
      listeners.add(l)
      return () => { listeners.delete(l) }
    },
    emit (s) {
      for (const l of listeners) {
        try { l(s) } catch { /* a listener's bug must not fail the change that triggered it */ }
      }
    }
  }
}

/** In-memory store for tests (a gateway always persists: the state file, or Redis). Saves deep copies. */
export function createMemoryStateStore (initial?: PersistedState): StateStore {
  let saved = initial === undefined ? undefined : structuredClone(initial)
  const listeners = createListeners()
  return {
    async load () { return saved === undefined ? undefined : structuredClone(saved) },
    async save (state) {
      saved = structuredClone(state)
      listeners.emit(structuredClone(state))
    },
    onChange: listeners.add
  }
}
