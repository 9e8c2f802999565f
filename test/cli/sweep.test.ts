/**
 * `mwaa-role-guard sweep`: what it prints and how it exits, over a stand-in for the Lambda handler (the real one runs
 * in test/integration/sweep.integration.test.ts): 0 when nothing failed, 1 when the sweep failed (the summary is still
 * printed) or could not run, 2 for a bad environment variable.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { InputError } from '../../lib/input-error'
import { SweepFailedError } from '../../lib/reconcile/sweep-failed'
import type { SweepSummary } from '../../lib/reconcile/sweep-summary'
import { run } from './support'

const outcome = vi.hoisted(() => ({ next: undefined as unknown as () => Promise<unknown> }))
vi.mock('../../lib/lambda/sweep', () => ({
  createSweepHandler: () => () => outcome.next(),
}))

function summary(overrides: Partial<SweepSummary['totals']> = {}, extra: Partial<SweepSummary> = {}): SweepSummary {
  const totals = {
    environments: 3,
    documentsRead: 3,
    roles: 3,
    healthy: 1,
    drifted: 2,
    healed: 1,
    skipped: 0,
    failed: 0,
    notReached: 0,
    calls: 57,
    throttled: 2,
    seconds: 1.4,
    ...overrides,
  }
  return {
    status: 'swept',
    totals,
    environments: totals.environments,
    roles: [
      { role: 'fine', environments: ['a'], result: 'healthy', findings: 0, writes: [], blocked: 0, alerted: false },
      {
        role: 'healed',
        environments: ['b'],
        result: 'healed',
        findings: 6,
        writes: ['put-inline-policy'],
        blocked: 0,
        alerted: true,
      },
      { role: 'reported', environments: ['c'], result: 'reported', findings: 2, writes: [], blocked: 0, alerted: true },
    ],
    offDrifted: [],
    failures: [],
    notReached: [],
    ...extra,
  }
}

beforeEach(() => {
  outcome.next = async () => summary()
})

describe('mwaa-role-guard sweep', () => {
  it('prints the totals and every role that is not healthy; exit 0', async () => {
    const { code, out } = await run('sweep')
    expect(code).toBe(0)
    expect(out.split('\n')).toEqual([
      'sweep: 3 execution role(s) in 3 environment(s), 1.4 s',
      '  healthy 1, drifted 2, healed 1, skipped 0, failed 0, not reached 0',
      '  AWS calls 57, throttled 2; documents beyond the role read for 3 environment(s)',
      'roles:',
      '  healed: healed (6 missing; put-inline-policy)',
      '  reported: reported (2 missing)',
    ])
  })

  it('without STATE_TABLE the summary says the sweep had no memory', async () => {
    outcome.next = async () => summary({}, { memory: 'off' })
    const { out } = await run('sweep')
    expect(out.split('\n')[3]).toBe('  memory off (STATE_TABLE unset): no reminders, no resolved notices, no history')
  })

  it('--json prints the whole summary', async () => {
    const { code, out } = await run('sweep', '--json')
    expect(code).toBe(0)
    expect(JSON.parse(out)).toEqual(summary())
  })

  it('a failed sweep: the summary with what failed, was not read or not reached; exit 1', async () => {
    const failed = summary(
      { failed: 2, notReached: 1 },
      {
        roles: [
          {
            role: 'r1',
            environments: ['a'],
            result: 'failed',
            findings: 0,
            writes: [],
            blocked: 0,
            alerted: false,
            error: 'Throttling: Rate exceeded; after 3 attempt(s)',
          },
        ],
        failures: [
          { subject: 'environment e in us-east-1 (GetEnvironment)', error: 'AccessDenied: no', throttled: false },
        ],
        notReached: ['r9'],
        bulkReadError: 'Throttling: Rate exceeded',
        extrasSkipped: 'SSM parameter /x: ParameterNotFound',
      },
    )
    outcome.next = async () => {
      throw new SweepFailedError(failed)
    }
    const { code, out } = await run('sweep')
    expect(code).toBe(1)
    expect(out).toContain('  bulk IAM read failed (Throttling: Rate exceeded): every role was read live')
    expect(out).toContain('  extras not checked: SSM parameter /x: ParameterNotFound')
    expect(out).toContain('  r1: failed (Throttling: Rate exceeded; after 3 attempt(s))')
    expect(out).toContain('could not read:\n  environment e in us-east-1 (GetEnvironment): AccessDenied: no')
    expect(out).toContain('not reached (no time left): r9')
  })

  it('a sweep that could not run at all: one line, exit 1', async () => {
    outcome.next = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      })
    }
    const { code, out, err } = await run('sweep')
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err).toBe(
      'mwaa-role-guard sweep: failed: CredentialsProviderError: Could not load credentials from any providers',
    )
  })

  it('a bad environment variable: exit 2 naming it', async () => {
    outcome.next = async () => {
      throw new InputError('environment', 'MWAA_REGIONS', 'expected region names like us-east-1')
    }
    const { code, err } = await run('sweep')
    expect(code).toBe(2)
    expect(err).toMatch(/^mwaa-role-guard sweep: environment: MWAA_REGIONS: expected region names like us-east-1/)
  })

  it('an unknown flag is a usage error (exit 2)', async () => {
    const { code, err } = await run('sweep', '--fast')
    expect(code).toBe(2)
    expect(err).toMatch(/^mwaa-role-guard sweep: Unknown option '--fast'/)
  })
})
