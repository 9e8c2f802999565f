/**
 * The shell's side of the documents beyond the role, with in-memory adapters: which roles an event about a document
 * affects (a key named by an alias resolved first, the endpoint's VPC against the subnets' VPC, organization policies
 * only when they are read), what is forgotten, and the documents read for the environments a reconcile checks.
 */
import { describe, expect, it } from 'vitest'
import type { DocumentAdapters } from '../../lib/aws/environment-documents'
import type { MwaaEnvironment } from '../../lib/baseline/types'
import type { DocumentRead, KeyDocuments } from '../../lib/drift/resource-documents'
import { documentsFor, forgetDocument, rolesAffectedBy } from '../../lib/reconcile/documents'
import { healthyWorld } from './fakes'

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab'
const KEY = `arn:aws:kms:us-east-1:644160558196:key/${KEY_ID}`
const ALIAS = 'arn:aws:kms:us-east-1:644160558196:alias/mwaa'
const VPC = 'vpc-0123456789abcdef0'

/** Adapters that answer from fixed data and record what they were asked and told to forget. */
function fakeAdapters() {
  const asked: string[] = []
  const forgotten: string[] = []
  const key: DocumentRead<KeyDocuments> = {
    kind: 'found',
    value: { arn: KEY, state: 'Enabled', awsManaged: false, policy: { Version: '2012-10-17', Statement: [] } },
  }
  const ask = <T>(what: string, answer: T): Promise<T> => {
    asked.push(what)
    return Promise.resolve(answer)
  }
  const adapters: DocumentAdapters = {
    s3: {
      bucketPolicy: (bucket) => ask(`s3 ${bucket}`, { kind: 'none' }),
      forget: (bucket) => void forgotten.push(`bucket ${bucket}`),
    },
    kms: { key: (ref) => ask(`kms ${ref}`, key), forget: (id) => void forgotten.push(`key ${id}`) },
    ec2: {
      vpcOfSubnets: (subnets) => ask(`subnets ${subnets.join(',')}`, { kind: 'found', value: VPC }),
      vpcEndpoints: (vpc) => ask(`endpoints ${vpc}`, { kind: 'found', value: { id: vpc, endpoints: [] } }),
      vpcOfEndpoint: (id) => ask(`endpoint ${id}`, id === 'vpce-0000000000000000a' ? VPC : 'vpc-0000000000000000b'),
      forgetEndpoint: (id) => void forgotten.push(`endpoint ${id}`),
    },
  }
  return { adapters, asked, forgotten }
}

function world(environment: Partial<MwaaEnvironment>, env: Record<string, string> = {}) {
  const w = healthyWorld(env)
  Object.assign(w.environment, environment)
  const fake = fakeAdapters()
  w.deps.documents = fake.adapters
  return { ...w, ...fake }
}
const ROLE = 'TestStack-MwaaExecutionRole-J13JXICOSM01'

describe('rolesAffectedBy', () => {
  it.each([
    [
      'the environment bucket',
      { kind: 'bucket', bucket: 'teststack-environmentbucket-f4ymk3qn4gj4', region: 'us-east-1' },
      [ROLE],
    ],
    ['another bucket', { kind: 'bucket', bucket: 'other', region: 'us-east-1' }, []],
    ['its key by id', { kind: 'kms-key', keyId: KEY_ID, region: 'us-east-1' }, [ROLE]],
    [
      'an endpoint of its VPC',
      { kind: 'vpc-endpoint', endpointId: 'vpce-0000000000000000a', region: 'us-east-1' },
      [ROLE],
    ],
    [
      'an endpoint of another VPC',
      { kind: 'vpc-endpoint', endpointId: 'vpce-0000000000000000c', region: 'us-east-1' },
      [],
    ],
  ] as const)('%s', async (_why, target, roles) => {
    const w = world({ KmsKey: ALIAS, NetworkConfiguration: { SubnetIds: ['subnet-0123456789abcdef0'] } })
    expect(await rolesAffectedBy(w.deps, target)).toEqual(roles)
  })

  it('a key named by an alias is resolved by DescribeKey before it is compared', async () => {
    const w = world({ KmsKey: ALIAS })
    await rolesAffectedBy(w.deps, { kind: 'kms-key', keyId: KEY_ID, region: 'us-east-1' })
    expect(w.asked).toEqual([`kms ${ALIAS}`])
  })

  it('an organization policy: every role when SCPs and RCPs are read, none (and no read) when they are not', async () => {
    const on = world({}, { READ_ORGANIZATION_POLICIES: 'true' })
    expect(await rolesAffectedBy(on.deps, { kind: 'organization', policyId: 'p-12345678' })).toEqual([ROLE])
    const off = world({})
    expect(await rolesAffectedBy(off.deps, { kind: 'organization', policyId: 'p-12345678' })).toEqual([])
  })
})

describe('forgetDocument and documentsFor', () => {
  it('forgets exactly the document the event names', () => {
    const w = world({})
    forgetDocument(w.deps, { kind: 'bucket', bucket: 'b', region: 'us-east-1' })
    forgetDocument(w.deps, { kind: 'kms-key', keyId: KEY_ID, region: 'us-east-1' })
    forgetDocument(w.deps, { kind: 'vpc-endpoint', endpointId: 'vpce-0000000000000000a', region: 'us-east-1' })
    forgetDocument(w.deps, { kind: 'organization' })
    expect(w.forgotten).toEqual(['bucket b', `key ${KEY_ID}`, 'endpoint vpce-0000000000000000a'])
  })

  it('reads each environment bucket, key and VPC endpoints; without adapters, nothing (the role alone is checked)', async () => {
    const w = world({ KmsKey: KEY, NetworkConfiguration: { SubnetIds: ['subnet-0123456789abcdef0'] } })
    const documents = await documentsFor(w.deps, [{ environment: w.environment, region: 'us-east-1' }])
    expect([...(documents?.keys() ?? [])]).toEqual([w.environment.Name])
    expect(w.asked).toEqual([
      's3 teststack-environmentbucket-f4ymk3qn4gj4',
      `kms ${KEY}`,
      'subnets subnet-0123456789abcdef0',
      `endpoints ${VPC}`,
    ])
    expect(
      await documentsFor({ ...w.deps, documents: undefined }, [{ environment: w.environment, region: 'us-east-1' }]),
    ).toBeUndefined()
  })
})
