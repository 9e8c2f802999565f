/**
 * An extras file with what DAGs commonly need beyond the baseline: Airflow connections and variables in Secrets
 * Manager (https://docs.aws.amazon.com/mwaa/latest/userguide/connections-secrets-manager.html) and the Glue Data
 * Catalog and jobs (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html), shared by
 * every environment, plus statements for one named environment.
 */
export const SECRETS_MANAGER_DOC = 'https://docs.aws.amazon.com/mwaa/latest/userguide/connections-secrets-manager.html'
export const GLUE_DOC = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html'

/** The file's text; `environment` gets the per-environment statements. */
export function secretsAndGlueExtras(environment: string): string {
  return `version: 1
environments:
  "*":
    - Sid: AirflowSecrets
      Effect: Allow
      Action: [secretsmanager:GetSecretValue, secretsmanager:DescribeSecret, secretsmanager:ListSecrets]
      Resource: arn:\${Partition}:secretsmanager:\${Region}:\${Account}:secret:airflow/*
  ${environment}:
    - Sid: GlueCatalogRead
      Effect: Allow
      Action: [glue:GetDatabase, glue:GetTable*, glue:GetPartitions]
      Resource:
        - arn:\${Partition}:glue:\${Region}:\${Account}:catalog
        - arn:\${Partition}:glue:\${Region}:\${Account}:database/analytics
        - arn:\${Partition}:glue:\${Region}:\${Account}:table/analytics/*
    - Effect: Allow
      Action: glue:StartJobRun
      Resource: arn:\${Partition}:glue:\${Region}:\${Account}:job/\${EnvironmentName}-*
      Condition:
        StringEquals:
          aws:ResourceTag/team: [data, ml]
    - Effect: Allow
      Action: s3:GetObject
      Resource: arn:aws:s3:::landing-\${Account}/*
`
}

/** The smallest useful extras file: the Secrets Manager backend for Airflow connections and variables, for every environment. */
export const SECRETS_ONLY_EXTRAS = `version: 1
environments:
  "*":
    - Sid: AirflowSecrets
      Effect: Allow
      Action: [secretsmanager:GetSecretValue, secretsmanager:DescribeSecret]
      Resource: arn:\${Partition}:secretsmanager:\${Region}:\${Account}:secret:airflow/*
`
