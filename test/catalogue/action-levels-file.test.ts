/**
 * The shipped action catalogue's front coding: what compactLevels writes, expandLevels reads back exactly, prefixes
 * longer than one base-36 digit included. Access levels: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import { describe, expect, it } from 'vitest'
import { accessLevelsOf, compactLevels, expandLevels } from '../../lib/catalogue/action-levels-file'
import { fromFile } from '../../lib/catalogue/action-levels'

const raw = (...actions: Array<[string, string]>) =>
  Object.fromEntries(actions.map(([name, accessLevel]) => [name.toLowerCase(), { name, accessLevel }]))

describe('compactLevels / expandLevels', () => {
  const long = 'GetAnExtremelyLongActionNameThatSharesMoreThanThirtyFiveCharacters'
  const s3 = raw(
    ['GetBucketPolicy', 'Read'],
    ['GetBucketAcl', 'Read'],
    ['PutBucketPolicy', 'Permissions management'],
    ['ListBucket', 'List'],
    [`${long}A`, 'Read'],
    [`${long}B`, 'Tagging'],
  )
  const levels = accessLevelsOf([s3])

  it('sorts names, writes each as level digit, shared-prefix digit and the rest', () => {
    expect(levels).toEqual(['List', 'Permissions management', 'Read', 'Tagging'])
    const entry = compactLevels(s3, levels)
    expect(entry.split(',').slice(0, 3)).toEqual([
      `20${long}A`,
      // shares 36 characters with the previous name: written as 35 (z), the 36th repeated
      `3z${`${long}B`.slice(35)}`,
      '23BucketAcl',
    ])
  })

  it('reads back every name and level, prefixes over 35 characters included', () => {
    const expanded = expandLevels(compactLevels(s3, levels), levels)
    expect(expanded).toEqual(
      Object.values(s3)
        .map((a) => ({ name: a.name, level: a.accessLevel }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    )
  })

  it('fromFile answers canonical names and levels case-insensitively', () => {
    const catalogue = fromFile({
      $comment: '',
      source: { package: 'p', version: '1', license: 'MIT' },
      levels,
      services: { s3: compactLevels(s3, levels) },
    })
    expect(catalogue.canonical('s3:getbucketpolicy')).toBe('s3:GetBucketPolicy')
    expect(catalogue.level('S3:PUTBUCKETPOLICY')).toBe('Permissions management')
    expect(catalogue.canonical('s3:GetBucketPolicyX')).toBeUndefined()
  })
})
