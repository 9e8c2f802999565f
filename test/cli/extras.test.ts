/** `mwaa-role-guard extras`: validate an extras file as `check --extras` does, print it compiled for the Lambda. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { actionLevels } from '../../lib/catalogue/action-levels'
import { readCompiledExtras, SSM_VALUE_LIMIT } from '../../lib/baseline/compiled-extras'
import { baselineCatalogueData } from '../../lib/catalogue/baseline-catalogue'
import { GLUE_DOC, SECRETS_MANAGER_DOC, secretsAndGlueExtras } from '../baseline/extras-sample'
import { authorizationDetails, environmentFile, isOneLineInputError, run, scratch } from './support'
import { baselineOf, roleOf } from '../drift/support'

const SSM_TIERS =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html'
const files = scratch('extras')
afterAll(() => files.remove())

const oneStatement = (action: string, resource = '"*"') =>
  `version: 1\nenvironments:\n  "*":\n    - Effect: Allow\n      Action: "${action}"\n      Resource: ${resource}\n`

describe('extras --extras FILE', () => {
  it(`prints the compiled JSON the Lambda reads back, and its size on stderr (${SECRETS_MANAGER_DOC}, ${GLUE_DOC})`, async () => {
    const path = files.file(secretsAndGlueExtras('my-env'), 'extras.yaml')
    const result = await run('extras', '--extras', path)
    expect(result.code).toBe(0)
    expect(result.out).not.toContain('\n')
    const loaded = readCompiledExtras(result.out, 'SSM parameter /x', baselineCatalogueData(), actionLevels())
    expect(loaded.extras.environments['my-env']!.map((e) => e.sid)).toEqual([
      'GlueCatalogRead',
      'ExtraEnv2',
      'ExtraEnv3',
    ])
    expect(loaded.compiled.source).toBe(path)
    expect(result.err).toBe(
      `${path}: compiled to ${Buffer.byteLength(result.out)} bytes: fits the Standard tier (${SSM_VALUE_LIMIT.Standard})`,
    )
  })

  it('--output writes the file and says where, with its size', async () => {
    const path = files.file(secretsAndGlueExtras('my-env'), 'extras-out.yaml')
    const out = join(files.dir, 'compiled.json')
    const result = await run('extras', '--extras', path, '--output', out)
    expect(result.code).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(JSON.parse(text).format).toBe('mwaa-role-guard/compiled-extras')
    expect(result.out).toBe(
      `wrote ${out} (${Buffer.byteLength(text)} bytes: fits the Standard tier (${SSM_VALUE_LIMIT.Standard}))`,
    )
  })

  it(`says when the Advanced tier is needed (over 4 KB), and fails when not even it holds the result (over 8 KB; ${SSM_TIERS})`, async () => {
    const advanced = await run('extras', '--extras', files.file(oneStatement('ec2:Describe*'), 'ec2.yaml'))
    expect(advanced.code).toBe(0)
    expect(advanced.err).toMatch(/needs --tier Advanced \(over the Standard tier's 4096\)$/)
    const tooBig = await run('extras', '--extras', files.file(oneStatement('glue:*'), 'glue.yaml'))
    expect(isOneLineInputError(tooBig)).toBe(true)
    expect(tooBig.err).toMatch(
      /glue\.yaml: compiles to \d+ bytes, more than an SSM parameter holds \(8192, Advanced tier\)/,
    )
  })

  it.each([
    [
      'a typo in an action',
      oneStatement('secretsmanager:GetSecretValu'),
      'environments.*[0].Action: unknown action "secretsmanager:GetSecretValu" (did you mean secretsmanager:GetSecretValue?)',
    ],
    [
      'a Deny',
      oneStatement('s3:GetObject').replace('Allow', 'Deny'),
      'environments.*[0].Effect: Deny is not supported',
    ],
    [
      'a resource that is not an ARN',
      oneStatement('s3:GetObject', 'my-bucket/*'),
      'environments.*[0].Resource: expected "*" or an ARN',
    ],
  ])(
    'bad input (%s): exit 2, one line naming file and field, as check --extras says it',
    async (_case, text, message) => {
      const path = files.file(text, 'bad.yaml')
      const result = await run('extras', '--extras', path)
      expect(isOneLineInputError(result)).toBe(true)
      expect(result.err).toContain(`mwaa-role-guard extras: ${path}: ${message}`)
      const b = baselineOf('custodian-1')
      const check = await run(
        'check',
        '--environment-file',
        environmentFile('custodian-1'),
        '--authorization-details',
        files.file(authorizationDetails(roleOf(b))),
        '--extras',
        path,
      )
      expect(check.err.replace('mwaa-role-guard check: ', '')).toBe(result.err.replace('mwaa-role-guard extras: ', ''))
    },
  )

  it('usage: --extras is required; --help lists the command', async () => {
    const missing = await run('extras')
    expect(missing.code).toBe(2)
    expect(missing.err).toBe('mwaa-role-guard extras: missing required flag --extras (see mwaa-role-guard --help)')
    expect((await run('--help')).out).toContain('mwaa-role-guard extras --extras FILE [--output OUT]')
  })
})
