// Projects domain: the store, list/get, create with the legacy's rules, mapping.
import t from 'tap'
import { createProject } from '../../lambdas/projects/create-project.js'
import { getProject } from '../../lambdas/projects/get-project.js'
import { listProjects } from '../../lambdas/projects/list-projects.js'
import { toProjectDto } from '../../lambdas/projects/map-project.js'
import { ProjectStore } from '../../lambdas/projects/project-store.js'
import type { SeedProject } from '../../lambdas/shared/seed.js'

const seeded: SeedProject[] = [
  { Id: 2, Name: 'Two', Code: 'PRJ-0002', OwnerId: 1, Status: 'Active', StartDate: '2024-01-01', MemberIds: [2] },
  { Id: 1, Name: 'One', Code: 'PRJ-0001', OwnerId: 2, Status: 'Closed', StartDate: '2023-01-01', MemberIds: [] }
]
const fresh = (): ProjectStore => new ProjectStore(seeded, [1, 2, 3])

t.test('list is ordered by id; get finds or gives undefined; the seed is copied, not shared', async t => {
  const store = fresh()
  t.same(listProjects(store).map(p => p.Id), [1, 2])
  t.equal(getProject(store, 2)?.Name, 'Two')
  t.equal(getProject(store, 3), undefined)
  getProject(store, 2)?.MemberIds.push(99)
  t.same(seeded[0]?.MemberIds, [2])
})

t.test('create applies defaults, dedupes members and takes the next id', async t => {
  const store = fresh()
  const result = createProject(store, { name: 'New', code: 'PRJ-0003', ownerId: 3, memberIds: [1, 1, 2] }, '2026-11-28')
  t.strictSame(result, {
    ok: true,
    project: { Id: 3, Name: 'New', Code: 'PRJ-0003', OwnerId: 3, Status: 'Planned', StartDate: '2026-11-28', MemberIds: [1, 2] }
  })
  t.equal(listProjects(store).length, 3)
})

t.test('create refuses unknown owner and members, naming each', async t => {
  const result = createProject(fresh(), { name: 'New', code: 'PRJ-0003', ownerId: 9, memberIds: [1, 7, 8] }, '2026-11-28')
  t.strictSame(result, {
    ok: false,
    reason: 'unknown-users',
    fields: [
      { field: 'ownerId', message: 'User 9 does not exist' },
      { field: 'memberIds', message: 'User 7 does not exist' },
      { field: 'memberIds', message: 'User 8 does not exist' }
    ]
  })
})

t.test('create refuses a taken code case-insensitively and stores nothing', async t => {
  const store = fresh()
  t.strictSame(createProject(store, { name: 'Dup', code: 'prj-0001', ownerId: 1 }, '2026-11-28'), { ok: false, reason: 'code-taken', code: 'prj-0001' })
  t.equal(listProjects(store).length, 2)
})

t.test('toProjectDto maps to camelCase and copies the member list', async t => {
  const p = seeded[0]!
  const dto = toProjectDto(p)
  t.strictSame(dto, { id: 2, name: 'Two', code: 'PRJ-0002', ownerId: 1, status: 'Active', startDate: '2024-01-01', memberIds: [2] })
  t.not(dto.memberIds, p.MemberIds)
})
