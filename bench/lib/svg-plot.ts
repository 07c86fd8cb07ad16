// Pure: a line chart as a standalone SVG string (no dependency), one line per series.
// Shaded bands mark phases (e.g. the burst) so the reader sees cause and effect together.

export interface Series {
  name: string
  points: ReadonlyArray<readonly [number, number]>
  /** Dashed line (e.g. the offered load). */
  dashed?: boolean
}

export interface Band { from: number, to: number, label: string }

export interface PlotSpec {
  title: string
  xLabel: string
  yLabel: string
  series: readonly Series[]
  bands?: readonly Band[]
  width?: number
  height?: number
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf', '#7f7f7f']

export function escapeXml (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

/** A "nice" tick step (1, 2 or 5 × 10^n) giving about `count` ticks over `span`. */
export function niceStep (span: number, count = 6): number {
  if (!(span > 0)) return 1
  const raw = span / count
  const pow = 10 ** Math.floor(Math.log10(raw))
  const m = raw / pow
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow
}

function fmt (n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1)
}

export function linePlot (spec: PlotSpec): string {
  const width = spec.width ?? 900
  const height = spec.height ?? 480
  const m = { left: 70, right: 190, top: 40, bottom: 50 }
  const pw = width - m.left - m.right
  const ph = height - m.top - m.bottom
  const all = spec.series.flatMap(s => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
  const xMax = Math.max(1, ...all.map(p => p[0]))
  const xMin = Math.min(0, ...all.map(p => p[0]))
  const yStep = niceStep(Math.max(1, ...all.map(p => p[1])))
  const yMax = Math.ceil(Math.max(1, ...all.map(p => p[1])) / yStep) * yStep
  const sx = (x: number): number => m.left + ((x - xMin) / (xMax - xMin)) * pw
  const sy = (y: number): number => m.top + ph - (y / yMax) * ph
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`)
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`)
  out.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(spec.title)}</text>`)
  for (const b of spec.bands ?? []) {
    const x0 = sx(Math.max(xMin, b.from))
    const x1 = sx(Math.min(xMax, b.to))
    out.push(`<rect x="${x0.toFixed(1)}" y="${m.top}" width="${Math.max(0, x1 - x0).toFixed(1)}" height="${ph}" fill="#f3e3c3" opacity="0.6"/>`)
    out.push(`<text x="${((x0 + x1) / 2).toFixed(1)}" y="${m.top + 14}" text-anchor="middle" fill="#8a6d3b">${escapeXml(b.label)}</text>`)
  }
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#e0e0e0"/>`)
    out.push(`<text x="${m.left - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end">${fmt(y)}</text>`)
  }
  const xStep = niceStep(xMax - xMin, 10)
  for (let x = Math.ceil(xMin / xStep) * xStep; x <= xMax + 1e-9; x += xStep) {
    out.push(`<line x1="${sx(x).toFixed(1)}" x2="${sx(x).toFixed(1)}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="#333"/>`)
    out.push(`<text x="${sx(x).toFixed(1)}" y="${m.top + ph + 18}" text-anchor="middle">${fmt(x)}</text>`)
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`)
  out.push(`<text x="${m.left + pw / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`)
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`)
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] as string
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
    const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : ''
    if (pts.length > 0) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.join(' ')}"/>`)
    const ly = m.top + 10 + i * 20
    out.push(`<line x1="${m.left + pw + 15}" x2="${m.left + pw + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`)
    out.push(`<text x="${m.left + pw + 46}" y="${ly + 4}">${escapeXml(s.name)}</text>`)
  })
  out.push('</svg>')
  return out.join('\n') + '\n'
}
