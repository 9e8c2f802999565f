/** mergeCatalogues: the Lambda's shipped subset plus a compiled extras slice. */
import { describe, expect, it } from 'vitest'
import { baselineCatalogue, baselineCatalogueData } from '../../lib/catalogue/baseline-catalogue'
import { mergeCatalogues } from '../../lib/catalogue/merge'
import { sliceCatalogue } from '../../lib/catalogue/slice'
import { readIamData } from '../../lib/catalogue/load-full'
import { compileBaselines, firstGrantBeyond } from '../../lib/drift/within-baseline'
import { deriveBaseline } from '../../lib/baseline/derive-baseline'
import { sample } from '../baseline/corpus'

const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference'
const ACTION_ELEMENT = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html'
const full = readIamData()
const SECRET = 'arn:${Partition}:secretsmanager:${Region}:${Account}:secret:airflow/*'
const slice = sliceCatalogue(
  full,
  ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 's3:PutObject'],
  [SECRET, 'arn:aws:s3:::landing/*'],
)
const merged = mergeCatalogues(baselineCatalogueData(), slice)

describe('mergeCatalogues', () => {
  it.each([
    [`${SAR}/list_awssecretsmanager.html`, 'secretsmanager:getsecretvalue', 'secretsmanager:GetSecretValue'],
    [`${SAR}/list_amazons3.html`, 's3:putobject', 's3:PutObject'],
    [`${SAR}/list_amazonsqs.html`, 'sqs:sendmessage', 'sqs:SendMessage'],
  ])('%s: knows %s from either side', (_doc, action, canonical) => {
    expect(merged.canonical(action)).toBe(canonical)
  })

  it(`keeps every action of the shipped services: s3:GetObject* expands as in the subset (${ACTION_ELEMENT})`, () => {
    expect(merged.expand('s3:GetObject*')).toEqual(baselineCatalogue().expand('s3:GetObject*'))
    expect(merged.expand('s3:*')).toEqual(baselineCatalogue().expand('s3:*'))
  })

  it(`resource types come with the slice: GetSecretValue applies to a secret, not to a bucket (${SAR}/list_awssecretsmanager.html)`, () => {
    expect(
      merged.appliesTo(
        'secretsmanager:GetSecretValue',
        'arn:aws:secretsmanager:us-east-1:111122223333:secret:airflow/conn-x',
      ),
    ).toBe(true)
    expect(merged.appliesTo('secretsmanager:GetSecretValue', 'arn:aws:s3:::landing/*')).toBe(false)
  })

  it.each([['secretsmanager:*'], ['secretsmanager:Get*'], ['secrets*:GetSecretValue'], ['*']])(
    `a wildcard reaching a service known only by a slice expands to nothing, not to the slice (%s; ${ACTION_ELEMENT})`,
    (pattern) => {
      expect(merged.expand(pattern)).toEqual([])
    },
  )

  it('so a heal never re-attaches a detached policy granting a whole sliced service: "secretsmanager:*" is beyond the baseline', () => {
    // The baseline grants GetSecretValue and DescribeSecret on every resource; secretsmanager:* also grants DeleteSecret.
    const environment = sample('custodian-1')
    const baseline = deriveBaseline(environment, {
      catalogue: merged,
      extras: [
        {
          sid: 'Secrets',
          field: 'environments.*[0]',
          origin: 'x',
          actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          statement: {
            Sid: 'Secrets',
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: '*',
          },
        },
      ],
    })
    const scope = compileBaselines([baseline])
    const detached = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow' as const, Action: 'secretsmanager:*', Resource: '*' }],
    }
    expect(firstGrantBeyond(detached, scope, merged)).toBe('action secretsmanager:*')
    const exact = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow' as const, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    }
    expect(firstGrantBeyond(exact, scope, merged)).toBeUndefined()
  })

  it('the slice wins on a clash (it validated the extras)', () => {
    const base = {
      actions: { demo: { Read: ['thing'] } },
      arnFormats: { demo: { thing: 'arn:${Partition}:demo:::${Name}' } },
    }
    const mine = {
      actions: { demo: { Read: ['thing', 'other'] } },
      arnFormats: { demo: { other: 'arn:${Partition}:demo:::other/${Name}' } },
    }
    const both = mergeCatalogues(base, mine)
    expect(both.resourceTypes('demo:Read')).toEqual(['thing', 'other'])
    expect(both.arnFormat('demo', 'thing')).toBe('arn:${Partition}:demo:::${Name}')
    expect(both.arnFormat('demo', 'other')).toBe('arn:${Partition}:demo:::other/${Name}')
    expect(both.expand('demo:*')).toEqual(['demo:Read'])
  })
})
