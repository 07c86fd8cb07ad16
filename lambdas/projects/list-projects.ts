// All projects, ordered by id. Pure.
import type { SeedProject } from '../shared/seed.js'
import type { ProjectStore } from './project-store.js'

export function listProjects (store: ProjectStore): SeedProject[] {
  return store.all()
}
