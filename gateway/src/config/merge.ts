// Stage overlay merge: objects merge key by key, everything else (arrays included) replaces,
// and `null` in the overlay removes the key so its default applies again.
function isPlainObject (v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

export function mergeOverlay (base: unknown, overlay: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay === undefined ? base : overlay
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key]
    else out[key] = key in out ? mergeOverlay(out[key], value) : value
  }
  return out
}
