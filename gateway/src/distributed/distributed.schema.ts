// TypeBox fragment for distributed mode (only used with REDIS_URL). The config module adds it
// as `distributed: DistributedSchema` to the one config schema; docs/distributed.md explains it.
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const DistributedSchema = Type.Object({
  expectedReplicas: Type.Integer({ minimum: 1, default: 1, description: 'replicas sharing Redis; while Redis is down each serves limits / this' }),
  redisTimeoutMs: Type.Integer({ minimum: 1, maximum: 5000, default: 50, description: 'ms budget of one Redis command before the request falls back locally' }),
  leaseTtlMs: Type.Integer({ minimum: 100, default: 5000, description: 'ms a legacy permit of a dead replica survives (renewed every ttl/3 while held)' }),
  keyPrefix: Type.String({ pattern: '^[A-Za-z0-9:_.-]{1,64}$', default: 'gw:', description: 'prefix of every Redis key and channel (one per gateway deployment)' }),
  // Optional and without a default: absent or '' (an unset `${POD_NAME:-}`) = generated per process.
  replicaId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{0,64}$', description: 'stable id of this replica (e.g. the StatefulSet pod name): async queue consumer name, so a restarted replica takes its interrupted jobs back at once; unique per live replica; empty = generated per process' }))
}, { additionalProperties: false, default: {}, description: 'Distributed mode: shared limits, permits and route state through REDIS_URL' })

export type DistributedConfig = Static<typeof DistributedSchema>
