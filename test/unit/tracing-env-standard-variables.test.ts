// Tracing is configured by the standard OTEL_* variables only, and is off unless an OTLP endpoint
// is set; a bad value is refused at start with its variable's name, like any other env problem.
import t from 'tap'
import { inspect } from 'node:util'
import { readTracingEnv } from '../../gateway/src/tracing/otel-env.js'
import { readGatewayEnv } from '../../gateway/src/config/env.js'
import { thrown } from '../helpers/config.js'

t.test('no endpoint: off, with the documented defaults', async t => {
  const { settings, problems } = readTracingEnv({})
  t.same(problems, [])
  t.equal(settings.enabled, false)
  t.equal(settings.url, undefined)
  t.equal(settings.serviceName, 'strangler-gateway')
  t.equal(settings.sampler, 'parentbased_always_on')
  t.equal(settings.samplerRatio, 1)
  t.same(settings.batch, { scheduledDelayMillis: 5000, maxQueueSize: 2048, maxExportBatchSize: 512, exportTimeoutMillis: 30000 })
})

t.test('OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/traces; the traces endpoint is taken as written', async t => {
  t.equal(readTracingEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).settings.url, 'http://collector:4318/v1/traces')
  const both = readTracingEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/otlp/traces' }).settings
  t.equal(both.url, 'https://b/otlp/traces')
  t.equal(both.enabled, true)
})

t.test('OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none switch it off despite an endpoint', async t => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }
  t.equal(readTracingEnv({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' }).settings.enabled, false)
  t.equal(readTracingEnv({ ...endpoint, OTEL_SDK_DISABLED: 'false' }).settings.enabled, true)
  t.equal(readTracingEnv({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).settings.enabled, false)
})

t.test('service name, resource attributes, headers, sampler and batch settings', async t => {
  const { settings, problems } = readTracingEnv({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
    OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,deployment.environment=prod,team=a%2Cb',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k1,x-tenant=t1',
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-api-key=k2',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.25',
    OTEL_BSP_SCHEDULE_DELAY: '200'
  })
  t.same(problems, [])
  t.equal(settings.serviceName, 'from-attrs')
  t.same(settings.resourceAttributes, { 'deployment.environment': 'prod', team: 'a,b' })
  t.same(settings.headers, { 'x-api-key': 'k2', 'x-tenant': 't1' })
  t.equal(settings.sampler, 'parentbased_traceidratio')
  t.equal(settings.samplerRatio, 0.25)
  t.equal(settings.batch.scheduledDelayMillis, 200)
  t.equal(readTracingEnv({ OTEL_SERVICE_NAME: 'gw-prod', OTEL_RESOURCE_ATTRIBUTES: 'service.name=x' }).settings.serviceName, 'gw-prod')
})

t.test('bad values are problems naming the variable', async t => {
  const { problems } = readTracingEnv({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    OTEL_TRACES_EXPORTER: 'zipkin',
    OTEL_TRACES_SAMPLER: 'sometimes',
    OTEL_RESOURCE_ATTRIBUTES: 'novalue',
    OTEL_BSP_MAX_QUEUE_SIZE: '-1'
  })
  t.same(problems.map(p => p.path).sort(), [
    'OTEL_BSP_MAX_QUEUE_SIZE', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_TRACES_EXPORTER', 'OTEL_TRACES_SAMPLER'
  ])
  t.same(readTracingEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }).problems.map(p => p.path), ['OTEL_TRACES_SAMPLER_ARG'])
  t.same(readTracingEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).problems, [])
})

t.test('the gateway env refuses to start on them, and never prints the exporter headers', async t => {
  const err = thrown(() => readGatewayEnv({ OTEL_TRACES_SAMPLER: 'sometimes' }))
  t.equal(err.code, 'GW_ERR_CONFIG_INVALID')
  t.match(err.message, /OTEL_TRACES_SAMPLER: expected one of always_on\|/)
  const env = readGatewayEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cr3t-backend-key' })
  t.equal(env.tracing.enabled, true)
  t.equal(env.tracing.headers['x-api-key'], 's3cr3t-backend-key')
  t.notMatch(JSON.stringify(env), /s3cr3t/)
  t.notMatch(inspect(env, { depth: 5 }), /s3cr3t/)
})
