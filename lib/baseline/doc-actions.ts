/**
 * The actions of the sample execution-role policies, as the doc writes them.
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html ("Sample JSON policies for an execution role")
 */
export const DocActions = {
  dagBucket: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
  logs: [
    'logs:CreateLogStream',
    'logs:CreateLogGroup',
    'logs:PutLogEvents',
    'logs:GetLogEvents',
    'logs:GetLogRecord',
    'logs:GetLogGroupFields',
    'logs:GetQueryResults',
  ],
  queue: [
    'sqs:ChangeMessageVisibility',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    'sqs:GetQueueUrl',
    'sqs:ReceiveMessage',
    'sqs:SendMessage',
  ],
  kms: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'],
} as const

/** The five Airflow log groups MWAA writes to: `airflow-{env}-{suffix}`, keyed by LoggingConfiguration field. */
export const LOG_TYPES = [
  ['DagProcessingLogs', 'DAGProcessing'],
  ['SchedulerLogs', 'Scheduler'],
  ['TaskLogs', 'Task'],
  ['WebserverLogs', 'WebServer'],
  ['WorkerLogs', 'Worker'],
] as const
