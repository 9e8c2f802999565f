import { describe, expect, it } from 'vitest'
import { EventPatternError, matchesPattern } from '../../lib/events/pattern-match'

const PATTERNS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html'
const FILTERING =
  'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html'
const OPERATORS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html'
const NULLS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html'
const ARRAYS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html'
// AWS behaviours the user guide does not spell out, observed against the real service and reported here:
const EXISTS_NULL = 'https://github.com/getmoto/moto/issues/5125 (AWS: exists:true matches a null value)'
const ANYTHING_BUT_NULL = 'https://github.com/localstack/localstack/issues/9711 (AWS: anything-but matches null)'
const RULER =
  'https://github.com/aws/event-ruler#readme (the engine behind EventBridge: $or, wildcard, array consistency)'

const ec2 = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
}
const detail = (d: Record<string, unknown>) => ({ ...ec2, detail: d })

type Case = [name: string, pattern: unknown, event: unknown, expected: boolean, doc: string]

const cases: Case[] = [
  ['exact string value', { source: ['aws.ec2'] }, ec2, true, PATTERNS],
  ['strings are case-sensitive', { source: ['AWS.EC2'] }, ec2, false, PATTERNS],
  ['values in a pattern array are ORed', { source: ['aws.fargate', 'aws.ec2'] }, ec2, true, PATTERNS],
  ['every pattern field must be present', { detail: { 'x-limit': [1] } }, ec2, false, PATTERNS],
  [
    'fields not in the pattern are ignored',
    { 'detail-type': ['EC2 Instance State-change Notification'] },
    ec2,
    true,
    PATTERNS,
  ],
  ['nested objects', { source: ['aws.ec2'], detail: { state: ['terminated'] } }, ec2, true, PATTERNS],
  ['nested value differs', { detail: { state: ['running'] } }, ec2, false, PATTERNS],
  ['exact number', { detail: { 'risk-score': [80] } }, detail({ 'risk-score': 80 }), true, PATTERNS],
  [
    'a number never equals a string',
    { detail: { 'risk-score': [80] } },
    detail({ 'risk-score': '80' }),
    false,
    PATTERNS,
  ],
  ['exact boolean', { detail: { ok: [true] } }, detail({ ok: true }), true, PATTERNS],
  ['null matches null', { detail: { responseElements: [null] } }, detail({ responseElements: null }), true, NULLS],
  ['null does not match a missing field', { detail: { responseElements: [null] } }, detail({}), false, NULLS],
  ['empty string matches empty string', { detail: { eventVersion: [''] } }, detail({ eventVersion: '' }), true, NULLS],
  [
    'empty string does not match null',
    { detail: { eventVersion: [''] } },
    detail({ eventVersion: null }),
    false,
    NULLS,
  ],
  ['event array: any element matches', { resources: ['x', ec2.resources[0]] }, ec2, true, ARRAYS],
  ['event array: no common element', { resources: ['x', 'y'] }, ec2, false, ARRAYS],
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, ec2, true, FILTERING],
  ['prefix only applies to strings', { detail: { n: [{ prefix: '12' }] } }, detail({ n: 123 }), false, FILTERING],
  [
    'prefix with equals-ignore-case',
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    detail({ service: 'eventbridge' }),
    true,
    FILTERING,
  ],
  ['suffix', { detail: { FileName: [{ suffix: '.png' }] } }, detail({ FileName: 'cat.png' }), true, FILTERING],
  [
    'suffix is case-sensitive',
    { detail: { FileName: [{ suffix: '.png' }] } },
    detail({ FileName: 'cat.PNG' }),
    false,
    FILTERING,
  ],
  [
    'suffix with equals-ignore-case',
    { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    detail({ FileName: 'cat.PNG' }),
    true,
    FILTERING,
  ],
  [
    'equals-ignore-case',
    { detail: { Name: [{ 'equals-ignore-case': 'alice' }] } },
    detail({ Name: 'ALICE' }),
    true,
    OPERATORS,
  ],
  ['anything-but a string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2, true, FILTERING],
  ['anything-but excludes its value', { detail: { state: [{ 'anything-but': 'terminated' }] } }, ec2, false, FILTERING],
  [
    'anything-but a number',
    { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    detail({ 'x-limit': 123 }),
    false,
    FILTERING,
  ],
  [
    'anything-but a list of strings',
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    ec2,
    true,
    FILTERING,
  ],
  [
    'anything-but a list of numbers',
    { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    detail({ 'x-limit': 200 }),
    false,
    FILTERING,
  ],
  [
    'anything-but prefix',
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    detail({ state: 'initializing' }),
    false,
    FILTERING,
  ],
  [
    'anything-but prefix lets others through',
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    ec2,
    true,
    FILTERING,
  ],
  [
    'anything-but suffix',
    { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } },
    detail({ FileName: 'a.png' }),
    false,
    OPERATORS,
  ],
  [
    'anything-but equals-ignore-case',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
    detail({ state: 'INITIALIZING' }),
    false,
    OPERATORS,
  ],
  [
    'anything-but wildcard',
    { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    detail({ FilePath: '/usr/lib/x' }),
    false,
    OPERATORS,
  ],
  [
    'anything-but wildcard lets others through',
    { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    detail({ FilePath: '/usr/bin/x' }),
    true,
    OPERATORS,
  ],
  [
    'anything-but needs the field to be present',
    { detail: { state: [{ 'anything-but': 'x' }] } },
    detail({}),
    false,
    PATTERNS,
  ],
  [
    'anything-but matches a null value',
    { detail: { command: [{ 'anything-but': ['no-message'] }] } },
    detail({ command: null }),
    true,
    ANYTHING_BUT_NULL,
  ],
  [
    'numeric range (inside)',
    { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    detail({ 'c-count': 5 }),
    true,
    FILTERING,
  ],
  [
    'numeric range (outside)',
    { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    detail({ 'c-count': 0 }),
    false,
    FILTERING,
  ],
  [
    'numeric equality',
    { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
    detail({ 'x-limit': 301.8 }),
    true,
    FILTERING,
  ],
  [
    'numeric only matches JSON numbers',
    { detail: { 'c-count': [{ numeric: ['>', 0] }] } },
    detail({ 'c-count': '5' }),
    false,
    FILTERING,
  ],
  ['exists true: present', { detail: { state: [{ exists: true }] } }, ec2, true, FILTERING],
  ['exists true: missing', { detail: { 'c-count': [{ exists: true }] } }, ec2, false, FILTERING],
  ['exists false: missing', { detail: { 'c-count': [{ exists: false }] } }, ec2, true, FILTERING],
  ['exists false: present', { detail: { state: [{ exists: false }] } }, ec2, false, FILTERING],
  [
    'exists false: an object is not a leaf',
    { detail: { 'c-count': [{ exists: false }] } },
    detail({ 'c-count': { c1: 100 } }),
    true,
    FILTERING,
  ],
  [
    'exists true: an object is not a leaf',
    { detail: { 'c-count': [{ exists: true }] } },
    detail({ 'c-count': { c1: 100 } }),
    false,
    FILTERING,
  ],
  [
    'exists true matches a null value',
    { detail: { foo: [{ exists: true }] } },
    detail({ foo: null }),
    true,
    EXISTS_NULL,
  ],
  [
    'exists false does not match a null value',
    { detail: { foo: [{ exists: false }] } },
    detail({ foo: null }),
    false,
    EXISTS_NULL,
  ],
  [
    'exists false when the parent object is missing',
    { detail: { c: { d: [{ exists: false }] } } },
    ec2,
    true,
    FILTERING,
  ],
  ['a value or a missing field', { detail: { mode: ['fast', { exists: false }] } }, ec2, true, PATTERNS],
  ['wildcard', { source: [{ wildcard: 'aws.*2' }] }, ec2, true, OPERATORS],
  ['wildcard anchors both ends', { source: [{ wildcard: 'ec2*' }] }, ec2, false, OPERATORS],
  ['wildcard escaped star is literal', { detail: { k: [{ wildcard: 'a\\*b' }] } }, detail({ k: 'a*b' }), true, RULER],
  [
    'wildcard escaped star does not match other text',
    { detail: { k: [{ wildcard: 'a\\*b' }] } },
    detail({ k: 'axb' }),
    false,
    RULER,
  ],
  [
    'cidr IPv4 inside',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    detail({ sourceIPAddress: '10.0.0.33' }),
    true,
    FILTERING,
  ],
  [
    'cidr IPv4 outside',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    detail({ sourceIPAddress: '10.0.1.1' }),
    false,
    FILTERING,
  ],
  [
    'cidr IPv6 inside',
    { detail: { ip: [{ cidr: '2001:db8::/32' }] } },
    detail({ ip: '2001:db8:0:1::7' }),
    true,
    FILTERING,
  ],
  [
    'cidr never matches a service name',
    { detail: { ip: [{ cidr: '10.0.0.0/8' }] } },
    detail({ ip: 'cloudformation.amazonaws.com' }),
    false,
    FILTERING,
  ],
  [
    '$or: one alternative matches',
    { source: ['aws.ec2'], $or: [{ region: ['eu-west-1'] }, { detail: { state: ['terminated'] } }] },
    ec2,
    true,
    OPERATORS,
  ],
  [
    '$or: no alternative matches',
    { $or: [{ region: ['eu-west-1'] }, { detail: { state: ['running'] } }] },
    ec2,
    false,
    OPERATORS,
  ],
  [
    '$or inside a nested object',
    { detail: { $or: [{ state: ['running'] }, { 'instance-id': [{ prefix: 'i-' }] }] } },
    ec2,
    true,
    RULER,
  ],
  [
    'objects in an event array: one element matches',
    { employees: { firstName: ['Anna'] } },
    { employees: [{ firstName: 'John' }, { firstName: 'Anna', lastName: 'Smith' }] },
    true,
    RULER,
  ],
  [
    'objects in an event array: fields from different elements do not combine',
    { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    {
      employees: [
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    },
    false,
    RULER,
  ],
  ['an empty event array has no leaf', { tags: [{ exists: false }] }, { tags: [] }, true, FILTERING],
]

describe('matchesPattern', () => {
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected)
  })
})

type Invalid = [name: string, pattern: unknown, message: RegExp, doc: string]

const invalid: Invalid[] = [
  ['an unknown operator', { source: [{ contains: 'ec2' }] }, /source\[0\]: unknown operator 'contains'/, OPERATORS],
  [
    'exists with a string',
    { detail: { x: [{ exists: 'false' }] } },
    /detail\.x\[0\]\.exists: exists must be true or false/,
    FILTERING,
  ],
  ['a bare value instead of an array', { source: 'aws.ec2' }, /source: match values must be in an array/, PATTERNS],
  ['an empty array', { source: [] }, /source: empty arrays are not allowed/, PATTERNS],
  ['an empty object', { detail: {} }, /detail: empty objects are not allowed/, PATTERNS],
  ['a pattern that is not an object', ['aws.ec2'], /an event pattern must be a JSON object/, PATTERNS],
  ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }, /exactly one key/, OPERATORS],
  ['numeric with a string bound', { n: [{ numeric: ['>', '5'] }] }, /numeric takes/, FILTERING],
  ['numeric range upside down', { n: [{ numeric: ['<', 5, '>', 1] }] }, /numeric range/, FILTERING],
  ['anything-but with a mixed list', { s: [{ 'anything-but': ['a', 1] }] }, /only strings or only numbers/, FILTERING],
  [
    'anything-but with a list of prefixes',
    { s: [{ 'anything-but': { prefix: ['a', 'b'] } }] },
    /anything-but\.prefix: expected a string/,
    FILTERING,
  ],
  ['wildcard with consecutive stars', { s: [{ wildcard: 'a**b' }] }, /consecutive '\*'/, RULER],
  ['wildcard escaping a letter', { s: [{ wildcard: 'a\\b' }] }, /may only escape/, RULER],
  ['an invalid cidr', { ip: [{ cidr: '10.0.0.0/33' }] }, /cidr/, FILTERING],
  ['$or with one alternative', { $or: [{ a: ['x'] }] }, /\$or needs at least two alternatives/, OPERATORS],
]

describe('pattern validation', () => {
  it.each(invalid)('rejects %s', (_name, pattern, message) => {
    expect(() => matchesPattern(pattern, ec2)).toThrow(EventPatternError)
    expect(() => matchesPattern(pattern, ec2)).toThrow(message)
  })
})
