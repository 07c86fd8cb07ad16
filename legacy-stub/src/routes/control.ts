// The `/__*` control API for tests and operators. These routes skip the capacity model and the
// counters, so stats stay readable while the API is drowning; only `down` silences them (see
// down-switch.ts: POST /__faults alone still answers then).
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { applyFaultsPatch, validateFaultsPatch } from '../faults.js'
import type { Faults } from '../faults.js'
import { snapshot } from '../state.js'
import type { StubState } from '../state.js'
import { zeroCounters } from '../stats.js'
import { loopDelayMonitor } from '../loop-delay.js'
import type { LoopDelayMonitor } from '../loop-delay.js'

const control = { config: { control: true } }

export function controlRoutes (app: FastifyInstance, state: StubState): void {
  const configured = (): Faults => ({ latencyMs: state.settings.latencyMs, errorRate: 0, down: false })

  const setFaults = (next: Faults, socket?: Socket): void => {
    if (next.down && !state.faults.down) {
      state.downSwitch.goDown(socket)
      state.capacity.dropQueue()
    } else if (!next.down && state.faults.down) {
      state.downSwitch.comeUp()
    }
    state.faults = next
  }

  const resetCounters = (): void => {
    state.counters = zeroCounters()
    state.capacity.resetCounters()
  }

  app.get('/__stats', control, async () => snapshot(state))

  // The loop delay starts with the first read (a reader like the bench polls from the start).
  let loop: LoopDelayMonitor | undefined
  app.addHook('onClose', async () => { loop?.stop() })
  app.get('/__stats/usage', control, async () => {
    loop ??= loopDelayMonitor()
    return { ...state.capacity.usage.snapshot(), loopDelay: loop.read() }
  })

  app.post('/__stats/reset', control, async () => {
    resetCounters()
    return snapshot(state)
  })

  app.get('/__faults', control, async () => state.faults)

  app.post('/__faults', control, async (request, reply) => {
    const patch = validateFaultsPatch(request.body)
    setFaults(applyFaultsPatch(state.faults, patch, state.settings.latencyMs), request.raw.socket)
    // The box is dead: this answer is the last thing said on this connection.
    if (state.faults.down) reply.header('connection', 'close')
    return state.faults
  })

  app.delete('/__faults', control, async () => {
    setFaults(configured())
    return state.faults
  })

  /** Counters, faults and data back to the start (the seed). */
  app.post('/__reset', control, async () => {
    setFaults(configured())
    state.store.reset()
    resetCounters()
    return snapshot(state)
  })
}
