import { describe, expect, it } from 'vitest'
import { compilePolicy, PolicyParseError, type PolicyKind } from '../../lib/iam/index'
import { DOC } from './docs'

const ok = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }
const doc = (statement: unknown, extra: Record<string, unknown> = {}) => ({
  Version: '2012-10-17',
  Statement: [ok, statement],
  ...extra,
})
const cond = (Condition: unknown) => doc({ ...ok, Condition })

type Row = { doc: string; name: string; policy: unknown; kind?: PolicyKind; path: string }

const rows: Row[] = [
  { doc: DOC.grammar, name: 'not an object', policy: [ok], path: '' },
  { doc: DOC.grammar, name: 'a JSON string that is not JSON', policy: '{"Statement": [', path: '' },
  { doc: DOC.statement, name: 'no Statement', policy: { Version: '2012-10-17' }, path: 'Statement' },
  {
    doc: DOC.grammar,
    name: 'unknown top-level element',
    policy: { Version: '2012-10-17', Statement: [ok], Statements: [] },
    path: 'Statements',
  },
  { doc: DOC.version, name: 'unknown Version', policy: { Version: '2020-01-01', Statement: [ok] }, path: 'Version' },
  { doc: DOC.grammar, name: 'a statement that is not an object', policy: doc('Allow'), path: 'Statement[1]' },
  {
    doc: DOC.grammar,
    name: 'unknown statement element',
    policy: doc({ ...ok, Resources: '*' }),
    path: 'Statement[1].Resources',
  },
  { doc: DOC.effect, name: 'no Effect', policy: doc({ Action: '*', Resource: '*' }), path: 'Statement[1].Effect' },
  {
    doc: DOC.effect,
    name: 'Effect is case sensitive',
    policy: doc({ ...ok, Effect: 'allow' }),
    path: 'Statement[1].Effect',
  },
  {
    doc: DOC.action,
    name: 'neither Action nor NotAction',
    policy: doc({ Effect: 'Allow', Resource: '*' }),
    path: 'Statement[1].Action',
  },
  {
    doc: DOC.notAction,
    name: 'both Action and NotAction',
    policy: doc({ ...ok, NotAction: 'iam:*' }),
    path: 'Statement[1].NotAction',
  },
  {
    doc: DOC.resource,
    name: 'identity policy without Resource or NotResource',
    policy: doc({ Effect: 'Allow', Action: '*' }),
    path: 'Statement[1].Resource',
  },
  {
    doc: DOC.notResource,
    name: 'both Resource and NotResource',
    policy: doc({ ...ok, NotResource: 'arn:aws:s3:::b' }),
    path: 'Statement[1].NotResource',
  },
  {
    doc: DOC.principal,
    name: 'Principal in an identity policy',
    policy: doc({ ...ok, Principal: '*' }),
    path: 'Statement[1].Principal',
  },
  {
    doc: DOC.principal,
    name: 'Principal in a permissions boundary',
    policy: doc({ ...ok, Principal: { AWS: '123456789012' } }),
    kind: 'boundary',
    path: 'Statement[1].Principal',
  },
  {
    doc: DOC.notPrincipal,
    name: 'NotPrincipal in an identity policy',
    policy: doc({ ...ok, Effect: 'Deny', NotPrincipal: { AWS: '123456789012' } }),
    path: 'Statement[1].NotPrincipal',
  },
  {
    doc: DOC.principal,
    name: 'resource policy statement without Principal',
    policy: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:AssumeRole' } },
    kind: 'resource',
    path: 'Statement.Principal',
  },
  {
    doc: DOC.notPrincipal,
    name: 'NotPrincipal with Allow',
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: '123456789012' }, Action: 's3:*', Resource: '*' }],
    },
    kind: 'resource',
    path: 'Statement[0].NotPrincipal',
  },
  {
    doc: DOC.principal,
    name: 'unknown principal type',
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Services: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    kind: 'resource',
    path: 'Statement[0].Principal.Services',
  },
  {
    doc: DOC.action,
    name: 'an action without service prefix',
    policy: doc({ ...ok, Action: ['s3:GetObject', 'GetObject'] }),
    path: 'Statement[1].Action[1]',
  },
  {
    doc: DOC.grammar,
    name: 'an action that is not a string',
    policy: doc({ ...ok, Action: [42] }),
    path: 'Statement[1].Action[0]',
  },
  {
    doc: DOC.grammar,
    name: 'a Resource that is not a string',
    policy: doc({ ...ok, Resource: { arn: 'x' } }),
    path: 'Statement[1].Resource',
  },
  { doc: DOC.sid, name: 'a Sid that is not a string', policy: doc({ ...ok, Sid: 1 }), path: 'Statement[1].Sid' },
  {
    doc: DOC.operators,
    name: 'unknown condition operator',
    policy: cond({ StringLikeX: { 's3:prefix': 'a' } }),
    path: 'Statement[1].Condition.StringLikeX',
  },
  {
    doc: DOC.operators,
    name: 'operator names are case sensitive ("stringEquals" is invalid)',
    policy: cond({ stringEquals: { 'aws:username': 'a' } }),
    path: 'Statement[1].Condition.stringEquals',
  },
  {
    doc: DOC.operators,
    name: 'there is no StringLikeIgnoreCase',
    policy: cond({ StringLikeIgnoreCase: { 'aws:username': 'a*' } }),
    path: 'Statement[1].Condition.StringLikeIgnoreCase',
  },
  {
    doc: DOC.operators,
    name: 'Null has no IfExists form',
    policy: cond({ NullIfExists: { 'aws:TokenIssueTime': 'true' } }),
    path: 'Statement[1].Condition.NullIfExists',
  },
  {
    doc: DOC.condition,
    name: 'Condition that is not an object',
    policy: cond(['StringEquals']),
    path: 'Statement[1].Condition',
  },
  {
    doc: DOC.condition,
    name: 'operator block that is not an object',
    policy: cond({ StringEquals: 'aws:username' }),
    path: 'Statement[1].Condition.StringEquals',
  },
  {
    doc: DOC.operators,
    name: 'a numeric value that is not a number',
    policy: cond({ NumericLessThanEquals: { 's3:max-keys': 'ten' } }),
    path: 'Statement[1].Condition.NumericLessThanEquals.s3:max-keys',
  },
  {
    doc: DOC.operators,
    name: 'numeric operators take no policy variables',
    policy: cond({ NumericEquals: { 's3:max-keys': '${aws:username}' } }),
    path: 'Statement[1].Condition.NumericEquals.s3:max-keys',
  },
  {
    doc: DOC.operators,
    name: 'a date that is neither ISO 8601 nor epoch',
    policy: cond({ DateGreaterThan: { 'aws:CurrentTime': ['2020-01-01', 'yesterday'] } }),
    path: 'Statement[1].Condition.DateGreaterThan.aws:CurrentTime[1]',
  },
  {
    doc: DOC.operators,
    name: 'an IP value that is not CIDR',
    policy: cond({ IpAddress: { 'aws:SourceIp': '203.0.113.0/33' } }),
    path: 'Statement[1].Condition.IpAddress.aws:SourceIp',
  },
  {
    doc: DOC.operators,
    name: 'a BinaryEquals value that is not base-64',
    policy: cond({ BinaryEquals: { key: 'not base64!' } }),
    path: 'Statement[1].Condition.BinaryEquals.key',
  },
  {
    doc: DOC.operators,
    name: 'Null takes true or false',
    policy: cond({ Null: { 'aws:TokenIssueTime': 'maybe' } }),
    path: 'Statement[1].Condition.Null.aws:TokenIssueTime',
  },
  {
    doc: DOC.grammar,
    name: 'a condition value that is an object',
    policy: cond({ StringEquals: { 'aws:username': { a: 1 } } }),
    path: 'Statement[1].Condition.StringEquals.aws:username',
  },
]

