/**
 * Compiled extras (`mwaa-role-guard extras` -> SSM -> the Lambda): the Lambda, with only its shipped subset plus the
 * compiled slice, derives the same baseline as the CLI with the full IAM catalogue; a bad parameter is a one-line
 * error naming the parameter and the field.
 */
import { describe, expect, it } from 'vitest'
import { compileExtras } from '../../lib/baseline/compile-extras'
import { actionLevels } from '../../lib/catalogue/action-levels'
import { readCompiledExtras, SSM_VALUE_LIMIT, type CompiledExtras } from '../../lib/baseline/compiled-extras'
import { deriveBaseline } from '../../lib/baseline/derive-baseline'
import { ExtrasParseError } from '../../lib/baseline/errors'
import { extrasFor, parseExtras } from '../../lib/baseline/extras'
import { baselineCatalogueData } from '../../lib/catalogue/baseline-catalogue'
import { catalogueFromData } from '../../lib/catalogue/catalogue-from-data'
import { readIamData } from '../../lib/catalogue/load-full'
import { DOC, SAMPLES, sample } from './corpus'
import { GLUE_DOC, SECRETS_MANAGER_DOC, secretsAndGlueExtras } from './extras-sample'

const SSM_TIERS =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html'
const full = readIamData()
const fullCatalogue = catalogueFromData(full.actions, full.arnFormats)
const SOURCE = 'extras.yaml'

/** What the CLI prints for the file: validated with the full catalogue, then compiled. */
function compiled(text: string): CompiledExtras {
  return compileExtras(parseExtras(text, SOURCE, fullCatalogue), full, full.source.version)
}

describe('compile, then read in the Lambda: the same baseline as the CLI with the full catalogue', () => {
  it.each(SAMPLES.map((name) => [name]))(
    `%s: Secrets Manager (${SECRETS_MANAGER_DOC}) and Glue (${GLUE_DOC}) extras`,
    (name) => {
      const environment = sample(name)
      const text = secretsAndGlueExtras(sample('custodian-1').Name)
      const cli = deriveBaseline(environment, {
        catalogue: fullCatalogue,
        extras: extrasFor(parseExtras(text, SOURCE, fullCatalogue), environment.Name),
      })
      const lambda = readCompiledExtras(JSON.stringify(compiled(text)), SOURCE, baselineCatalogueData(), actionLevels())
      const fromParameter = deriveBaseline(environment, {
        catalogue: lambda.catalogue,
        extras: extrasFor(lambda.extras, environment.Name),
      })
      expect(fromParameter.checks).toEqual(cli.checks)
      expect(fromParameter.policy).toEqual(cli.policy)
      expect(fromParameter.warnings).toEqual(cli.warnings)
      expect(cli.checks.some((c) => c.action.startsWith('secretsmanager:'))).toBe(true)
    },
  )

  it(`the extras really are checked: Glue actions on the resource types they authorize, ListSecrets left out with a warning (${GLUE_DOC})`, () => {
    const environment = sample('custodian-1')
    const lambda = readCompiledExtras(
      JSON.stringify(compiled(secretsAndGlueExtras(environment.Name))),
      SOURCE,
      baselineCatalogueData(),
      actionLevels(),
    )
    const baseline = deriveBaseline(environment, {
      catalogue: lambda.catalogue,
      extras: extrasFor(lambda.extras, environment.Name),
    })
    const ids = baseline.checks.map((c) => c.id)
    const arn = (rest: string) => `arn:aws:glue:us-east-1:644160558196:${rest}`
    expect(ids).toContain(`glue:GetTable ${arn('table/analytics/*')}`)
    expect(ids).toContain(`glue:GetDatabase ${arn('catalog')}`)
    // GetDatabase authorizes catalog and database, not table (the service authorization reference)
    expect(ids).not.toContain(`glue:GetDatabase ${arn('table/analytics/*')}`)
    expect(ids).toContain(`glue:StartJobRun ${arn(`job/${environment.Name}-*`)} [aws:ResourceTag/team=data]`)
    expect(baseline.warnings.join('\n')).toMatch(/environments\.\*\[0\]: 1 of 3 actions .* secretsmanager:ListSecrets/)
  })

  it("keeps placeholders, the user's Sids and leaves out the generated ones (they are positional)", () => {
    const out = compiled(secretsAndGlueExtras('my-env'))
    const [shared] = out.extras.environments['*']!
    expect(shared!.Resource).toEqual(['arn:${Partition}:secretsmanager:${Region}:${Account}:secret:airflow/*'])
    expect(out.extras.environments['my-env']!.map((s) => s.Sid)).toEqual(['GlueCatalogRead', undefined, undefined])
    expect(out).toMatchObject({
      format: 'mwaa-role-guard/compiled-extras',
      formatVersion: 1,
      source: SOURCE,
      iamDataVersion: full.source.version,
    })
  })

  it('carries only the actions the patterns matched and the ARN formats their resources can reach, not whole services', () => {
    const out = compiled(secretsAndGlueExtras('my-env'))
    expect(Object.keys(out.catalogue.actions).sort()).toEqual(['glue', 's3', 'secretsmanager'])
    expect(Object.keys(out.catalogue.actions.glue!)).toEqual(
      expect.arrayContaining(['GetDatabase', 'GetTable', 'GetTables', 'GetPartitions', 'StartJobRun']),
    )
    expect(Object.keys(out.catalogue.actions.glue!)).not.toContain('DeleteTable')
    expect(Object.keys(out.catalogue.arnFormats.glue!).sort()).toEqual(['database', 'job', 'rootcatalog', 'table'])
    expect(Object.keys(out.catalogue.arnFormats.s3!).sort()).toEqual(['bucket', 'object'])
  })

  it(`fits a Standard-tier SSM parameter, 4 KB (${SSM_TIERS})`, () => {
    expect(Buffer.byteLength(JSON.stringify(compiled(secretsAndGlueExtras('my-env'))))).toBeLessThanOrEqual(
      SSM_VALUE_LIMIT.Standard,
    )
  })
})

