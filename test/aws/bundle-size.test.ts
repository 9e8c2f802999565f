/**
 * The Lambda zip must stay ≤ 1 MB (aim: 400 KB). Bundles every adapter the way serverless-esbuild does
 * (bundle + minify, platform node, target node22, ESM) and measures the deflated size a zip would hold.
 */
import { deflateRawSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const ENTRY = `
import { createIamClient, createSnsClient, createSsmClient } from './lib/aws/clients'
import { createIamAdapter } from './lib/aws/iam'
import { createMwaaAdapter } from './lib/aws/mwaa'
import { createSnsAdapter } from './lib/aws/sns'
import { createSsmAdapter } from './lib/aws/ssm'
import { postToSlack } from './lib/aws/slack'
import { createDocumentAdapters } from './lib/aws/document-adapters'
import { readEnvironmentDocuments } from './lib/aws/environment-documents'
export const used = [createIamClient, createSnsClient, createSsmClient, createIamAdapter, createMwaaAdapter, createSnsAdapter, createSsmAdapter, postToSlack, createDocumentAdapters, readEnvironmentDocuments]
`

describe('bundle size of all AWS adapters', () => {
  it('zips within the aim, and carries no second SDK core from @aws-sdk/client-mwaa', async () => {
    const result = await build({
      stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    const code = result.outputFiles[0]!.contents
    const zipped = deflateRawSync(code, { level: 9 }).length
    expect(zipped).toBeLessThanOrEqual(400 * 1024)
    const inputs = Object.keys(result.metafile.inputs)
    // client-mwaa 3.523.0 pulls @smithy/* 2.x and its own STS/SSO clients; a value import of it would add ~480 KB.
    expect(inputs.filter((p) => p.includes('client-mwaa'))).toEqual([])
    // The document reads are signed by hand (docs/adr/0007-hand-signed-document-reads.md): their SDK clients stay out.
    expect(inputs.filter((p) => /client-(s3|ec2|kms|organizations)\//.test(p))).toEqual([])
  }, 60_000)
})
