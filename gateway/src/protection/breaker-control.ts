// Adapter from our BreakerRegistry to the admin API's BreakerControl port
// (gateway/src/ops/admin-routes-view.ts), which serves the audited `GET /admin/breakers` and
// `POST /admin/breakers/:id/open|close`. Structural types: protection does not import ops.
import type { BreakerInfo, BreakerRegistry } from './breaker-registry.js'

export interface BreakerControlInfo extends BreakerInfo {
  /** = name: `legacy`, `lambda:<function>`, `<upstream>:route:<id>`. */
  id: string
}

export interface BreakerControlPort {
  list: () => BreakerControlInfo[]
  /** Forces open until closed; false for an unknown id. */
  open: (id: string) => boolean
  /** Clears a forced open and closes (fresh window); false for an unknown id. */
  close: (id: string) => boolean
}

export function breakerControlFrom (registry: BreakerRegistry): BreakerControlPort {
  return {
    list: () => registry.list().map(info => ({ id: info.name, ...info })),
    open: (id) => {
      if (!registry.has(id)) return false
      registry.forceOpen(id)
      return true
    },
    close: (id) => {
      if (!registry.has(id)) return false
      registry.forceClose(id)
      return true
    }
  }
}
