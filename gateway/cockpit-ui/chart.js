// A small line chart drawn as SVG (no library): a few series over time, each told apart by
// colour AND dash pattern AND a text legend, with an aria-label summing it up for screen readers.
import { el } from './dom.js'

const NS = 'http://www.w3.org/2000/svg'
const W = 600
const H = 170
const PAD = { l: 44, r: 8, t: 8, b: 22 }

function svg (tag, attrs) {
  const e = document.createElementNS(NS, tag)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v))
  return e
}

function pathOf (t, values, x, y) {
  let d = ''
  let pen = false
  values.forEach((v, i) => {
    if (v === null || v === undefined) { pen = false; return }
    d += `${pen ? 'L' : 'M'}${x(t[i]).toFixed(1)},${y(v).toFixed(1)}`
    pen = true
  })
  return d
}

/**
 * lineChart({ title, t, series: [{ name, values, cls }], max, format, summary }) → a <figure>.
 * `cls` picks the colour and dash pattern (style.css: .s-legacy, .s-lambda, .s-error, .s-share).
 */
export function lineChart ({ title, t, series, max, format = String, summary }) {
  const all = series.flatMap(s => s.values).filter(v => v !== null && v !== undefined)
  const top = max ?? Math.max(1, ...all)
  const t0 = t[0] ?? 0
  const t1 = t.at(-1) ?? 1
  const x = (v) => PAD.l + (t1 === t0 ? 0 : (v - t0) / (t1 - t0)) * (W - PAD.l - PAD.r)
  const y = (v) => H - PAD.b - (v / top) * (H - PAD.t - PAD.b)
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': `${title}: ${summary ?? ''}` })
  for (const f of [0, 0.5, 1]) {
    root.append(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y(top * f), y2: y(top * f), class: 'grid' }))
    const label = svg('text', { x: PAD.l - 4, y: y(top * f) + 4, class: 'axis', 'text-anchor': 'end' })
    label.textContent = format(top * f)
    root.append(label)
  }
  for (const [i, anchor] of [[0, 'start'], [t.length - 1, 'end']]) {
    if (t[i] === undefined) continue
    const label = svg('text', { x: x(t[i]), y: H - 6, class: 'axis', 'text-anchor': anchor })
    label.textContent = new Date(t[i]).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    root.append(label)
  }
  for (const s of series) {
    root.append(svg('path', { d: pathOf(t, s.values, x, y), class: `line ${s.cls}`, 'data-series': s.name }))
    // A point without neighbours draws no line: mark it with a dot.
    s.values.forEach((v, i) => {
      const lone = v !== null && v !== undefined && (s.values[i - 1] ?? null) === null && (s.values[i + 1] ?? null) === null
      if (lone) root.append(svg('circle', { cx: x(t[i]), cy: y(v), r: 3, class: `dot ${s.cls}` }))
    })
  }
  const legend = el('ul', { class: 'legend' }, series.map(s => el('li', {}, el('span', { class: `swatch ${s.cls}`, 'aria-hidden': 'true' }), s.name)))
  return el('figure', { class: 'chart-box' }, el('figcaption', {}, title), root, legend)
}
