// The projects this execution environment knows: the seed plus what it created since its cold
// start. A real deployment writes to the database instead (see lambdas/README.md); the in-memory
// map keeps the local world free of infrastructure. Pure data, no I/O.
import type { SeedProject } from '../shared/seed.js'

export class ProjectStore {
  readonly #projects = new Map<number, SeedProject>()
  readonly #userIds: ReadonlySet<number>

  constructor (projects: readonly SeedProject[], userIds: readonly number[]) {
    for (const p of projects) this.#projects.set(p.Id, structuredClone(p))
    this.#userIds = new Set(userIds)
  }

  all (): SeedProject[] { return [...this.#projects.values()].sort((a, b) => a.Id - b.Id) }
  byId (id: number): SeedProject | undefined { return this.#projects.get(id) }
  hasUser (id: number): boolean { return this.#userIds.has(id) }
  codeTaken (code: string): boolean { return this.all().some(p => p.Code.toUpperCase() === code.toUpperCase()) }

  insert (fields: Omit<SeedProject, 'Id'>): SeedProject {
    const project: SeedProject = { Id: Math.max(0, ...this.#projects.keys()) + 1, ...fields }
    this.#projects.set(project.Id, project)
    return project
  }
}
