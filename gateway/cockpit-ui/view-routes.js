// Routes table: target, rollout, shadow, guard, per side req/s · error % · p95 (last minute),
// breakers and last hit; sortable (column buttons) and filterable. A runtime override is
// marked with "*" and the words "(runtime)", so colour is never the only carrier.
import { el, ms, pct, rate, when } from './dom.js'

const state = { sort: 'id', dir: 1, filter: '' }

const mark = (route, field) => route.sources[field] === 'runtime' ? ' * (runtime)' : ''

/** The guard's state in words: off, watching (no verdict yet), ok, or the breached metric. */
export function guardText (meta) {
  const g = meta?.guard
  if (g === null || g === undefined || g.enabled !== true) return 'off'
  const v = g.lastVerdict?.verdict
  if (v === undefined) return 'watching'
  if (v.breach !== undefined) return `breach: ${v.breach.metric} (lambda ${v.breach.lambda}, legacy ${v.breach.legacy}, threshold ${v.breach.threshold})`
  return v.reason === 'insufficient-samples' ? 'ok (too few samples)' : 'ok'
}

function row (r, fig, meta) {
  const side = (s) => fig === undefined ? ['-', '-', '-'] : [rate(fig[s].rps), pct(fig[s].errorRate), ms(fig[s].p95Ms)]
  const breakers = [`legacy: ${r.breakers.legacy ?? '-'}`, r.breakers.lambda === null ? null : `lambda: ${r.breakers.lambda}`].filter(Boolean).join(', ')
  return el('tr', { 'data-route': r.id },
    el('th', { scope: 'row' }, el('a', { href: `#/route/${encodeURIComponent(r.id)}` }, r.id), el('div', { class: 'muted' }, `${r.methods.join(',')} ${r.path}`)),
    el('td', { 'data-col': 'target' }, el('span', { class: `badge t-${r.target}` }, r.target), mark(r, 'target')),
    el('td', { class: 'num' }, `${r.rolloutPercent}%`, mark(r, 'rolloutPercent')),
    el('td', {}, r.shadow.enabled ? 'on' : 'off', mark(r, 'shadow.enabled')),
    el('td', {}, guardText(meta)),
    ...side('legacy').map(v => el('td', { class: 'num' }, v)),
    ...side('lambda').map(v => el('td', { class: 'num' }, v)),
    el('td', {}, breakers),
    el('td', {}, when(r.lastHit)))
}

const COLUMNS = [['id', 'Route'], ['target', 'Target'], ['rolloutPercent', 'Rollout'], ['shadow', 'Shadow'], ['guard', 'Guard'],
  ['lrps', 'Legacy req/s'], ['lerr', 'Legacy err'], ['lp95', 'Legacy p95'], ['mrps', 'Lambda req/s'], ['merr', 'Lambda err'], ['mp95', 'Lambda p95'],
  ['breakers', 'Breakers'], ['lastHit', 'Last hit']]

function sortKey (r, fig) {
  const f = fig ?? { legacy: {}, lambda: {} }
  return {
    id: r.id,
    target: r.target,
    rolloutPercent: r.rolloutPercent,
    shadow: String(r.shadow.enabled),
    guard: '',
    breakers: '',
    lastHit: r.lastHit ?? '',
    lrps: f.legacy.rps ?? 0,
    lerr: f.legacy.errorRate ?? 0,
    lp95: f.legacy.p95Ms ?? 0,
    mrps: f.lambda.rps ?? 0,
    merr: f.lambda.errorRate ?? 0,
    mp95: f.lambda.p95Ms ?? 0
  }[state.sort]
}

export function routesView (data, rerender) {
  const { routes, overview } = data
  const needle = state.filter.toLowerCase()
  const shown = routes
    .filter(r => needle === '' || `${r.id} ${r.path} ${r.target} ${overview.meta[r.id]?.context ?? ''}`.toLowerCase().includes(needle))
    .sort((a, b) => {
      const ka = sortKey(a, overview.figures[a.id])
      const kb = sortKey(b, overview.figures[b.id])
      return (ka < kb ? -1 : ka > kb ? 1 : 0) * state.dir
    })
  const head = el('tr', {}, COLUMNS.map(([key, label]) => el('th', { scope: 'col', 'aria-sort': state.sort === key ? (state.dir === 1 ? 'ascending' : 'descending') : 'none' },
    el('button', {
      type: 'button',
      class: 'sort',
      onclick: () => { state.dir = state.sort === key ? -state.dir : 1; state.sort = key; rerender() }
    }, label, state.sort === key ? (state.dir === 1 ? ' ▲' : ' ▼') : ''))))
  const filter = el('input', { id: 'route-filter', type: 'search', value: state.filter, placeholder: 'id, path, target, context' })
  filter.addEventListener('input', () => { state.filter = filter.value; rerender(); document.getElementById('route-filter')?.focus() })
  return [
    el('h2', {}, 'Routes'),
    el('p', {}, el('label', { for: 'route-filter' }, 'Filter routes '), filter, ` ${shown.length} of ${routes.length} shown; * = runtime override; per side figures over the last minute.`),
    el('div', { class: 'scroll' }, el('table', { id: 'routes-table' }, el('thead', {}, head), el('tbody', {}, shown.map(r => row(r, overview.figures[r.id], overview.meta[r.id])))))
  ]
}
