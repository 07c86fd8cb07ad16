// A job as a Redis hash: the fields written at enqueue, and the mapping of an HGETALL (read as
// Buffers, because the request body is binary) back to a Job. A null field is an absent one.
import type { Job, JobResult, JobState, NewJob } from './job-queue.port.js'

/** HSET arguments (name, value, …) of a fresh job. */
export function newJobFields (id: string, job: NewJob, now: number): Array<string | Buffer> {
  const fields: Array<string | Buffer> = [
    'id', id,
    'routeId', job.routeId,
    'state', 'queued',
    'method', job.method,
    'target', job.target,
    'headers', JSON.stringify(job.headers),
    'body', job.body,
    'fingerprint', job.fingerprint,
    'deliveryKey', job.clientKey ?? id,
    'attempts', '0',
    'maxAttempts', String(job.maxAttempts),
    'baseMs', String(job.backoff.baseMs),
    'maxMs', String(job.backoff.maxMs),
    'deadlineAt', String(job.deadlineAt),
    'nextAttemptAt', String(now),
    'createdAt', String(now),
    'updatedAt', String(now)
  ]
  if (job.idempotencyScope !== undefined) fields.push('idemScope', job.idempotencyScope)
  return fields
}

/** A flat HGETALL reply ([name, value, …], Buffers) as a map; undefined for a missing key. */
export function pairsToMap (pairs: Buffer[] | Record<string, Buffer>): Map<string, Buffer> | undefined {
  const map = new Map<string, Buffer>()
  if (Array.isArray(pairs)) {
    for (let i = 0; i + 1 < pairs.length; i += 2) map.set(pairs[i]!.toString(), pairs[i + 1]!)
  } else {
    for (const [k, v] of Object.entries(pairs)) map.set(k, v)
  }
  return map.size === 0 ? undefined : map
}

export function mapToJob (m: Map<string, Buffer>): Job {
  const str = (name: string): string => m.get(name)?.toString() ?? ''
  const num = (name: string): number => Number(str(name))
  const opt = (name: string): string | null => m.has(name) ? str(name) : null
  const result = opt('result')
  return {
    id: str('id'),
    routeId: str('routeId'),
    state: str('state') as JobState,
    method: str('method'),
    target: str('target'),
    headers: JSON.parse(str('headers')) as Job['headers'],
    body: m.get('body') ?? Buffer.alloc(0),
    fingerprint: str('fingerprint'),
    deliveryKey: str('deliveryKey'),
    attempts: num('attempts'),
    maxAttempts: num('maxAttempts'),
    backoff: { baseMs: num('baseMs'), maxMs: num('maxMs') },
    deadlineAt: num('deadlineAt'),
    nextAttemptAt: num('nextAttemptAt'),
    createdAt: num('createdAt'),
    updatedAt: num('updatedAt'),
    finishedAt: m.has('finishedAt') ? num('finishedAt') : null,
    lastError: opt('lastError'),
    result: result === null ? null : JSON.parse(result) as JobResult
  }
}

/** The stream entry a job currently has (queued in the stream, or claimed), if any. */
export function entryOf (m: Map<string, Buffer>): string | undefined {
  return m.get('entry')?.toString()
}
