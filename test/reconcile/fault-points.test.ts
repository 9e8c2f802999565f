/**
 * The outcome of each fault on the event path, per fault point and per kind of error, for the reconcile worker (the
 * SQS batch) and the CLI's handle: a retryable error (IAM Throttling, a 5xx, a reset connection) comes back later and
 * is never alerted before the last receive; a permanent one (AccessDenied, IAM's quota, a malformed document) is one
 * alert and is not retried; on the queue's last receive a retryable one is reported too. Errors are the SDK's own
 * exception classes, as the IAM client throws them (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
 */
import { IAMServiceException, LimitExceededException, MalformedPolicyDocumentException } from '@aws-sdk/client-iam'
import type { Context, SQSRecord } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { reconcileBatch, retryDelaySeconds } from '../../lib/reconcile/batch'
import { handleEvent } from '../../lib/reconcile/handle-event'
import { healthyWorld, iamEvent } from './fakes'

const COMMON_ERRORS = 'https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html'
const PUT_ROLE_POLICY = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html'
const iamError = (name: string, status: number) =>
  new IAMServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} (test)`,
  })

const ERRORS = {
  throttling: () => iamError('Throttling', 400),
  serverError: () => iamError('ServiceFailureException', 500),
  connectionReset: () => Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' }),
  accessDenied: () => iamError('AccessDenied', 403),
  quota: () =>
    new LimitExceededException({ $metadata: { httpStatusCode: 409 }, message: 'Cannot exceed quota for PolicySize' }),
  malformed: () =>
    new MalformedPolicyDocumentException({ $metadata: { httpStatusCode: 400 }, message: 'Syntax errors in policy' }),
} as const
type ErrorKind = keyof typeof ERRORS
const RETRYABLE: Record<ErrorKind, boolean> = {
  throttling: true,
  serverError: true,
  connectionReset: true,
  accessDenied: false,
  quota: false,
  malformed: false,
}

/** Where the fault is injected: the first role read, the MWAA description, the heal write, the verifying re-read. */
type FaultPoint = 'read' | 'describe' | 'write' | 'verify'

/** A heal-mode role missing its SQS statement (the corpus environment), with `kind` thrown at `point`. */
function faultyWorld(point: FaultPoint, kind: ErrorKind) {
  const world = healthyWorld()
  const role = [...world.roles.values()][0]!
  role.tags = { 'mwaa-role-guard:mode': 'heal' }
  const doc = role.inlinePolicies[0]!.document
  role.inlinePolicies[0]!.document = {
    ...doc,
    Statement: (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).filter((s) => s.Sid !== 'CeleryQueue'),
  }
  const iam = world.deps.iam
  let reads = 0
  let wrote = false
  world.deps.iam = {
    ...iam,
    readRole: async (name) => {
      reads++
      if ((point === 'read' && reads === 1) || (point === 'verify' && wrote)) throw ERRORS[kind]()
      return iam.readRole(name)
    },
    putRolePolicy: async (name, policy, document) => {
      if (point === 'write') throw ERRORS[kind]()
      await iam.putRolePolicy(name, policy, document)
      wrote = true
    },
  }
  const mwaa = world.deps.mwaa
  world.deps.mwaa = {
    ...mwaa,
    getEnvironment: async (name, region) => {
      if (point === 'describe') throw ERRORS[kind]()
      return mwaa.getEnvironment(name, region)
    },
  }
  const delayed: Array<{ handles: readonly string[]; seconds: number }> = []
  world.deps.queue = {
    send: async () => undefined,
    delay: async (handles, seconds) => void delayed.push({ handles, seconds }),
  }
  return { world, role, delayed }
}

/** The SQS record the ingest function sent for the event, received for the `receive`-th time. */
function recordOf(roleName: string, event: unknown, receive: number): SQSRecord {
  return {
    messageId: 'm-1',
    receiptHandle: `h-${receive}`,
    body: JSON.stringify({ v: 1, role: roleName, event }),
    attributes: {
      ApproximateReceiveCount: String(receive),
      SentTimestamp: '1764324000000',
      SenderId: 'AROA',
      ApproximateFirstReceiveTimestamp: '1764324000000',
      MessageGroupId: `role#${roleName.toLowerCase()}`,
      SequenceNumber: '1',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:644160558196:reconcile.fifo',
    awsRegion: 'us-east-1',
  }
}

