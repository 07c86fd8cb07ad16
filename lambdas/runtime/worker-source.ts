// The code of one execution environment, run in a worker thread with `eval: true` so the same
// string works from the TypeScript sources (tests) and the compiled dist (npm start, image).
// Protocol: the parent posts { type: 'invoke', requestId, event, timeoutMs, traceHeader, context }
// (traceHeader: what AWS sends as Lambda-Runtime-Trace-Id, set as _X_AMZN_TRACE_ID); the worker
// answers { type: 'started', requestId } once init is over and the handler starts, then
// { type: 'done', requestId, ok, result | error, logs, maxMemoryMb }.
// The handler module is imported on the first invocation: with the worker's boot, that is the
// cold start's Init Duration (the parent measures it, from spawn to 'started').
export const WORKER_SOURCE = String.raw`
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const { pathToFileURL } = require('node:url')
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const { format } = require('node:util')

let handler
let initError
let initialised = false
let current = null
let logs = []

function capture (level) {
  return (...args) => {
    const line = new Date().toISOString() + '\t' + (current || 'undefined') + '\t' + level + '\t' + format(...args)
    logs.push(line)
  }
}
console.log = capture('INFO')
console.info = capture('INFO')
console.warn = capture('WARN')
console.error = capture('ERROR')
console.debug = capture('DEBUG')
console.trace = capture('TRACE')

function errorPayload (err) {
  if (err instanceof Error) {
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: String(err.stack || '').split('\n') }
  }
  return { errorType: 'Error', errorMessage: typeof err === 'string' ? err : JSON.stringify(err), trace: [] }
}

async function init () {
  const base = join(workerData.codeDir, workerData.handlerFile)
  const file = ['.mjs', '.js', '.cjs'].map(ext => base + ext).find(f => existsSync(f))
  try {
    if (!file) {
      const e = new Error("Cannot find module '" + workerData.handlerFile + "'")
      e.name = 'Runtime.ImportModuleError'
      throw e
    }
    const mod = await import(pathToFileURL(file).href)
    const fn = mod[workerData.handlerExport] ?? mod.default?.[workerData.handlerExport]
    if (typeof fn !== 'function') {
      const e = new Error(workerData.handlerFile + '.' + workerData.handlerExport + ' is undefined or not exported')
      e.name = 'Runtime.HandlerNotFound'
      throw e
    }
    handler = fn
  } catch (err) {
    initError = err
    if (err instanceof Error && !String(err.name).startsWith('Runtime.')) err.name = 'Runtime.ImportModuleError'
  }
}

function call (event, context) {
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const out = handler(event, context, (err, result) => (err ? reject(err) : resolve(result)))
      if (out && typeof out.then === 'function') out.then(resolve, reject)
    })
  }
  return Promise.resolve().then(() => handler(event, context))
}

parentPort.on('message', async (msg) => {
  if (msg.type !== 'invoke') return
  current = msg.requestId
  logs = []
  if (!initialised) {
    initialised = true
    await init()
  }
  // As the Node runtime does per invocation with Lambda-Runtime-Trace-Id (after init: init code
  // sees no invocation's trace).
  if (msg.traceHeader) process.env._X_AMZN_TRACE_ID = msg.traceHeader
  else delete process.env._X_AMZN_TRACE_ID
  // The Timeout counts from here, after init, as Lambda's does.
  const deadline = Date.now() + msg.timeoutMs
  parentPort.postMessage({ type: 'started', requestId: msg.requestId })
  const context = {
    ...msg.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {}, succeed: () => {}, fail: () => {}
  }
  let reply
  try {
    if (initError) throw initError
    const result = await call(JSON.parse(msg.event), context)
    reply = { ok: true, result: result === undefined ? 'null' : JSON.stringify(result) }
  } catch (err) {
    reply = { ok: false, error: errorPayload(err) }
  }
  const maxMemoryMb = Math.ceil(process.memoryUsage().heapUsed / 1048576) + 40
  parentPort.postMessage({ type: 'done', requestId: msg.requestId, ...reply, logs, maxMemoryMb })
  current = null
})
`
