import { describe, expect, it } from 'vitest'
import { baselineCatalogue } from '../../lib/catalogue/baseline-catalogue'
import { catalogueFromData } from '../../lib/catalogue/catalogue-from-data'

const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference'
const ACTION_ELEMENT = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html'
const catalogue = baselineCatalogue()

describe('expand', () => {
  it.each([
    // [doc, pattern, must include, must not include]
    [
      ACTION_ELEMENT,
      's3:GetObject*',
      ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging'],
      ['s3:GetBucketAcl', 's3:PutObject'],
    ],
    [ACTION_ELEMENT, 'S3:getobject*', ['s3:GetObject', 's3:GetObjectVersion'], ['s3:GetBucketAcl']],
    [ACTION_ELEMENT, 's3:List*', ['s3:ListBucket', 's3:ListAllMyBuckets', 's3:ListBucketVersions'], ['s3:GetObject']],
    [
      `${SAR}/list_awskeymanagementservice.html`,
      'kms:GenerateDataKey*',
      [
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyPair',
        'kms:GenerateDataKeyPairWithoutPlaintext',
        'kms:GenerateDataKeyWithoutPlaintext',
      ],
      ['kms:Decrypt'],
    ],
    [ACTION_ELEMENT, 's3:Get?bject', ['s3:GetObject'], ['s3:GetObjectAcl']],
    [ACTION_ELEMENT, 'sq*:SendMessage', ['sqs:SendMessage'], ['sqs:ReceiveMessage']],
  ])('%s: %s', (_doc, pattern, included, excluded) => {
    const actions = catalogue.expand(pattern)
    expect(actions).toEqual(expect.arrayContaining(included))
    for (const action of excluded) expect(actions).not.toContain(action)
  })

  it.each([
    [ACTION_ELEMENT, 'kms:GenerateDataKey*', 4],
    [ACTION_ELEMENT, 'sqs:NoSuchThing*', 0],
    [ACTION_ELEMENT, 'secretsmanager:*', 0], // not a baseline service: the subset does not know it
    [ACTION_ELEMENT, 'no-colon', 0],
  ])('%s: %s expands to %i actions', (_doc, pattern, count) => {
    expect(catalogue.expand(pattern)).toHaveLength(count)
  })
})

describe('canonical and hasAction', () => {
  it.each([
    [ACTION_ELEMENT, 'S3:getobject', 's3:GetObject'],
    [`${SAR}/list_amazoncloudwatchlogs.html`, 'LOGS:putlogevents', 'logs:PutLogEvents'],
    [`${SAR}/list_amazonmanagedworkflowsforapacheairflow.html`, 'airflow:publishmetrics', 'airflow:PublishMetrics'],
    [ACTION_ELEMENT, 's3:GetObject*', undefined],
    [ACTION_ELEMENT, 's3:NotAnAction', undefined],
  ])('%s: %s -> %s', (_doc, input, expected) => {
    expect(catalogue.canonical(input)).toBe(expected)
    expect(catalogue.hasAction(input)).toBe(expected !== undefined)
  })
})

describe('resourceTypes', () => {
  it.each([
    [`${SAR}/list_amazoncloudwatchlogs.html`, 'logs:PutLogEvents', ['log-stream']],
    [`${SAR}/list_amazoncloudwatchlogs.html`, 'logs:CreateLogGroup', ['log-group']],
    [`${SAR}/list_amazoncloudwatchlogs.html`, 'logs:DescribeLogGroups', []],
    [`${SAR}/list_amazons3.html`, 's3:ListAllMyBuckets', []],
    [`${SAR}/list_amazons3.html`, 's3:ListBucket', ['accesspoint', 'bucket']],
    [`${SAR}/list_amazons3.html`, 's3:GetObject', ['accesspointobject', 'object']],
    [`${SAR}/list_amazonsqs.html`, 'sqs:sendmessage', ['queue']],
    [`${SAR}/list_amazons3.html`, 's3:Nope', undefined],
  ])('%s: %s', (_doc, action, expected) => {
    expect(catalogue.resourceTypes(action)).toEqual(expected)
  })
})

describe('suggest', () => {
  it.each([
    [ACTION_ELEMENT, 'kms:Decryp', 'kms:Decrypt'],
    [ACTION_ELEMENT, 'sqs:RecieveMessage', 'sqs:ReceiveMessage'],
    [ACTION_ELEMENT, 's4:GetObject', 's3:GetObject'],
    [ACTION_ELEMENT, 'logs:putlogevent', 'logs:PutLogEvents'],
    [ACTION_ELEMENT, 'kms:SomethingElseEntirely', undefined],
    [ACTION_ELEMENT, 'nosuchservice:GetObject', undefined],
  ])('%s: %s -> %s', (_doc, typo, expected) => {
    expect(catalogue.suggest(typo)).toBe(expected)
  })
})

describe('appliesTo (resource types from ARN formats)', () => {
  const S3 = `${SAR}/list_amazons3.html#amazons3-resources-for-iam-policies`
  const LOGS = `${SAR}/list_amazoncloudwatchlogs.html#amazoncloudwatchlogs-resources-for-iam-policies`
  it.each([
    [S3, 's3:ListBucket', 'arn:aws:s3:::my-bucket', true],
    [S3, 's3:ListBucket', 'arn:aws:s3:::my-bucket/dags/*', false],
    [S3, 's3:GetObject', 'arn:aws:s3:::my-bucket/dags/*', true],
    [S3, 's3:GetObject', 'arn:aws:s3:::my-bucket', false],
    [S3, 's3:GetObject', 'arn:aws:s3:::my-bucket*', true], // the wildcard reaches the bucket's objects
    [S3, 's3:ListAllMyBuckets', 'arn:aws:s3:::my-bucket', false],
    [S3, 's3:ListAllMyBuckets', '*', true],
    [S3, 's3:GetObject', 'arn:aws:sqs:us-east-1:111122223333:queue', false],
    [LOGS, 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:111122223333:log-group:airflow-env-Task:log-stream:*', true],
    [LOGS, 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:111122223333:log-group:airflow-env-*', true],
    [LOGS, 'logs:CreateLogGroup', 'arn:aws:logs:us-east-1:111122223333:log-group:airflow-env-Task:log-stream:*', false],
    [LOGS, 'logs:CreateLogGroup', 'arn:aws:logs:us-east-1:111122223333:log-group:airflow-env-Task', true],
    [`${SAR}/list_awssecuritytokenservice.html`, 'sts:AssumeRole', 'arn:aws:iam::111122223333:role/x', true],
  ])('%s: %s on %s -> %s', (_doc, action, resource, expected) => {
    expect(catalogue.appliesTo(action, resource)).toBe(expected)
  })
})

describe('catalogueFromData', () => {
  const tiny = catalogueFromData({ Demo: { DoThing: ['thing'], ListThings: [] } })
  it.each([
    [ACTION_ELEMENT, 'demo:dothing', 'demo:DoThing'],
    [ACTION_ELEMENT, 'DEMO:ListThings', 'demo:ListThings'],
  ])('%s: service prefixes and names are case-insensitive (%s)', (_doc, input, expected) => {
    expect(tiny.canonical(input)).toBe(expected)
    expect(tiny.services()).toEqual(['demo'])
  })

  it('without ARN formats, a resource of its own service is not dropped (cannot tell its type)', () => {
    expect(tiny.appliesTo('demo:DoThing', 'arn:aws:demo:us-east-1:111122223333:thing/1')).toBe(true)
    expect(tiny.appliesTo('demo:ListThings', 'arn:aws:demo:us-east-1:111122223333:thing/1')).toBe(false)
  })
})
