// Route detail: the 60-minute series per side, actions, shadow counts and last diffs, the
// guard's figures and last decision, the Lambda's cold starts and this route's audit entries.
import { el, ms, show, when } from './dom.js'
import { lineChart } from './chart.js'
import { guardText } from './view-routes.js'
import { breakerAction, confirmAction, describePatch, patchRoute } from './actions.js'
import { auditTable } from './view-audit.js'

const DEFAULT_STEPS = [0, 1, 5, 10, 25, 50, 100]

function actionButtons (route, meta, done) {
  const act = (label, patch) => el('button', {
    type: 'button',
    onclick: () => confirmAction({ title: label, change: describePatch(route, patch), run: patchRoute(route, patch), done })
  }, label)
  const buttons = []
  const other = route.target === 'lambda' ? 'legacy' : 'lambda'
  if (other === 'legacy' || route.lambdaFunction !== null) buttons.push(act(`Flip to ${other}`, { target: other }))
  if (route.lambdaFunction !== null) buttons.push(act(`Shadow ${route.shadow.enabled ? 'off' : 'on'}`, { shadow: { enabled: !route.shadow.enabled } }))
  const steps = meta?.steps ?? DEFAULT_STEPS
  const select = el('select', { id: 'rollout-step' }, steps.map(s => el('option', { value: s, selected: s === route.rolloutPercent }, `${s}%`)))
  const rollout = el('span', { class: 'inline' }, el('label', { for: 'rollout-step' }, 'Rollout step '), select,
    el('button', {
      type: 'button',
      id: 'rollout-apply',
      onclick: () => {
        const patch = { rolloutPercent: Number(select.value) }
        confirmAction({ title: 'Set rollout step', change: describePatch(route, patch), run: patchRoute(route, patch), done })
      }
    }, 'Set rollout'))
  const breakers = Object.entries(route.breakers).filter(([, s]) => s !== null).map(([side, state]) => {
    const id = side === 'legacy' ? 'legacy' : `lambda:${route.lambdaFunction}`
    const action = state === 'open' ? 'close' : 'open'
    return el('button', {
      type: 'button',
      onclick: () => confirmAction({ title: `Force breaker ${id} ${action}`, change: `breaker ${id}: ${state} → ${action === 'open' ? 'open' : 'closed'}`, run: breakerAction(id, action), done })
    }, `Force ${id} ${action === 'open' ? 'open' : 'closed'}`)
  })
  return el('section', { class: 'actions', 'aria-label': 'Actions' }, el('h3', {}, 'Actions'), ...buttons, rollout, ...breakers)
}

function seriesCharts (s) {
  const sum = (a) => a.reduce((x, y) => x + y, 0)
  return [
    lineChart({
      title: 'Requests per 10 s',
      t: s.t,
      series: [{ name: 'legacy', values: s.legacy.requests, cls: 's-legacy' }, { name: 'lambda', values: s.lambda.requests, cls: 's-lambda' }],
      summary: `legacy ${sum(s.legacy.requests)}, lambda ${sum(s.lambda.requests)} requests in 60 minutes`
    }),
    lineChart({
      title: 'Errors (5xx) per 10 s',
      t: s.t,
      series: [{ name: 'legacy', values: s.legacy.errors, cls: 's-legacy' }, { name: 'lambda', values: s.lambda.errors, cls: 's-lambda' }],
      summary: `legacy ${sum(s.legacy.errors)}, lambda ${sum(s.lambda.errors)} errors in 60 minutes`
    }),
    lineChart({
      title: 'p95 latency (ms)',
      t: s.t,
      format: (v) => `${Math.round(v)}`,
      series: [{ name: 'legacy', values: s.legacy.p95Ms, cls: 's-legacy' }, { name: 'lambda', values: s.lambda.p95Ms, cls: 's-lambda' }],
      summary: 'per 10 s bucket'
    })
  ]
}

function diffsSection (diffs) {
  if (diffs === null) return el('p', {}, 'No shadow data.')
  const c = diffs.counts
  const rows = diffs.mismatches.slice(0, 10).flatMap(m => m.diffs.map(d => el('tr', {},
    el('td', {}, when(m.at)), el('td', {}, `${m.method} ${m.url}`), el('td', {}, d.path),
    el('td', {}, d.absent === 'legacy' ? '(absent)' : show(d.legacy)), el('td', {}, d.absent === 'lambda' ? '(absent)' : show(d.lambda)))))
  return el('section', { id: 'shadow' }, el('h3', {}, `Shadow (${diffs.shadow.enabled ? 'on' : 'off'})`),
    el('p', { id: 'shadow-counts' }, `match ${c.match}, mismatch ${c.mismatch}, error ${c.error}, shed ${c.shed}`),
    rows.length === 0
      ? el('p', {}, 'No mismatches recorded.')
      : el('div', { class: 'scroll' }, el('table', { id: 'diffs-table' }, el('caption', {}, 'Last mismatches'),
        el('thead', {}, el('tr', {}, ['When', 'Request', 'JSON path', 'Legacy value', 'Lambda value'].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows))))
}

function guardSection (guard) {
  if (guard === null || guard.enabled !== true) return el('section', {}, el('h3', {}, 'Guard'), el('p', {}, 'No guard on this route.'))
  const plan = guard.plan === null ? 'no step plan' : `steps ${guard.plan.steps.join(', ')}%, next step ${guard.plan.nextStepAt === null ? '-' : when(guard.plan.nextStepAt)}`
  return el('section', { id: 'guard' }, el('h3', {}, 'Guard'),
    el('p', {}, `Last decision: ${guardText({ guard })}${guard.lastVerdict === null ? '' : ` at ${when(guard.lastVerdict.at)}`}`),
    el('p', {}, `Samples in window (${guard.window}, min ${guard.minSamples}): legacy ${guard.samples.legacy}, lambda ${guard.samples.lambda}, comparisons ${guard.samples.comparisons}; rollbacks ${guard.rollbacks}; ${plan}`))
}

export function detailView (d) {
  const r = d.route
  const lambda = d.series.lambda
  return [
    el('h2', {}, `Route ${r.id}`),
    el('p', {}, `${r.methods.join(',')} ${r.path} → `, el('strong', { id: 'detail-target' }, r.target),
      `, rollout ${r.rolloutPercent}%, shadow ${r.shadow.enabled ? 'on' : 'off'}; version ${r.version}. `,
      lambda === null ? 'No Lambda configured.' : `Lambda ${lambda.function}: ${lambda.coldStarts} cold starts, mean init ${ms(lambda.initMsAvg)}.`),
    actionButtons(r, d.meta, d.refresh),
    el('section', { class: 'charts', 'aria-label': 'Last 60 minutes' }, seriesCharts(d.series.series)),
    diffsSection(d.diffs),
    guardSection(d.guard),
    el('section', {}, el('h3', {}, 'Audit of this route'), auditTable(d.audit.filter(e => e.routeId === r.id)))
  ]
}
