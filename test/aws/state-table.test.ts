/** Error paths of the state table adapter, with a mocked client. */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { createStateTable } from '../../lib/aws/state-table'
import { emptyRecord, type HistoryEntry } from '../../lib/incidents'

const DOC = {
  transactions: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html',
  errors: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html',
}
const docMock = mockClient(DynamoDBClient)
afterEach(() => docMock.reset())

const table = () =>
  createStateTable(
    new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    {
      tableName: 'state',
      historyDays: 400,
    },
  )
const history: HistoryEntry = {
  v: 1,
  id: 'h1',
  at: 1,
  role: 'r',
  source: 'sweep',
  triggers: [],
  environments: [],
  mode: 'alert',
  missing: 0,
  features: [],
  changes: [],
  writes: [],
  incidents: [],
  notices: [],
  outcome: 'resolved',
}
const canceled = (code: string) =>
  new TransactionCanceledException({
    message: 'canceled',
    $metadata: {},
    CancellationReasons: [{ Code: code }, { Code: 'None' }],
  })

describe('state table: expected outcomes are data, the unexpected is thrown', () => {
  it.each([
    [DOC.transactions, 'ConditionalCheckFailed', { written: false }],
    [DOC.transactions, 'TransactionConflict', { written: false }],
  ])('%s: a transaction canceled by %s on the role item is a conflict (read again)', async (_doc, code, want) => {
    docMock.on(TransactWriteItemsCommand).rejects(canceled(code))
    expect(await table().writeRole(emptyRecord('r'), { kind: 'absent' }, history)).toEqual(want)
  })

  it(`${DOC.transactions}: a transaction canceled for another reason (ValidationError) is thrown`, async () => {
    docMock.on(TransactWriteItemsCommand).rejects(canceled('ValidationError'))
    await expect(table().writeRole(emptyRecord('r'), { kind: 'absent' }, history)).rejects.toThrow(
      TransactionCanceledException,
    )
  })

  it(`${DOC.errors}: a conditional PutItem that fails is a conflict`, async () => {
    docMock.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))
    expect(await table().writeRole(emptyRecord('r'), { kind: 'rev', rev: 3 })).toEqual({ written: false })
    const input = docMock.commandCalls(PutItemCommand)[0]!.args[0].input
    expect(input.ConditionExpression).toBe('rev = :rev')
    expect(unmarshall(input.ExpressionAttributeValues!)).toEqual({ ':rev': 3 })
    expect(unmarshall(input.Item!)).toMatchObject({ rev: 4, pk: 'role#r', sk: 'state' })
  })

  it(`${DOC.errors}: throttling on the read is thrown (the caller retries), never taken for "no record"`, async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} })
    docMock.on(GetItemCommand).rejects(throttled)
    await expect(table().readRole('r')).rejects.toThrow('Rate exceeded')
  })
})