describe('readCompiledExtras: a bad parameter is one line naming the parameter and the field', () => {
  const good = () => structuredClone(compiled(secretsAndGlueExtras('my-env'))) as unknown as Record<string, any>
  const source = 'SSM parameter /mwaa-role-guard/extras'
  it.each<[string, () => string, string]>([
    [
      'not JSON (e.g. the YAML file itself)',
      () => 'version: 1\nenvironments: {}',
      `${source}: not valid JSON: expected the output of mwaa-role-guard extras`,
    ],
    [
      'another JSON document',
      () => JSON.stringify({ version: 1, environments: {} }),
      `${source}: format: expected "mwaa-role-guard/compiled-extras"`,
    ],
    [
      'a future format version',
      () => JSON.stringify({ ...good(), formatVersion: 2 }),
      `${source}: formatVersion: expected 1: compile the extras file again`,
    ],
    [
      'no catalogue slice',
      () => JSON.stringify({ ...good(), catalogue: undefined }),
      `${source}: catalogue: expected {actions, arnFormats}`,
    ],
    [
      'an action the slice does not hold (edited by hand)',
      () => {
        const value = good()
        value.extras.environments['*'][0].Action.push('secretsmanager:PutSecretValue')
        return JSON.stringify(value)
      },
      `${source}: environments.*[0].Action[3]: unknown action "secretsmanager:PutSecretValue"`,
    ],
    [
      `a Deny (${DOC.role})`,
      () => {
        const value = good()
        value.extras.environments['*'][0].Effect = 'Deny'
        return JSON.stringify(value)
      },
      `${source}: environments.*[0].Effect: Deny is not supported`,
    ],
  ])('%s', (_case, text, message) => {
    const read = () => readCompiledExtras(text(), source, baselineCatalogueData(), actionLevels())
    expect(read).toThrow(ExtrasParseError)
    try {
      read()
    } catch (error) {
      expect((error as Error).message.startsWith(message)).toBe(true)
      expect((error as Error).message).not.toContain('\n')
    }
  })
})
