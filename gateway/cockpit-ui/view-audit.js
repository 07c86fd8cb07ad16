// Audit timeline and async jobs (counts by state, dead letters with their last error, retry
// and purge behind the confirm dialog).
import { el, when } from './dom.js'
import { confirmAction, purgeDead, retryJob } from './actions.js'

function change (e) {
  const b = e.before
  const a = e.after
  if (e.action === 'route.patch' && b !== null && a !== null) {
    const parts = []
    if (b.target !== a.target) parts.push(`target ${b.target} → ${a.target}`)
    if (b.rolloutPercent !== a.rolloutPercent) parts.push(`rollout ${b.rolloutPercent}% → ${a.rolloutPercent}%`)
    if (b.shadow?.enabled !== a.shadow?.enabled) parts.push(`shadow ${b.shadow?.enabled ? 'on' : 'off'} → ${a.shadow?.enabled ? 'on' : 'off'}`)
    return parts.join(', ') || 'no change'
  }
  return JSON.stringify(a)
}

export function auditTable (entries) {
  if (entries.length === 0) return el('p', {}, 'No audit entries.')
  return el('div', { class: 'scroll' }, el('table', { class: 'audit' },
    el('thead', {}, el('tr', {}, ['When', 'Who', 'Action', 'Route / breaker', 'Change', 'Reason'].map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, entries.map(e => el('tr', {},
      el('td', {}, when(e.time)), el('td', {}, e.who), el('td', {}, e.action), el('td', {}, e.routeId ?? '-'),
      el('td', {}, change(e)), el('td', { class: 'reason' }, e.reason ?? '-'))))))
}

export function auditView (entries) {
  return [el('h2', {}, 'Audit timeline'), el('p', {}, 'Newest first: every change with who, when, why, before and after.'), auditTable(entries)]
}

export function jobsView (jobs, done) {
  if (jobs === null) return [el('h2', {}, 'Async jobs'), el('p', {}, 'No async route is configured on this gateway.')]
  const counts = Object.entries(jobs.counts).map(([state, n]) => el('li', {}, `${state}: ${n}`))
  const dead = jobs.dead.map(j => el('tr', {},
    el('td', {}, j.id), el('td', {}, j.route ?? '-'), el('td', {}, String(j.attempts ?? '-')), el('td', { class: 'reason' }, j.lastError ?? '-'), el('td', {}, when(j.updatedAt ?? j.createdAt)),
    el('td', {}, el('button', { type: 'button', onclick: () => confirmAction({ title: `Retry job ${j.id}`, change: `job ${j.id}: dead → queued`, run: retryJob(j.id), done }) }, 'Retry'))))
  return [
    el('h2', {}, 'Async jobs'),
    el('ul', { class: 'counts', 'aria-label': 'Jobs by state' }, counts),
    el('h3', {}, 'Dead letters'),
    dead.length === 0
      ? el('p', {}, 'No dead letters.')
      : el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, ['Job', 'Route', 'Attempts', 'Last error', 'Updated', ''].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, dead))),
    el('button', { type: 'button', disabled: dead.length === 0, onclick: () => confirmAction({ title: 'Purge dead letters', change: `delete ${jobs.counts.dead ?? dead.length} dead jobs`, run: purgeDead(), done }) }, 'Purge dead letters')
  ]
}
