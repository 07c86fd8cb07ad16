// Overview: the strangler's progress in one picture — routes on Lambda out of all, and per
// bounded context the share of requests the Lambdas answered over the last hour.
import { el, pct } from './dom.js'
import { lineChart } from './chart.js'

export function overviewView (data) {
  const { overview, routes } = data
  const onLambda = overview.routes.onLambda
  const total = overview.routes.total
  const hour = overview.contexts.reduce((a, c) => ({ requests: a.requests + c.hour.requests, lambda: a.lambda + c.hour.lambda }), { requests: 0, lambda: 0 })
  const progress = el('section', { class: 'cards', 'aria-label': 'Progress' },
    el('div', { class: 'card' }, el('h3', {}, 'Routes on Lambda'),
      el('p', { class: 'big', id: 'routes-on-lambda' }, `${onLambda} / ${total}`),
      el('progress', { max: total, value: onLambda, 'aria-label': 'routes on Lambda' })),
    el('div', { class: 'card' }, el('h3', {}, 'Answered by Lambda, last hour'),
      el('p', { class: 'big', id: 'lambda-share' }, hour.requests === 0 ? 'no traffic' : pct(hour.lambda / hour.requests)),
      el('p', {}, `${hour.lambda} of ${hour.requests} requests`)))
  const charts = overview.contexts.map(c => {
    const ids = c.routes.map(id => {
      const r = routes.find(x => x.id === id)
      return r === undefined ? id : `${id} (${r.target})`
    })
    const summary = c.hour.requests === 0 ? 'no traffic in the last hour' : `${pct(c.hour.lambda / c.hour.requests)} of ${c.hour.requests} requests in the last hour`
    return el('div', { class: 'context', 'data-context': c.name },
      lineChart({
        title: `Context ${c.name}: share answered by Lambda`,
        t: c.t,
        max: 1,
        format: (v) => `${Math.round(v * 100)}%`,
        series: [{ name: 'Lambda share', values: c.lambdaShare, cls: 's-share' }],
        summary
      }),
      el('p', {}, `Answered by Lambda: ${summary}`),
      el('p', { class: 'muted' }, `Routes: ${ids.join(', ')}`))
  })
  return [el('h2', {}, 'Overview'), progress, el('section', { class: 'contexts', 'aria-label': 'Bounded contexts' }, charts)]
}