describe('PolicyParseError', () => {
  it.each(rows)('$name → $path — $doc', ({ policy, kind, path }) => {
    let caught: unknown
    try {
      compilePolicy(policy, 'bad', kind ?? 'identity')
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(PolicyParseError)
    expect((caught as PolicyParseError).name).toBe('PolicyParseError')
    expect((caught as PolicyParseError).path).toBe(path)
  })

  it('keeps the JSON.parse error as cause', () => {
    try {
      compilePolicy('{', 'bad', 'identity')
      expect.unreachable()
    } catch (e) {
      expect((e as PolicyParseError).cause).toBeInstanceOf(SyntaxError)
    }
  })
})

describe('documents that are valid', () => {
  it.each([
    { doc: DOC.statement, name: 'Statement as an object', policy: { Version: '2012-10-17', Statement: ok } },
    { doc: DOC.version, name: 'no Version', policy: { Statement: [ok] } },
    { doc: DOC.version, name: 'Version 2008-10-17', policy: { Version: '2008-10-17', Statement: [ok] } },
    {
      doc: DOC.grammar,
      name: 'an Id element',
      policy: { Version: '2012-10-17', Id: 'cd3ad3d9-2776-4ef1-a904-4c229d1642ee', Statement: [ok] },
    },
    {
      doc: DOC.grammar,
      name: 'a JSON string document',
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [ok] }),
    },
    {
      doc: DOC.grammar,
      name: 'numbers and booleans as condition values',
      policy: cond({ NumericEquals: { 's3:max-keys': 10 }, Bool: { 'aws:SecureTransport': true } }),
    },
    {
      doc: DOC.operators,
      name: 'set qualifiers with IfExists',
      policy: cond({ 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'a*' } }),
    },
  ])('$name — $doc', ({ policy }) => {
    const p = compilePolicy(policy, 'good', 'identity')
    expect(p.statements.length).toBeGreaterThan(0)
  })

  it('records the language version, 2008-10-17 when absent', () => {
    expect(compilePolicy({ Statement: [ok] }, 'a', 'identity').version).toBe('2008-10-17')
    expect(compilePolicy({ Version: '2012-10-17', Statement: [ok] }, 'b', 'identity').version).toBe('2012-10-17')
  })
})
