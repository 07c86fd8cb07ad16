// The admin's reads of the Redis job queue: a newest-first list (of one state or all) and the
// count per state, from the index sorted sets, with the job hashes fetched in one pipeline.
import type { Redis } from 'ioredis'
import type { Job, JobState, ListQuery } from './job-queue.port.js'
import { JOB_STATES } from './job-queue.port.js'
import { mapToJob, pairsToMap } from './redis-job-fields.js'

export async function listJobs (client: Redis, prefix: string, query: ListQuery): Promise<Job[]> {
  const limit = Math.max(1, Math.min(1000, query.limit ?? 50))
  const index = query.state === undefined ? `${prefix}all` : `${prefix}state:${query.state}`
  const ids = await client.zrevrange(index, 0, limit - 1)
  if (ids.length === 0) return []
  const pipe = client.pipeline()
  for (const id of ids) pipe.hgetallBuffer(`${prefix}job:${id}`)
  const replies = await pipe.exec() ?? []
  const jobs: Job[] = []
  for (const [err, pairs] of replies) {
    if (err) throw err
    const map = pairsToMap(pairs as Record<string, Buffer>)
    if (map !== undefined) jobs.push(mapToJob(map))
  }
  // Newest first, ties by id (as the SQLite queue lists them).
  return jobs.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export async function countJobs (client: Redis, prefix: string): Promise<Record<JobState, number>> {
  const pipe = client.pipeline()
  for (const s of JOB_STATES) pipe.zcard(`${prefix}state:${s}`)
  const replies = await pipe.exec() ?? []
  const out = {} as Record<JobState, number>
  JOB_STATES.forEach((s, i) => {
    const [err, n] = replies[i] ?? [new Error('no reply'), 0]
    if (err) throw err
    out[s] = n as number
  })
  return out
}
