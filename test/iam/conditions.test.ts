import { describe, expect, it } from 'vitest'
import type { RequestContext } from '../../lib/iam/index'
import { DOC } from './docs'
import { conditionMatches } from './harness'

/** One row of the docs' "Policy condition / Request context / Result" tables. */
type Row = { doc: string; name: string; condition: Record<string, unknown>; context?: RequestContext; match: boolean }

const JOB = { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }
const HOME_PREFIX = { StringLike: { 's3:prefix': ['home/', 'home/${aws:username}/'] } }
const ENV_TAGS = {
  StringEqualsIgnoreCase: { 'aws:RequestTag/environment': ['preprod', 'storage'] },
  'ForAnyValue:StringEquals': { 'aws:TagKeys': 'environment' },
}
const MAX_KEYS = { NumericLessThanEquals: { 's3:max-keys': '10' } }
const ISSUED_2020 = { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } }
const Q2_2020 = {
  DateGreaterThan: { 'aws:CurrentTime': '2020-04-01T00:00:00Z' },
  DateLessThan: { 'aws:CurrentTime': '2020-06-30T23:59:59Z' },
}
const NOT_TLS = { Bool: { 'aws:SecureTransport': 'false' } }
const BINARY = { BinaryEquals: { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }
const SOURCE_IP = { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }
const MIXED_IP = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } }
const DENY_IP = {
  NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] },
  Bool: { 'aws:ViaAWSService': 'false' },
}
const SOURCE_ARN = { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-west-2:123456789012:TOPIC-ID' } }
const FINANCE = 'arn:aws:someservice:*:111122223333:finance/*'
const STORE = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt'
const CLOUDFRONT = {
  'ForAllValues:ArnLike': {
    'logs:LogGeneratingResourceArns': [
      'arn:aws:cloudfront::123456789012:distribution/*',
      'arn:aws:cloudfront::123456789012:distribution/support*',
    ],
  },
}
const INSTANCE_TYPES = { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } }

