// This replica's identity from `distributed.replicaId`: the async queue's consumer name in the
// Redis group and the name in the Redis CLIENT LIST. Absent or empty = undefined, and each user
// generates its own per-process name (as before the setting existed). A stable id per replica
// (a StatefulSet pod name) lets a restarted replica take back its own in-flight async jobs at
// once instead of after claimIdleMs; two live replicas must never share one.
import type { DistributedConfig } from './distributed.schema.js'

export function replicaIdOf (distributed: Partial<DistributedConfig> | undefined): string | undefined {
  const id = distributed?.replicaId
  return id === undefined || id === '' ? undefined : id
}