const context = { getRemainingTimeInMillis: () => 120_000 } as unknown as Context
const POINTS: FaultPoint[] = ['read', 'describe', 'write', 'verify']
const cases = POINTS.flatMap((point) => (Object.keys(ERRORS) as ErrorKind[]).map((kind) => [point, kind] as const))

describe(`the worker: a fault on a receive before the last (${COMMON_ERRORS})`, () => {
  it.each(cases)('%s fails with %s', async (point, kind) => {
    const { world, role, delayed } = faultyWorld(point, kind)
    const event = iamEvent('PutRolePolicy', { roleName: role.name, policyName: 'mwaa' })
    const { response, results } = await reconcileBatch([recordOf(role.name, event, 1)], world.deps, context)
    const result = results.at(-1)!
    if (RETRYABLE[kind]) {
      // Comes back later, untold: SQS returns the message after the back-off the worker set.
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }])
      expect(delayed).toEqual([{ handles: ['h-1'], seconds: 30 }])
      expect(result).toMatchObject({ result: 'failed', retryable: true, tries: 1, retryInSeconds: 30 })
      expect(world.alerts).toEqual([])
    } else {
      // Told once, not retried: the message is deleted.
      expect(response.batchItemFailures).toEqual([])
      expect(delayed).toEqual([])
      expect(result).toMatchObject({ result: 'failed', retryable: false })
      expect(world.alerts).toHaveLength(1)
      // A refused heal write is the drift notice with outcome failed; a refused read, "not checked".
      expect(world.alerts[0]).toMatchObject(
        point === 'write' ? { kind: 'drift', outcome: 'failed' } : { kind: 'reconcile-failed', outcome: 'failed' },
      )
    }
    // A write IAM refused is not made; a write that landed before the failed re-read is never made again here.
    expect(world.writes).toHaveLength(point === 'verify' ? 1 : 0)
  })
})

describe('the worker: the last receive (RECONCILE_MAX_RECEIVES, default 10)', () => {
  it.each(POINTS)(
    '%s still throttled: reported once ("not checked" after 10 tries), the message deleted',
    async (point) => {
      const { world, role, delayed } = faultyWorld(point, 'throttling')
      const event = iamEvent('PutRolePolicy', { roleName: role.name, policyName: 'mwaa' })
      const { response, results } = await reconcileBatch([recordOf(role.name, event, 10)], world.deps, context)
      expect(response.batchItemFailures).toEqual([])
      expect(delayed).toEqual([])
      expect(results.at(-1)).toMatchObject({ result: 'failed', retryable: true, tries: 10, alerted: true })
      expect(world.alerts).toMatchObject([
        { kind: 'reconcile-failed', failure: { retryable: true, tries: 10 }, role: { name: role.name } },
      ])
    },
  )

  it('an alert that cannot be sent either is thrown: the message goes on to the dead-letter queue (its alarm)', async () => {
    const { world, role } = faultyWorld('read', 'accessDenied')
    world.deps.notify = async () => {
      throw iamError('Throttling', 400)
    }
    const event = iamEvent('PutRolePolicy', { roleName: role.name, policyName: 'mwaa' })
    const { response } = await reconcileBatch([recordOf(role.name, event, 10)], world.deps, context)
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }])
  })

  it('a role not started with less than 30 s of the invocation left comes back at once', async () => {
    const { world, role, delayed } = faultyWorld('read', 'throttling')
    const event = iamEvent('PutRolePolicy', { roleName: role.name, policyName: 'mwaa' })
    const late = { getRemainingTimeInMillis: () => 20_000 } as unknown as Context
    const { response } = await reconcileBatch([recordOf(role.name, event, 1)], world.deps, late)
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }])
    expect(delayed).toEqual([{ handles: ['h-1'], seconds: 1 }])
    expect(world.writes).toEqual([])
  })

  it('a retryable failure comes back after 30 s, doubling per receive, at most 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 480, 900, 900])
  })
})

describe(`handle (the CLI): the same classification in its summary (${PUT_ROLE_POLICY})`, () => {
  it.each(cases)('%s fails with %s', async (point, kind) => {
    const { world, role } = faultyWorld(point, kind)
    const summary = await handleEvent(
      iamEvent('PutRolePolicy', { roleName: role.name, policyName: 'mwaa' }),
      world.deps,
    )
    expect(summary.roles.at(-1)).toMatchObject({ result: 'failed', retryable: RETRYABLE[kind] })
    // A retryable failure is the person's to run again (exit 75); a permanent one is alerted as the worker alerts it.
    expect(world.alerts).toHaveLength(RETRYABLE[kind] ? 0 : 1)
  })
})