const operatorRows: Row[] = [
  {
    doc: DOC.operators,
    name: 'StringEquals: tag value iamuser-admin',
    condition: JOB,
    context: { 'aws:PrincipalTag/job-category': 'iamuser-admin' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'StringEquals: tag value dev-ops',
    condition: JOB,
    context: { 'aws:PrincipalTag/job-category': 'dev-ops' },
    match: false,
  },
  { doc: DOC.operators, name: 'StringEquals: key absent', condition: JOB, context: {}, match: false },
  {
    doc: DOC.operators,
    name: 'StringLike with ${aws:username}: martha_rivera lists her home',
    condition: HOME_PREFIX,
    context: { 'aws:username': 'martha_rivera', 's3:prefix': 'home/martha_rivera/' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'StringLike with ${aws:username}: nikki_wolf lists her home',
    condition: HOME_PREFIX,
    context: { 'aws:username': 'nikki_wolf', 's3:prefix': 'home/nikki_wolf/' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'StringLike with ${aws:username}: no aws:username, no match for a home folder',
    condition: HOME_PREFIX,
    context: { 's3:prefix': 'home/nikki_wolf/' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'IgnoreCase + ForAnyValue: environment / preprod',
    condition: ENV_TAGS,
    context: { 'aws:TagKeys': ['environment'], 'aws:RequestTag/environment': 'preprod' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'IgnoreCase + ForAnyValue: environment, costcenter / PreProd',
    condition: ENV_TAGS,
    context: { 'aws:TagKeys': ['environment', 'costcenter'], 'aws:RequestTag/environment': 'PreProd' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'IgnoreCase + ForAnyValue: tag key Environment (set comparison is case sensitive)',
    condition: ENV_TAGS,
    context: { 'aws:TagKeys': ['Environment'], 'aws:RequestTag/Environment': 'preprod' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'IgnoreCase + ForAnyValue: costcenter only',
    condition: ENV_TAGS,
    context: { 'aws:TagKeys': ['costcenter'], 'aws:RequestTag/environment': 'preprod' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'IgnoreCase + ForAnyValue: no aws:TagKeys',
    condition: ENV_TAGS,
    context: { 'aws:RequestTag/environment': 'storage' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'IgnoreCase + ForAnyValue: no aws:RequestTag/environment',
    condition: ENV_TAGS,
    context: { 'aws:TagKeys': ['environment'] },
    match: false,
  },
  { doc: DOC.operators, name: 'IgnoreCase + ForAnyValue: neither key', condition: ENV_TAGS, context: {}, match: false },
  {
    doc: DOC.operators,
    name: 'NumericLessThanEquals: max-keys 10',
    condition: MAX_KEYS,
    context: { 's3:max-keys': '10' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'NumericLessThanEquals: max-keys 5',
    condition: MAX_KEYS,
    context: { 's3:max-keys': '5' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'NumericLessThanEquals: max-keys 11',
    condition: MAX_KEYS,
    context: { 's3:max-keys': '11' },
    match: false,
  },
  { doc: DOC.operators, name: 'NumericLessThanEquals: key absent', condition: MAX_KEYS, context: {}, match: false },
  {
    doc: DOC.operators,
    name: 'NumericEquals compares decimals as numbers',
    condition: { NumericEquals: { 'svc:n': '10' } },
    context: { 'svc:n': '10.0' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'NumericGreaterThan',
    condition: { NumericGreaterThan: { 'svc:n': 1.5 } },
    context: { 'svc:n': '2' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'NumericGreaterThanEquals at the bound',
    condition: { NumericGreaterThanEquals: { 'svc:n': '3' } },
    context: { 'svc:n': '3' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'NumericLessThan at the bound',
    condition: { NumericLessThan: { 'svc:n': '3' } },
    context: { 'svc:n': '3' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'NumericNotEquals',
    condition: { NumericNotEquals: { 'svc:n': ['1', '2'] } },
    context: { 'svc:n': '3' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'DateGreaterThan: credentials issued in 2020',
    condition: ISSUED_2020,
    context: { 'aws:TokenIssueTime': '2020-06-01T12:00:00Z' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'DateGreaterThan: credentials issued before',
    condition: ISSUED_2020,
    context: { 'aws:TokenIssueTime': '2019-12-31T23:59:59Z' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'DateGreaterThan: no aws:TokenIssueTime (access keys)',
    condition: ISSUED_2020,
    context: {},
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'DateGreaterThan with an epoch request value',
    condition: ISSUED_2020,
    context: { 'aws:TokenIssueTime': '1600000000' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'DateLessThanEquals with epoch policy value',
    condition: { DateLessThanEquals: { 'aws:EpochTime': '1577836800' } },
    context: { 'aws:EpochTime': '1577836800' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'DateEquals: the same instant in another zone',
    condition: { DateEquals: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
    context: { 'aws:CurrentTime': '2020-01-01T01:00:00+01:00' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'DateNotEquals',
    condition: { DateNotEquals: { 'aws:CurrentTime': '2020-01-01' } },
    context: { 'aws:CurrentTime': '2020-01-02T00:00:00Z' },
    match: true,
  },
  {
    doc: DOC.exDates,
    name: 'date range: within April-June 2020',
    condition: Q2_2020,
    context: { 'aws:CurrentTime': '2020-05-15T10:00:00Z' },
    match: true,
  },
  {
    doc: DOC.exDates,
    name: 'date range: before April 2020',
    condition: Q2_2020,
    context: { 'aws:CurrentTime': '2020-03-31T23:59:59Z' },
    match: false,
  },
  {
    doc: DOC.exDates,
    name: 'date range: after June 2020',
    condition: Q2_2020,
    context: { 'aws:CurrentTime': '2020-07-01T00:00:00Z' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'Bool: SecureTransport false',
    condition: NOT_TLS,
    context: { 'aws:SecureTransport': 'false' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'Bool: SecureTransport true',
    condition: NOT_TLS,
    context: { 'aws:SecureTransport': 'true' },
    match: false,
  },
  { doc: DOC.operators, name: 'Bool: no aws:SecureTransport', condition: NOT_TLS, context: {}, match: false },
  {
    doc: DOC.exRequireMfa,
    name: 'Bool with a JSON boolean value',
    condition: { Bool: { 'aws:MultiFactorAuthPresent': false } },
    context: { 'aws:MultiFactorAuthPresent': 'false' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'BinaryEquals: same bytes',
    condition: BINARY,
    context: { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'BinaryEquals: other bytes',
    condition: BINARY,
    context: { key: 'ASIAIOSFODNN7EXAMPLE' },
    match: false,
  },
  { doc: DOC.operators, name: 'BinaryEquals: key absent', condition: BINARY, context: {}, match: false },
  {
    doc: DOC.operators,
    name: 'IpAddress: 203.0.113.1 in 203.0.113.0/24',
    condition: SOURCE_IP,
    context: { 'aws:SourceIp': '203.0.113.1' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'IpAddress: 198.51.100.1 outside',
    condition: SOURCE_IP,
    context: { 'aws:SourceIp': '198.51.100.1' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'IpAddress: IPv6 address in 2001:DB8:1234:5678::/64',
    condition: MIXED_IP,
    context: { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'IpAddress: IPv6 address outside the /64',
    condition: MIXED_IP,
    context: { 'aws:SourceIp': '2001:db8:1234:5679::1' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'IpAddress: IPv4 still matched with a mixed list',
    condition: MIXED_IP,
    context: { 'aws:SourceIp': '203.0.113.200' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'IpAddress: an address without prefix is a /32',
    condition: { IpAddress: { 'aws:SourceIp': '203.0.113.7' } },
    context: { 'aws:SourceIp': '203.0.113.8' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'IpAddress: key absent (VPC endpoint request)',
    condition: SOURCE_IP,
    context: {},
    match: false,
  },
  {
    doc: DOC.exDenyIp,
    name: 'deny-ip: outside the ranges and not via a service',
    condition: DENY_IP,
    context: { 'aws:SourceIp': '198.51.100.9', 'aws:ViaAWSService': 'false' },
    match: true,
  },
  {
    doc: DOC.exDenyIp,
    name: 'deny-ip: inside a range',
    condition: DENY_IP,
    context: { 'aws:SourceIp': '192.0.2.77', 'aws:ViaAWSService': 'false' },
    match: false,
  },
  {
    doc: DOC.exDenyIp,
    name: 'deny-ip: outside but made by an AWS service',
    condition: DENY_IP,
    context: { 'aws:SourceIp': '198.51.100.9', 'aws:ViaAWSService': 'true' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'ArnEquals: the topic',
    condition: SOURCE_ARN,
    context: { 'aws:SourceArn': 'arn:aws:sns:us-west-2:123456789012:TOPIC-ID' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'ArnEquals: a topic of another account',
    condition: SOURCE_ARN,
    context: { 'aws:SourceArn': 'arn:aws:sns:us-west-2:777788889999:TOPIC-ID' },
    match: false,
  },
  { doc: DOC.operators, name: 'ArnEquals: no aws:SourceArn', condition: SOURCE_ARN, context: {}, match: false },
  {
    doc: DOC.operators,
    name: 'StringLike lets * cross colons',
    condition: { StringLike: { 'aws:SourceArn': FINANCE } },
    context: { 'aws:SourceArn': STORE },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'ArnLike matches each colon-delimited part separately',
    condition: { ArnLike: { 'aws:SourceArn': FINANCE } },
    context: { 'aws:SourceArn': STORE },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'ArnLike: wildcard Region part',
    condition: { ArnLike: { 'aws:SourceArn': FINANCE } },
    context: { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:111122223333:finance/document.txt' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'ArnEquals behaves like ArnLike (wildcards work)',
    condition: { ArnEquals: { 'aws:SourceArn': FINANCE } },
    context: { 'aws:SourceArn': 'arn:aws:someservice:eu-west-1:111122223333:finance/x' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'ArnLike: a pattern of four parts cannot match the six parts of an ARN',
    condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*' } },
    context: { 'aws:SourceArn': 'arn:aws:sns:us-west-2:123456789012:TOPIC-ID' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'ArnLike: a pattern of five parts ending in * does not expand over the last colon',
    condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-west-2:*' } },
    context: { 'aws:SourceArn': 'arn:aws:sns:us-west-2:123456789012:TOPIC-ID' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'ArnNotLike: a pattern of four parts excludes no ARN',
    condition: { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*' } },
    context: { 'aws:SourceArn': 'arn:aws:sns:us-west-2:123456789012:TOPIC-ID' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'ArnNotLike: a finance document',
    condition: { ArnNotLike: { 'aws:SourceArn': FINANCE } },
    context: { 'aws:SourceArn': 'arn:aws:someservice:eu-west-1:111122223333:finance/x' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'ForAllValues:ArnLike: one distribution',
    condition: CLOUDFRONT,
    context: { 'logs:LogGeneratingResourceArns': ['arn:aws:cloudfront::123456789012:distribution/costcenter'] },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'ForAllValues:ArnLike: two distributions',
    condition: CLOUDFRONT,
    context: {
      'logs:LogGeneratingResourceArns': [
        'arn:aws:cloudfront::123456789012:distribution/costcenter',
        'arn:aws:cloudfront::123456789012:distribution/support2025',
      ],
    },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'ForAllValues:ArnLike: a distribution of another account',
    condition: CLOUDFRONT,
    context: { 'logs:LogGeneratingResourceArns': ['arn:aws:cloudfront::777788889999:distribution/costcenter'] },
    match: false,
  },
  { doc: DOC.operators, name: 'ForAllValues:ArnLike: key absent', condition: CLOUDFRONT, context: {}, match: true },
  {
    doc: DOC.operators,
    name: 'StringLikeIfExists: t1.micro',
    condition: INSTANCE_TYPES,
    context: { 'ec2:InstanceType': 't1.micro' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'StringLikeIfExists: m2.micro',
    condition: INSTANCE_TYPES,
    context: { 'ec2:InstanceType': 'm2.micro' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'StringLikeIfExists: no ec2:InstanceType',
    condition: INSTANCE_TYPES,
    context: {},
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'StringLike without IfExists fails on resources without the key (THISPOLICYDOESNOTWORK)',
    condition: { StringLike: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } },
    context: {},
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'StringNotEqualsIfExists with the key absent is true',
    condition: { StringNotEqualsIfExists: { 'aws:ResourceTag/env': 'prod' } },
    context: {},
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'NumericLessThanIfExists with the key present is evaluated',
    condition: { NumericLessThanIfExists: { 's3:max-keys': '5' } },
    context: { 's3:max-keys': '50' },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'Null "false": temporary credentials present',
    condition: { Null: { 'aws:TokenIssueTime': 'false' } },
    context: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'Null "false": no aws:TokenIssueTime',
    condition: { Null: { 'aws:TokenIssueTime': 'false' } },
    context: {},
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'Null "true": no aws:TokenIssueTime',
    condition: { Null: { 'aws:TokenIssueTime': 'true' } },
    context: {},
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'Null "true": temporary credentials present',
    condition: { Null: { 'aws:TokenIssueTime': 'true' } },
    context: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' },
    match: false,
  },
]

const missingKeyRows: Row[] = [
  {
    doc: DOC.operators,
    name: 'StringNotLike with the key absent is true',
    condition: { StringNotLike: { 'aws:PrincipalTag/team': 'a*' } },
    context: {},
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'ArnNotLike with the key absent is true',
    condition: { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:t' } },
    context: {},
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'StringNotEquals with the key absent is true',
    condition: { StringNotEquals: { 'aws:PrincipalAccount': '111122223333' } },
    context: {},
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'NotIpAddress with the key absent is true',
    condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    context: {},
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'NumericEquals with the key absent is false',
    condition: { NumericEquals: { 's3:max-keys': '10' } },
    context: {},
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'DateLessThan with the key absent is false',
    condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01' } },
    context: {},
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'ArnLike with the key absent is false',
    condition: { ArnLike: { 'aws:SourceArn': '*' } },
    context: {},
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'BoolIfExists with the key absent is true',
    condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    context: {},
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'IpAddressIfExists with the key absent is true',
    condition: { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } },
    context: {},
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'DateGreaterThanIfExists with the key present is evaluated',
    condition: { DateGreaterThanIfExists: { 'aws:TokenIssueTime': '2020-01-01' } },
    context: { 'aws:TokenIssueTime': '2019-01-01' },
    match: false,
  },
]

const keyNameRows: Row[] = [
  {
    doc: DOC.condition,
    name: 'key names are not case sensitive (aws:SourceIP = AWS:SourceIp)',
    condition: { IpAddress: { 'aws:SourceIP': '203.0.113.0/24' } },
    context: { 'AWS:SourceIp': '203.0.113.9' },
    match: true,
  },
  {
    doc: DOC.condition,
    name: 'StringEquals values are case sensitive (johndoe vs JohnDoe)',
    condition: { StringEquals: { 'aws:username': 'johndoe' } },
    context: { 'aws:username': 'JohnDoe' },
    match: false,
  },
  {
    doc: DOC.condition,
    name: 'StringEqualsIgnoreCase matches JohnDoe',
    condition: { StringEqualsIgnoreCase: { 'aws:username': 'johndoe' } },
    context: { 'aws:username': 'JohnDoe' },
    match: true,
  },
  {
    doc: DOC.condition,
    name: 'StringNotEqualsIgnoreCase rejects JohnDoe',
    condition: { StringNotEqualsIgnoreCase: { 'aws:username': 'johndoe' } },
    context: { 'aws:username': 'JohnDoe' },
    match: false,
  },
  {
    doc: DOC.condition,
    name: 'tag key names are not case sensitive (TagKey1 matches tagkey1)',
    condition: { StringEquals: { 'aws:ResourceTag/TagKey1': 'Value1' } },
    context: { 'aws:ResourceTag/tagkey1': 'Value1' },
    match: true,
  },
  {
    doc: DOC.condition,
    name: 'tag values stay case sensitive',
    condition: { StringEquals: { 'aws:ResourceTag/TagKey1': 'Value1' } },
    context: { 'aws:ResourceTag/tagkey1': 'value1' },
    match: false,
  },
]

const PRINCIPALS = {
  StringEquals: {
    'aws:PrincipalTag/department': ['finance', 'hr', 'legal'],
    'aws:PrincipalTag/role': ['audit', 'security'],
  },
  ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::222222222222:user/Ana', 'arn:aws:iam::222222222222:user/Mary'] },
}
const PRINCIPALS_NOT = { StringEquals: PRINCIPALS.StringEquals, ArnNotLike: PRINCIPALS.ArnLike }
const user = (n: string) => `arn:aws:iam::222222222222:user/${n}`
const multiKeyRows: Row[] = [
  {
    doc: DOC.multiValue,
    name: 'AND/OR: legal, audit, Mary',
    condition: PRINCIPALS,
    context: {
      'aws:PrincipalTag/department': 'legal',
      'aws:PrincipalTag/role': 'audit',
      'aws:PrincipalArn': user('Mary'),
    },
    match: true,
  },
  {
    doc: DOC.multiValue,
    name: 'AND/OR: hr, audit, Nikki',
    condition: PRINCIPALS,
    context: {
      'aws:PrincipalTag/department': 'hr',
      'aws:PrincipalTag/role': 'audit',
      'aws:PrincipalArn': user('Nikki'),
    },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'AND/OR: hr, payroll, Mary',
    condition: PRINCIPALS,
    context: {
      'aws:PrincipalTag/department': 'hr',
      'aws:PrincipalTag/role': 'payroll',
      'aws:PrincipalArn': user('Mary'),
    },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'AND/OR: no role tag',
    condition: PRINCIPALS,
    context: { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalArn': user('Mary') },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'AND/OR: no principal tags',
    condition: PRINCIPALS,
    context: { 'aws:PrincipalArn': user('Mary') },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'NOR: legal, audit, Nikki',
    condition: PRINCIPALS_NOT,
    context: {
      'aws:PrincipalTag/department': 'legal',
      'aws:PrincipalTag/role': 'audit',
      'aws:PrincipalArn': user('Nikki'),
    },
    match: true,
  },
  {
    doc: DOC.multiValue,
    name: 'NOR: hr, audit, Mary',
    condition: PRINCIPALS_NOT,
    context: {
      'aws:PrincipalTag/department': 'hr',
      'aws:PrincipalTag/role': 'audit',
      'aws:PrincipalArn': user('Mary'),
    },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'NOR: hr, payroll, Nikki',
    condition: PRINCIPALS_NOT,
    context: {
      'aws:PrincipalTag/department': 'hr',
      'aws:PrincipalTag/role': 'payroll',
      'aws:PrincipalArn': user('Nikki'),
    },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'NOR: no role tag',
    condition: PRINCIPALS_NOT,
    context: { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalArn': user('Nikki') },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'NOR: no principal tags',
    condition: PRINCIPALS_NOT,
    context: { 'aws:PrincipalArn': user('Nikki') },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'StringNotEquals with several accounts: one of them',
    condition: { StringNotEquals: { 'aws:PrincipalAccount': ['111111111111', '222222222222'] } },
    context: { 'aws:PrincipalAccount': '222222222222' },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'StringNotEquals with several accounts: none of them',
    condition: { StringNotEquals: { 'aws:PrincipalAccount': ['111111111111', '222222222222'] } },
    context: { 'aws:PrincipalAccount': '333333333333' },
    match: true,
  },
  {
    doc: DOC.multiValue,
    name: 'DateNotEquals with several dates is a NOR',
    condition: { DateNotEquals: { 'aws:CurrentTime': ['2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z'] } },
    context: { 'aws:CurrentTime': '2020-01-02T00:00:00Z' },
    match: false,
  },
]

const ECS = {
  StringEquals: { 'aws:RequestTag/environment': ['production', 'prod-backup'] },
  ArnEquals: {
    'ecs:cluster': [
      'arn:aws:ecs:us-east-1:111122223333:cluster/default1',
      'arn:aws:ecs:us-east-1:111122223333:cluster/default2',
    ],
  },
}
const singleValuedRows: Row[] = [
  {
    doc: DOC.singleExamples,
    name: 'production on default1',
    condition: ECS,
    context: {
      'aws:RequestTag/environment': 'production',
      'ecs:cluster': 'arn:aws:ecs:us-east-1:111122223333:cluster/default1',
    },
    match: true,
  },
  {
    doc: DOC.singleExamples,
    name: 'prod-backup on default2',
    condition: ECS,
    context: {
      'aws:RequestTag/environment': 'prod-backup',
      'ecs:cluster': 'arn:aws:ecs:us-east-1:111122223333:cluster/default2',
    },
    match: true,
  },
  {
    doc: DOC.singleExamples,
    name: 'a webserver tag instead of environment',
    condition: ECS,
    context: {
      'aws:RequestTag/webserver': 'production',
      'ecs:cluster': 'arn:aws:ecs:us-east-1:111122223333:cluster/default2',
    },
    match: false,
  },
  {
    doc: DOC.singleExamples,
    name: 'no aws:RequestTag',
    condition: ECS,
    context: { 'ecs:cluster': 'arn:aws:ecs:us-east-1:111122223333:cluster/default2' },
    match: false,
  },
  {
    doc: DOC.singleExamples,
    name: 'StringNotEquals environment production: QA resource',
    condition: { StringNotEquals: { 'aws:ResourceTag/environment': 'production' } },
    context: { 'aws:ResourceTag/environment': 'QA' },
    match: true,
  },
  {
    doc: DOC.singleExamples,
    name: 'StringLike "*" requires the project tag to be present',
    condition: { StringLike: { 'aws:RequestTag/project': '*' } },
    context: {},
    match: false,
  },
]

const KEY1 = { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } }
const KEY12 = { 'ForAllValues:StringNotLike': { 'aws:TagKeys': ['key1*', 'key2*'] } }
const WEBSERVER = { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'webserver' } }
const DELETE_TAGS_ALL = {
  'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] },
  Null: { 'aws:TagKeys': 'false' },
}
const DELETE_TAGS_ANY = { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } }
const ATTRS_ALL = { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['PostDateTime', 'Message', 'Tags'] } }
const ATTRS_ANY = { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['ID', 'PostDateTime'] } }
const setRows: Row[] = [
  {
    doc: DOC.multiExamples,
    name: 'ForAllValues:StringNotLike key1*: key1:legal',
    condition: KEY1,
    context: { 'aws:TagKeys': ['key1:legal'] },
    match: false,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAllValues:StringNotLike key1*: key1:hr, key1:personnel',
    condition: KEY1,
    context: { 'aws:TagKeys': ['key1:hr', 'key1:personnel'] },
    match: false,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAllValues:StringNotLike key1*: key2:audit',
    condition: KEY1,
    context: { 'aws:TagKeys': ['key2:audit'] },
    match: true,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAllValues:StringNotLike key1*: no aws:TagKeys',
    condition: KEY1,
    context: {},
    match: true,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAllValues:StringNotLike [key1*, key2*]: key1:legal',
    condition: KEY12,
    context: { 'aws:TagKeys': ['key1:legal'] },
    match: false,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAllValues:StringNotLike [key1*, key2*]: key1:hr, key1:personnel',
    condition: KEY12,
    context: { 'aws:TagKeys': ['key1:hr', 'key1:personnel'] },
    match: false,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAllValues:StringNotLike [key1*, key2*]: key1:hr, key2:audit',
    condition: KEY12,
    context: { 'aws:TagKeys': ['key1:hr', 'key2:audit'] },
    match: false,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAllValues:StringNotLike [key1*, key2*]: key3:legal',
    condition: KEY12,
    context: { 'aws:TagKeys': ['key3:legal'] },
    match: true,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAllValues:StringNotLike [key1*, key2*]: no aws:TagKeys',
    condition: KEY12,
    context: {},
    match: true,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAnyValue:StringEquals webserver: webserver',
    condition: WEBSERVER,
    context: { 'aws:TagKeys': ['webserver'] },
    match: true,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAnyValue:StringEquals webserver: environment, webserver, test',
    condition: WEBSERVER,
    context: { 'aws:TagKeys': ['environment', 'webserver', 'test'] },
    match: true,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAnyValue:StringEquals webserver: environment, test',
    condition: WEBSERVER,
    context: { 'aws:TagKeys': ['environment', 'test'] },
    match: false,
  },
  {
    doc: DOC.multiExamples,
    name: 'ForAnyValue:StringEquals webserver: no aws:TagKeys',
    condition: WEBSERVER,
    context: {},
    match: false,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAllValues + Null false: environment',
    condition: DELETE_TAGS_ALL,
    context: { 'aws:TagKeys': ['environment'] },
    match: true,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAllValues + Null false: cost-center',
    condition: DELETE_TAGS_ALL,
    context: { 'aws:TagKeys': ['cost-center'] },
    match: true,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAllValues + Null false: environment, cost-center',
    condition: DELETE_TAGS_ALL,
    context: { 'aws:TagKeys': ['environment', 'cost-center'] },
    match: true,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAllValues + Null false: environment, dept',
    condition: DELETE_TAGS_ALL,
    context: { 'aws:TagKeys': ['environment', 'dept'] },
    match: false,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAllValues + Null false: no aws:TagKeys',
    condition: DELETE_TAGS_ALL,
    context: {},
    match: false,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAllValues alone: no aws:TagKeys is a match',
    condition: { 'ForAllValues:StringEquals': DELETE_TAGS_ALL['ForAllValues:StringEquals'] },
    context: {},
    match: true,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue: environment',
    condition: DELETE_TAGS_ANY,
    context: { 'aws:TagKeys': ['environment'] },
    match: true,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue: cost-center',
    condition: DELETE_TAGS_ANY,
    context: { 'aws:TagKeys': ['cost-center'] },
    match: true,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue: environment, cost-center',
    condition: DELETE_TAGS_ANY,
    context: { 'aws:TagKeys': ['environment', 'cost-center'] },
    match: true,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue: environment, dept',
    condition: DELETE_TAGS_ANY,
    context: { 'aws:TagKeys': ['environment', 'dept'] },
    match: true,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue: dept',
    condition: DELETE_TAGS_ANY,
    context: { 'aws:TagKeys': ['dept'] },
    match: false,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue: no aws:TagKeys',
    condition: DELETE_TAGS_ANY,
    context: {},
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'ForAllValues: PostDateTime and UserName are not all allowed',
    condition: ATTRS_ALL,
    context: { 'dynamodb:Attributes': ['PostDateTime', 'UserName'] },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'ForAllValues: Message and Tags are all allowed',
    condition: ATTRS_ALL,
    context: { 'dynamodb:Attributes': ['Message', 'Tags'] },
    match: true,
  },
  {
    doc: DOC.multiValue,
    name: 'ForAllValues: an empty list of values is a match',
    condition: ATTRS_ALL,
    context: { 'dynamodb:Attributes': [] },
    match: true,
  },
  {
    doc: DOC.multiValue,
    name: 'ForAllValues: an empty string is a null data set, a match',
    condition: ATTRS_ALL,
    context: { 'dynamodb:Attributes': '' },
    match: true,
  },
  {
    doc: DOC.multiValue,
    name: 'ForAnyValue: UserName, Message, PostDateTime hits PostDateTime',
    condition: ATTRS_ANY,
    context: { 'dynamodb:Attributes': ['UserName', 'Message', 'PostDateTime'] },
    match: true,
  },
  {
    doc: DOC.multiValue,
    name: 'ForAnyValue: UserName alone',
    condition: ATTRS_ANY,
    context: { 'dynamodb:Attributes': ['UserName'] },
    match: false,
  },
  {
    doc: DOC.multiValue,
    name: 'ForAnyValue: an empty list of values is no match',
    condition: ATTRS_ANY,
    context: { 'dynamodb:Attributes': [] },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'ForAllValues:StringNotEquals: none of the request values may be listed',
    condition: { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['a', 'b'] } },
    context: { 'aws:TagKeys': ['c', 'b'] },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'ForAnyValue:StringNotEquals: one request value not listed is enough',
    condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a', 'b'] } },
    context: { 'aws:TagKeys': ['c', 'b'] },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'ForAnyValue:StringNotEquals: every request value listed',
    condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a', 'b'] } },
    context: { 'aws:TagKeys': ['a', 'b'] },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'ForAllValues:Bool over an array of booleans',
    condition: { 'ForAllValues:Bool': { 'svc:flags': 'true' } },
    context: { 'svc:flags': ['true', 'false'] },
    match: false,
  },
  {
    doc: DOC.operators,
    name: 'ForAnyValue:Bool over an array of booleans',
    condition: { 'ForAnyValue:Bool': { 'svc:flags': 'true' } },
    context: { 'svc:flags': ['true', 'false'] },
    match: true,
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue:StringLikeIfExists with the key absent is true',
    condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'env*' } },
    context: {},
    match: true,
  },
]

describe.each([
  ['condition operators', operatorRows],
  ['absent keys', missingKeyRows],
  ['condition key names and value case', keyNameRows],
  ['several keys and values (AND / OR / NOR)', multiKeyRows],
  ['single-valued context keys', singleValuedRows],
  ['set operators on multivalued context keys', setRows],
])('conditions: %s', (_, rows) => {
  it.each(rows)('$name — $doc', ({ condition, context, match }) => {
    expect(conditionMatches(condition, context)).toBe(match)
  })
})

describe('context values from untyped callers', () => {
  it('reads numbers and booleans as their JSON text', () => {
    const context = { 'aws:SecureTransport': false, 's3:max-keys': 7 } as unknown as RequestContext
    expect(
      conditionMatches({ Bool: { 'aws:SecureTransport': 'false' }, NumericLessThan: { 's3:max-keys': '10' } }, context),
    ).toBe(true)
  })
})
