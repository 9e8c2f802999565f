/**
 * The world the event fuzz runs in (test/integration/fuzz-events.integration.test.ts, `npm run fuzz`): moto (the
 * state table and the alert topic included) and the MWAA stand-in, with execution roles in every state that matters:
 *
 *   heal-healthy    tagged heal, grants everything its environment needs          -> nothing to write, ever
 *   alert-drifted   tagged alert, its dag-bucket policy deleted                   -> alerts, never a write
 *   untagged-drifted no mode tag (DEFAULT_MODE alert), its logs policy deleted    -> alerts, never a write
 *   off-drifted     tagged off, its logs policy deleted                           -> nothing, never a write
 *   heal-drifted    tagged heal, its logs policy deleted: the baseline explains it -> the one heal, then nothing
 *   gone-env        tagged heal, drifted, used only by a DELETED environment      -> never a write
 *   unused-heal     tagged heal, drifted, used by no environment (the classic escalation target) -> never a write
 *
 * and the names the aimed events take (lib's mutator aims a share of them here): every role above, the remediator's
 * own role, a role and an environment that do not exist, the environments' buckets, their managed policies and two
 * AWS managed policies.
 */
import { DeleteRolePolicyCommand } from '@aws-sdk/client-iam'
import { Sid } from '../../lib/baseline'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import type { PolicyStatement } from '../../lib/iam/types'
import type { Aim } from './event-mutator'
import { startWorld, type World } from './world'
import type { WorldEnvironment } from './environments'

/** The statements the heal-drifted role lacks: its `logs` inline policy (SPLIT_LAYOUT) holds exactly these. */
export const DRIFTED_SIDS: readonly string[] = [Sid.logs, Sid.describeLogGroups]

export type FuzzWorld = {
  world: World
  /** the role whose drift a heal may (once per drift) put right */
  healDrifted: WorldEnvironment
  /** every other role of the world: none may ever be written to */
  untouchable: Array<{ name: string; arn: string }>
  /** the restore policy a heal of heal-drifted must write: the baseline statements it lacks, no more */
  expectedRestore: PolicyStatement[]
  aim: Aim
  /** drifts heal-drifted again (its restore policy deleted, as an operator might), straight to moto */
  redrift(): Promise<void>
  stop(): Promise<void>
}

/** Starts moto (its own, whatever MOTO_ENDPOINT says) and the MWAA stand-in; builds the roles and environments above. */
export async function startFuzzWorld(options: { echoLogs?: boolean } = {}): Promise<FuzzWorld> {
  // SETTLE 0: the chain reconciles at once (handle --settle 0); the state table is on (leases, incidents, dedupe).
  // A moto of its own: 10,000 events cost about 8,000 calls, which would queue in front of the other test files'.
  const world = await startWorld({ settleSeconds: 0, echoLogs: options.echoLogs, ownMoto: true })
  try {
    const create = (name: string, mode: 'heal' | 'alert' | 'off' | undefined) =>
      world.createEnvironment({ name: `fuzz-${name}`, ...(mode ? { mode } : {}) })
    const healHealthy = await create('heal-healthy', 'heal')
    const alertDrifted = await create('alert-drifted', 'alert')
    const untaggedDrifted = await create('untagged-drifted', undefined)
    const offDrifted = await create('off-drifted', 'off')
    const healDrifted = await create('heal-drifted', 'heal')
    const goneEnv = await create('gone-env', 'heal')
    // The environment was deleted: its role is needed by nothing (GetEnvironment still answers for a while).
    world.mwaa.put({ ...goneEnv.wire, Status: 'DELETED' })
    const unused = await world.unusedRole({ name: 'fuzz-unused-heal', mode: 'heal' })

    const drop = (env: WorldEnvironment, policy: string) =>
      world.iam.send(new DeleteRolePolicyCommand({ RoleName: env.roleName, PolicyName: policy }))
    await drop(alertDrifted, 'dag-bucket')
    for (const env of [untaggedDrifted, offDrifted, healDrifted, goneEnv, unused]) await drop(env, 'logs')

    const environments = [healHealthy, alertDrifted, untaggedDrifted, offDrifted, healDrifted, goneEnv]
    const remediator = { name: world.remediatorRoleArn.split('/').at(-1)!, arn: world.remediatorRoleArn }
    const untouchable = [
      ...[healHealthy, alertDrifted, untaggedDrifted, offDrifted, goneEnv, unused].map((e) => ({
        name: e.roleName,
        arn: e.roleArn,
      })),
      remediator,
    ]
    const aim: Aim = {
      account: world.account,
      roles: [
        ...untouchable,
        // heal-drifted twice: the role the heal paths need events about
        { name: healDrifted.roleName, arn: healDrifted.roleArn },
        { name: healDrifted.roleName, arn: healDrifted.roleArn },
        { name: 'fuzz-no-such-role', arn: `arn:aws:iam::${world.account}:role/service-role/fuzz-no-such-role` },
      ],
      environments: [...environments.map((e) => e.name), 'fuzz-no-such-env'],
      buckets: environments.map((e) => e.wire.SourceBucketArn.replace('arn:aws:s3:::', '')),
      policyArns: [
        ...environments.flatMap((e) => Object.values(e.managed).map((m) => m.arn)),
        'arn:aws:iam::aws:policy/AdministratorAccess',
        'arn:aws:iam::aws:policy/AmazonS3FullAccess',
      ],
    }
    const expectedRestore = healDrifted.baseline.policy.Statement.filter((s) => DRIFTED_SIDS.includes(s.Sid ?? ''))
    return {
      world,
      healDrifted,
      untouchable,
      expectedRestore,
      aim,
      async redrift() {
        const role = await world.readRole(healDrifted.roleName)
        if (role?.inlinePolicies.some((p) => p.name === RESTORE_POLICY_NAME))
          await world.iam.send(
            new DeleteRolePolicyCommand({ RoleName: healDrifted.roleName, PolicyName: RESTORE_POLICY_NAME }),
          )
      },
      stop: () => world.stop(),
    }
  } catch (error) {
    await world.stop()
    throw error
  }
}
