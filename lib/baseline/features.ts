/** What each Feature is and what breaks when its permissions are missing, for reports and alerts. */
import { Feature } from './types'

export type FeatureInfo = { title: string; impact: string; doc: string }

const GUIDE = 'https://docs.aws.amazon.com/mwaa/latest/userguide'

/** Titles and impacts, written from the MWAA User Guide pages in `doc`. */
export const FEATURES: Readonly<Record<Feature, FeatureInfo>> = {
  [Feature.taskQueue]: {
    title: 'Celery task queue (Amazon SQS)',
    impact:
      'Celery workers cannot receive or acknowledge tasks: tasks stay queued and the scheduler marks them failed.',
    doc: `${GUIDE}/mwaa-create-role.html`,
  },
  [Feature.logs]: {
    title: 'Apache Airflow logs (CloudWatch Logs)',
    impact:
      'DAG processing, scheduler, task, web server and worker logs no longer reach CloudWatch Logs: task logs are ' +
      'missing from the Airflow UI and failures cannot be diagnosed.',
    doc: `${GUIDE}/monitoring-airflow.html`,
  },
  [Feature.dagBucket]: {
    title: 'DAGs and supporting files (Amazon S3)',
    impact:
      'The environment cannot read its DAGs, plugins.zip, requirements.txt or startup script from the bucket: new ' +
      'and changed DAGs do not appear, and environment updates and new workers cannot install their dependencies.',
    doc: `${GUIDE}/working-dags.html`,
  },
  [Feature.metrics]: {
    title: 'Environment health and Apache Airflow metrics (CloudWatch)',
    impact:
      'Amazon MWAA cannot monitor the environment health (airflow:PublishMetrics) and Apache Airflow metrics stop ' +
      'reaching CloudWatch; worker automatic scaling, which is driven by those metrics, stops adding workers.',
    doc: `${GUIDE}/mwaa-autoscaling.html`,
  },
  [Feature.encryption]: {
    title: 'Data encryption (AWS KMS)',
    impact:
      'The environment cannot encrypt or decrypt its data through Amazon SQS (and, with a customer managed key, ' +
      'Amazon S3): tasks cannot be queued or picked up by workers.',
    doc: `${GUIDE}/encryption-at-rest.html`,
  },
  [Feature.trust]: {
    title: 'Role trust (Amazon MWAA may assume the execution role)',
    impact:
      'Amazon MWAA cannot assume the execution role, so none of its permissions are usable: scheduling, task runs ' +
      'and environment updates fail.',
    doc: `${GUIDE}/mwaa-create-role.html`,
  },
  [Feature.extra]: {
    title: 'Permissions your DAGs need (extras file)',
    impact: 'DAG tasks that call these AWS services fail with AccessDenied.',
    doc: `${GUIDE}/mwaa-create-role.html`,
  },
}

/** Title and impact of a feature. */
export function featureInfo(feature: Feature): FeatureInfo {
  return FEATURES[feature]
}
