/**
 * The Lambda bundles' stand-in for @aws-sdk/credential-provider-node (serverless.yml aliases it here): Lambda always
 * hands the function its role's credentials as AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime), so the
 * rest of the default chain (SSO, INI files, process, web identity, IMDS) is never reached there and only costs zip
 * size (about 14 KB deflated per function). The CLI keeps the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env'

/** The default provider's signature, reading the environment only. */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init)
