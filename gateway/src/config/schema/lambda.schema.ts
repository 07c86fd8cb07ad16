// `lambda`: how the gateway reaches Lambda (local runtime or real AWS), and per bounded context
// the region/role to use (one AWS account per context).
import { Type } from '@sinclair/typebox'
import { Pattern, Section } from './common.schema.js'

export const CONTEXT_NAME = '^[a-z][a-z0-9-]*$'
export const REGION = '^[a-z]{2}(-[a-z]+)+-\\d+$'
export const ROLE_ARN = '^arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$'

export const LambdaContextSchema = Type.Object({
  region: Type.Optional(Pattern(REGION, 'an AWS region like eu-central-1', { description: 'Region of this context\'s functions (default: lambda.region)' })),
  roleArn: Type.Optional(Pattern(ROLE_ARN, 'an IAM role ARN like arn:aws:iam::123456789012:role/name', {
    description: 'Role the gateway assumes to invoke this context\'s functions (one account per context)'
  }))
}, { additionalProperties: false })

export const LambdaSchema = Section({
  endpoint: Pattern('^(https?://[^\\s]+)?$', 'an empty string (real AWS) or an http(s):// URL', {
    default: '',
    description: 'Lambda Invoke API endpoint (env LAMBDA_ENDPOINT); empty → real AWS'
  }),
  region: Pattern(REGION, 'an AWS region like eu-central-1', { default: 'eu-central-1', description: 'Default region (env AWS_REGION)' }),
  contexts: Type.Record(Type.String({ pattern: CONTEXT_NAME }), LambdaContextSchema, {
    default: {},
    additionalProperties: false,
    description: 'Per bounded context: region and role; routes name one with lambda.context'
  })
}, { description: 'Lambda invocation' })
