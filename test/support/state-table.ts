/**
 * The state table on moto, created from its one definition: the StateTable resource of serverless.yml (key schema,
 * index, billing mode, TTL, point-in-time recovery, encryption), read with CloudFormation's short-form tags.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html
 */
import { readFileSync } from 'node:fs'
import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { parse, type Tags } from 'yaml'

type TableProperties = Omit<CreateTableCommandInput, 'TableName' | 'SSESpecification'> & {
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean }
  PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: boolean }
  SSESpecification?: { SSEEnabled: boolean }
}

/** CloudFormation's short forms (!Ref, !Sub ...) as plain `{ "Fn::X": value }` objects: enough to read the table. */
const cfnTags: Tags = [
  'Ref',
  'Sub',
  'GetAtt',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Join',
  'Select',
  'Split',
  'Condition',
].flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`
  return (['scalar', 'seq', 'map'] as const).map((nodeClass) => ({
    tag: `!${name}`,
    collection: nodeClass === 'scalar' ? undefined : nodeClass,
    resolve: (value: unknown) => ({
      [key]:
        value && typeof value === 'object' && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value,
    }),
  })) as Tags
})

/**
 * A resource's Properties as written in serverless.yml (intrinsics left as `{ "Fn::X": ... }` objects), with a value
 * that is exactly `${self:custom.NAME}` replaced by that custom value, as osls resolves it.
 */
export function resourceProperties(logicalId: string): Record<string, unknown> {
  const text = readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8')
  const doc = parse(text, { customTags: cfnTags }) as {
    custom: Record<string, unknown>
    resources: { Resources: Record<string, { Properties: Record<string, unknown> }> }
  }
  const resource = doc.resources.Resources[logicalId]
  if (!resource) throw new Error(`serverless.yml has no ${logicalId} resource`)
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const name = /^\$\{self:custom\.(\w+)\}$/.exec(value)?.[1]
      return name !== undefined && name in doc.custom ? doc.custom[name] : value
    }
    if (Array.isArray(value)) return value.map(resolve)
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]))
    return value
  }
  return resolve(resource.Properties) as Record<string, unknown>
}

/** The StateTable resource's Properties, from serverless.yml. */
export function stateTableDefinition(): TableProperties {
  return resourceProperties('StateTable') as TableProperties
}

/** Creates the table `name` on moto as the stack would, and waits until it is ACTIVE. */
export async function createStateTableOnMoto(client: DynamoDBClient, name: string): Promise<void> {
  const { TimeToLiveSpecification, PointInTimeRecoverySpecification, SSESpecification, ...create } =
    stateTableDefinition()
  await client.send(
    new CreateTableCommand({
      ...create,
      TableName: name,
      ...(SSESpecification ? { SSESpecification: { Enabled: SSESpecification.SSEEnabled } } : {}),
    }),
  )
  if (TimeToLiveSpecification)
    await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification }))
  if (PointInTimeRecoverySpecification)
    await client.send(
      new UpdateContinuousBackupsCommand({
        TableName: name,
        PointInTimeRecoverySpecification: {
          PointInTimeRecoveryEnabled: PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled,
        },
      }),
    )
  for (let i = 0; i < 50; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }))
    if (Table?.TableStatus === 'ACTIVE') return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`table ${name} did not become ACTIVE on moto`)
}
