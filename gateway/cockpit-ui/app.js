// The cockpit page: login, hash router (#/overview, #/routes, #/route/<id>, #/audit, #/jobs)
// and a 5 s poll of the admin API. Everything is rendered with el() (text nodes only).
import { $, el } from './dom.js'
import { ApiError, api, get, setCsrf } from './api.js'
import { explain, wireDialog } from './actions.js'
import { overviewView } from './view-overview.js'
import { routesView } from './view-routes.js'
import { detailView } from './view-detail.js'
import { auditView, jobsView } from './view-audit.js'

export const REFRESH_MS = 5000
let timer = null
let busy = false

function showLogin (message = '') {
  setCsrf(null)
  clearTimeout(timer)
  $('login').hidden = false
  $('nav').hidden = true
  $('main').hidden = true
  $('logout').hidden = true
  $('who').textContent = ''
  $('login-error').textContent = message
  $('token').focus()
}

function showApp (session) {
  setCsrf(session.csrf)
  $('login').hidden = true
  $('nav').hidden = false
  $('main').hidden = false
  $('logout').hidden = false
  $('who').textContent = `logged in as ${session.who}`
  render()
}

async function optional (path) {
  try { return await get(path) } catch (err) { if (err instanceof ApiError && err.status === 404) return null; throw err }
}

async function load (hash) {
  const [, view, id] = hash.split('/')
  if (view === 'audit') return auditView((await get('/admin/audit?limit=200')).entries)
  if (view === 'jobs') {
    const all = await optional('/admin/jobs?limit=50')
    const dead = all === null ? null : await get('/admin/jobs?state=dead&limit=50')
    return jobsView(all === null ? null : { counts: all.counts, dead: dead.jobs }, refreshNow)
  }
  if (view === 'route' && id !== undefined) {
    const rid = decodeURIComponent(id)
    const path = `/admin/routes/${encodeURIComponent(rid)}`
    const [route, series, diffs, guard, audit, overview] = await Promise.all([
      api('GET', path), get(`/admin/cockpit/routes/${encodeURIComponent(rid)}/series`), optional(`${path}/diffs`),
      optional(`${path}/guard`), get('/admin/audit?limit=200'), get('/admin/cockpit/overview')])
    return detailView({ route: { ...route.json.route, version: route.etag }, series, diffs, guard: guard?.guard ?? null, audit: audit.entries, meta: overview.meta[rid], refresh: refreshNow })
  }
  const [routes, overview] = await Promise.all([get('/admin/routes'), get('/admin/cockpit/overview')])
  const data = { routes: routes.routes, overview }
  if (view === 'routes') {
    const redraw = () => { $('main').replaceChildren(...routesView(data, redraw)) }
    return routesView(data, redraw)
  }
  return overviewView(data)
}

/** Re-reads and redraws the current view; a dialog being filled in is never redrawn under it. */
async function render () {
  clearTimeout(timer)
  if ($('confirm').open || busy) { timer = setTimeout(render, REFRESH_MS); return }
  busy = true
  const hash = location.hash === '' ? '#/overview' : location.hash
  for (const a of document.querySelectorAll('nav a')) a.setAttribute('aria-current', hash.startsWith(a.getAttribute('href')) ? 'page' : 'false')
  try {
    const nodes = await load(hash)
    const focusId = document.activeElement?.id
    $('main').replaceChildren(...nodes)
    if (focusId) document.getElementById(focusId)?.focus()
    $('status').textContent = `Updated ${new Date().toLocaleTimeString()}`
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { busy = false; return showLogin('Your session expired: log in again.') }
    $('status').textContent = explain(err)
  }
  busy = false
  timer = setTimeout(render, REFRESH_MS)
}

function refreshNow (outcome) {
  if (outcome === 'cancel') return render()
  if (outcome !== null && outcome !== undefined) return
  $('status').textContent = 'Change applied.'
  render()
}

async function login (ev) {
  ev.preventDefault()
  $('login-error').textContent = ''
  try {
    const { json } = await api('POST', '/ui/login', { token: $('token').value })
    $('token').value = ''
    showApp(json)
  } catch (err) {
    $('login-error').textContent = err instanceof ApiError && err.status === 401 ? `Login refused: ${err.message}` : explain(err)
  }
}

async function start () {
  wireDialog()
  $('login-form').addEventListener('submit', login)
  $('logout').addEventListener('click', async () => { await api('POST', '/ui/logout').catch(() => {}); showLogin('Logged out.') })
  window.addEventListener('hashchange', () => { $('main').replaceChildren(el('p', {}, 'Loading…')); render() })
  try {
    showApp((await api('GET', '/ui/session')).json)
  } catch {
    showLogin()
  }
}

start()
