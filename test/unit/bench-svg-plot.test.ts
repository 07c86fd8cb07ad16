import t from 'tap'
import { escapeXml, linePlot, niceStep } from '../../bench/lib/svg-plot.js'

t.test('linePlot produces one well-formed SVG document with a line per series', async t => {
  const svg = linePlot({
    title: 'Goodput <burst> & recovery',
    xLabel: 'seconds',
    yLabel: 'req/s',
    bands: [{ from: 10, to: 25, label: '10x burst' }],
    series: [
      { name: 'offered', dashed: true, points: [[0, 100], [10, 1000], [25, 100]] },
      { name: 'gateway', points: [[0, 100], [10, 390], [25, 100]] },
      { name: 'direct', points: [[0, 100], [10, 50], [25, Number.NaN]] }
    ]
  })
  t.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
  t.match(svg, /<\/svg>\n$/)
  t.equal(svg.match(/<polyline /g)?.length, 3)
  t.match(svg, /Goodput &lt;burst&gt; &amp; recovery/, 'text is escaped')
  t.notMatch(svg, /NaN|undefined|Infinity/, 'no invalid numbers reach the markup')
  // Every opened element is closed: tags balance.
  const opened = (svg.match(/<(svg|text)\b/g) ?? []).length
  const closed = (svg.match(/<\/(svg|text)>/g) ?? []).length
  t.equal(opened, closed)
})

t.test('an empty plot is still valid', async t => {
  const svg = linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [] })
  t.match(svg, /<\/svg>\n$/)
  t.notMatch(svg, /NaN/)
})

t.test('niceStep and escapeXml', async t => {
  t.equal(niceStep(1000, 5), 200)
  t.equal(niceStep(55, 10), 10, 'rounds the step up, so there are never more ticks than asked')
  t.equal(niceStep(0), 1)
  t.equal(escapeXml('a"b\'c'), 'a&quot;b&apos;c')
})
