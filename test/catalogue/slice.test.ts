/** sliceCatalogue: as exact as the full catalogue for the actions and resources it was cut for, and small. */
import { describe, expect, it } from 'vitest'
import { catalogueFromData } from '../../lib/catalogue/catalogue-from-data'
import { readIamData } from '../../lib/catalogue/load-full'
import { sliceCatalogue } from '../../lib/catalogue/slice'

const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference'
const full = readIamData()
const fullCatalogue = catalogueFromData(full.actions, full.arnFormats)

// [doc, actions, resources as an extras file writes them]
const CASES: Array<[string, string[], string[]]> = [
  [
    `${SAR}/list_amazons3.html`,
    ['s3:GetObject', 's3:ListBucket', 's3:ListAllMyBuckets'],
    ['arn:aws:s3:::landing', 'arn:aws:s3:::landing/*', 'arn:aws:s3:::bucket*', '*'],
  ],
  [
    `${SAR}/list_awsglue.html`,
    ['glue:GetTable', 'glue:GetDatabase', 'glue:StartJobRun'],
    [
      'arn:${Partition}:glue:${Region}:${Account}:catalog',
      'arn:${Partition}:glue:${Region}:${Account}:table/db/*',
      'arn:aws:glue:us-east-1:111122223333:job/${EnvironmentName}-*',
    ],
  ],
  [
    `${SAR}/list_amazonec2.html`,
    ['ec2:DescribeInstances', 'ec2:StartInstances'],
    ['arn:${Partition}:ec2:${Region}:${Account}:instance/*', 'arn:aws:s3:::not-ec2/*'],
  ],
  [
    `${SAR}/list_awssecretsmanager.html`,
    ['secretsmanager:GetSecretValue', 'secretsmanager:ListSecrets'],
    ['arn:${Partition}:secretsmanager:${Region}:${Account}:secret:airflow/*'],
  ],
]

const fill = (r: string) =>
  r
    .replaceAll('${Partition}', 'aws')
    .replaceAll('${Region}', 'eu-west-1')
    .replaceAll('${Account}', '111122223333')
    .replaceAll('${EnvironmentName}', 'my-env')

describe('sliceCatalogue', () => {
  it.each(CASES)(
    '%s: resourceTypes and appliesTo answer as the full catalogue for every action and filled resource',
    (_doc, actions, resources) => {
      const slice = sliceCatalogue(full, actions, resources)
      const cut = catalogueFromData(slice.actions, slice.arnFormats)
      for (const action of actions) {
        expect(cut.resourceTypes(action)).toEqual(fullCatalogue.resourceTypes(action))
        for (const resource of resources.map(fill)) {
          expect(cut.appliesTo(action, resource), `${action} on ${resource}`).toBe(
            fullCatalogue.appliesTo(action, resource),
          )
        }
      }
    },
  )

  it(`keeps a format a resource could reach even when no action lists its type: landing/* stays an object for ListBucket (${SAR}/list_amazons3.html)`, () => {
    // s3:ListBucket lists only bucket and accesspoint; without the object format, landing/* would be taken for a bucket.
    const slice = sliceCatalogue(full, ['s3:ListBucket'], ['arn:aws:s3:::landing/*'])
    expect(Object.keys(slice.arnFormats.s3!).sort()).toEqual(['bucket', 'object'])
    expect(
      catalogueFromData(slice.actions, slice.arnFormats).appliesTo('s3:ListBucket', 'arn:aws:s3:::landing/*'),
    ).toBe(false)
  })

  it(`a whole service does not fit an SSM parameter (glue: 300 actions), the slice does (${SAR}/list_awsglue.html)`, () => {
    const [, actions, resources] = CASES[1]!
    const slice = sliceCatalogue(full, actions, resources)
    expect(Object.keys(full.actions.glue!).length).toBeGreaterThan(200)
    expect(Object.keys(slice.actions.glue!).sort()).toEqual(['GetDatabase', 'GetTable', 'StartJobRun'])
    expect(Object.keys(slice.arnFormats.glue!).sort()).toEqual(['job', 'rootcatalog', 'table'])
    expect(JSON.stringify(slice).length).toBeLessThan(1024)
  })

  it('rejects an action the catalogue does not hold (the extras were validated with another one)', () => {
    expect(() => sliceCatalogue(full, ['glue:NoSuchAction'], [])).toThrow(/glue:NoSuchAction is not in the catalogue/)
  })
})
