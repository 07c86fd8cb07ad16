// Actions (flip, rollout step, shadow, breakers, dead letters): each opens the confirm dialog,
// which shows what will change and asks a reason, then calls the same admin API as gatewayctl.
// Route changes send If-Match with the version the page showed, so a route changed since is
// refused (412) with a clear message instead of overwritten.
import { $ } from './dom.js'
import { api } from './api.js'

let pending = null

export function explain (err) {
  if (err.status === 412) return 'Refused: this route was changed by someone else since this page loaded it. Nothing was changed. The page now shows the current state; check it and try again.'
  if (err.status === 401) return 'Your session expired: log in again.'
  if (err.status === 403) return `Refused: ${err.message}`
  return `Failed: ${err.message}`
}

/**
 * confirmAction({ title, change, run, done }): `run(reason)` performs the call; on success
 * `done(null)` (the page refreshes), on failure `done(err)` and the message stays in the dialog;
 * a cancel calls `done('cancel')`.
 */
export function confirmAction ({ title, change, run, done }) {
  pending = { run, done }
  $('confirm-title').textContent = title
  $('confirm-change').textContent = `Will change: ${change}`
  $('confirm-reason').value = ''
  $('confirm-error').textContent = ''
  $('confirm-ok').disabled = false
  $('confirm').showModal()
  $('confirm-reason').focus()
}

export function wireDialog () {
  // Cancel (button or Esc): redraw at once, so after a refusal the current state is what shows.
  const cancel = () => {
    const p = pending
    pending = null
    if ($('confirm').open) $('confirm').close()
    p?.done?.('cancel')
  }
  $('confirm-cancel').addEventListener('click', cancel)
  $('confirm').addEventListener('cancel', cancel)
  $('confirm-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (pending === null) return
    const reason = $('confirm-reason').value.trim()
    if (reason === '') { $('confirm-error').textContent = 'A reason is required.'; return }
    $('confirm-ok').disabled = true
    const { run, done } = pending
    try {
      await run(reason)
      $('confirm').close()
      pending = null
      done?.(null)
    } catch (err) {
      $('confirm-error').textContent = explain(err)
      $('confirm-ok').disabled = false
      done?.(err)
    }
  })
}

const routePath = (id) => `/admin/routes/${encodeURIComponent(id)}`

/** PATCH a route with If-Match: the version the page showed. */
export function patchRoute (route, patch) {
  return (reason) => api('PATCH', routePath(route.id), { ...patch, reason }, { 'if-match': route.version })
}

export function breakerAction (id, action) {
  return (reason) => api('POST', `/admin/breakers/${encodeURIComponent(id)}/${action}`, { reason })
}

export function retryJob (id) {
  return (reason) => api('POST', `/admin/jobs/${encodeURIComponent(id)}/retry`, { reason })
}

export function purgeDead () {
  return (reason) => api('POST', '/admin/jobs/purge-dead', { reason })
}

export function describePatch (route, patch) {
  const parts = []
  if (patch.target !== undefined) parts.push(`target ${route.target} → ${patch.target}`)
  if (patch.rolloutPercent !== undefined) parts.push(`rollout ${route.rolloutPercent}% → ${patch.rolloutPercent}%`)
  if (patch.shadow !== undefined) parts.push(`shadow ${route.shadow.enabled ? 'on' : 'off'} → ${patch.shadow.enabled ? 'on' : 'off'}`)
  return `${route.id}: ${parts.join(', ')}`
}
