// DOM helpers: every text goes in as a text node (never innerHTML), so reasons, diff values,
// paths and error texts from users or upstreams are shown as text, never run as markup.

/** el('td', { class: 'num' }, 'text', childNode, ...): attributes set with setAttribute, listeners with on<event>. */
export function el (tag, attrs = {}, ...children) {
  const e = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v)
    else e.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue
    e.append(c instanceof Node ? c : document.createTextNode(String(c)))
  }
  return e
}

export const $ = (id) => document.getElementById(id)

export function pct (x) { return x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%` }
export function ms (x) { return x === null || x === undefined ? '-' : `${Math.round(x)} ms` }
export function rate (x) { return x === null || x === undefined ? '-' : x.toFixed(2) }
export function when (iso) { return iso === null || iso === undefined ? 'never' : new Date(iso).toLocaleString() }

/** A JSON value for display (diff values): always a string, shown as text. */
export function show (v) { return v === undefined ? '(absent)' : JSON.stringify(v) }
