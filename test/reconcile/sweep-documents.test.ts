/**
 * The sweep's documents beyond the role: at most SWEEP_DOCUMENT_ENVIRONMENTS environments' documents per sweep (issue
 * 8's call budget), a slice that moves between sweeps so that none is left unread for long, and a read that fails is
 * said (the sweep ends in error), not swallowed.
 */
import { describe, expect, it } from 'vitest'
import type { DocumentAdapters } from '../../lib/aws/environment-documents'
import type { MwaaEnvironment } from '../../lib/baseline/types'
import { readSweepDocuments } from '../../lib/reconcile/sweep-documents'
import type { EnvironmentIndex } from '../../lib/reconcile/types'

const ACCOUNT = '111122223333'
const SIX_HOURS = 6 * 3_600_000

function environment(n: number): MwaaEnvironment {
  const name = `env-${String(n).padStart(2, '0')}`
  return {
    Name: name,
    Arn: `arn:aws:airflow:us-east-1:${ACCOUNT}:environment/${name}`,
    ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/AmazonMWAA-${name}`,
    SourceBucketArn: `arn:aws:s3:::bucket-${name}`,
  }
}

/** Ten environments, one role each (two of them share env-00's role as well). */
function index(count = 10): Pick<EnvironmentIndex, 'roles'> {
  const located = Array.from({ length: count }, (_, n) => ({ region: 'us-east-1', environment: environment(n) }))
  return {
    roles: located.map((l, n) => ({
      roleName: `AmazonMWAA-env-${n}`,
      located: n < 2 ? [l, located[0]!] : [l],
      refused: [],
    })),
  }
}

function deps(failing: ReadonlySet<string> = new Set()) {
  const asked: string[] = []
  const documents: DocumentAdapters = {
    s3: {
      bucketPolicy: async (bucket) => {
        asked.push(bucket)
        if (failing.has(bucket)) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })
        return { kind: 'none' }
      },
      forget: () => undefined,
    },
    kms: { key: async () => ({ kind: 'none' }), forget: () => undefined },
    ec2: {
      vpcOfSubnets: async () => ({ kind: 'none' }),
      vpcEndpoints: async () => ({ kind: 'none' }),
      vpcOfEndpoint: async () => undefined,
      forgetEndpoint: () => undefined,
    },
  }
  const log = { debug() {}, info() {}, warn() {}, error() {} }
  return {
    asked,
    deps: {
      documents,
      deployment: async () => ({ partition: 'aws', accountId: ACCOUNT, regions: ['us-east-1'] }),
      log,
    },
  }
}

describe('readSweepDocuments', () => {
  it('reads the documents of at most the budget of environments, each environment once', async () => {
    const d = deps()
    const read = await readSweepDocuments(d.deps, index(), 3, Date.UTC(2026, 11, 2))
    expect(d.asked).toHaveLength(3)
    expect(new Set(d.asked).size).toBe(3)
    expect(read.read).toBe(3)
    expect([...read.documents.keys()].map((name) => `bucket-${name}`).sort()).toEqual([...d.asked].sort())
  })

  it('with a budget above the environments, reads every one, once (a shared environment is not read twice)', async () => {
    const d = deps()
    const read = await readSweepDocuments(d.deps, index(), 50, Date.UTC(2026, 11, 2))
    expect(d.asked).toHaveLength(10)
    expect(read.read).toBe(10)
  })

  it('budget 0: no document read (the role alone is checked; events still bring document changes)', async () => {
    const d = deps()
    const read = await readSweepDocuments(d.deps, index(), 0, Date.UTC(2026, 11, 2))
    expect(d.asked).toEqual([])
    expect(read.documents.size).toBe(0)
  })

  it('sweeps six hours apart cover every environment within a few times environments / budget sweeps', async () => {
    const seen = new Set<string>()
    let sweeps = 0
    for (let at = Date.UTC(2026, 11, 2); seen.size < 10 && sweeps < 12; at += SIX_HOURS, sweeps++) {
      const d = deps()
      await readSweepDocuments(d.deps, index(), 3, at)
      for (const bucket of d.asked) seen.add(bucket)
    }
    expect(seen.size).toBe(10)
    expect(sweeps).toBeLessThanOrEqual(12)
  })

  it('a read that fails is a failure of the sweep naming the environment; the others are still read', async () => {
    const d = deps(new Set(['bucket-env-03']))
    const read = await readSweepDocuments(d.deps, index(), 10, Date.UTC(2026, 11, 2))
    expect(read.read).toBe(9)
    expect(read.failures).toEqual([
      {
        subject: 'documents of environment us-east-1/env-03',
        error: expect.stringContaining('Rate exceeded'),
        throttled: true,
      },
    ])
  })
})
