/**
 * Condition operator names: family, negation, `...IfExists` and the `ForAnyValue:`/`ForAllValues:` qualifiers.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */

export const Family = {
  stringEquals: 0,
  stringEqualsIgnoreCase: 1,
  stringLike: 2,
  numeric: 3,
  date: 4,
  bool: 5,
  binary: 6,
  ip: 7,
  arn: 8,
  null: 9,
} as const
export type Family = (typeof Family)[keyof typeof Family]

/** How a Numeric/Date operator compares the request value with the policy value. */
export const Compare = { eq: 0, lt: 1, lte: 2, gt: 3, gte: 4 } as const
export type Compare = (typeof Compare)[keyof typeof Compare]

export const SetQualifier = { none: 0, forAnyValue: 1, forAllValues: 2 } as const
export type SetQualifier = (typeof SetQualifier)[keyof typeof SetQualifier]

export type OperatorInfo = {
  readonly family: Family
  readonly compare: Compare
  /** NotX operators: true when no policy value matches (NOR across values) */
  readonly negated: boolean
  readonly ifExists: boolean
  readonly set: SetQualifier
}

type Base = readonly [Family, Compare, boolean]
const F = Family
const C = Compare
const BASES = new Map<string, Base>(Object.entries({
  stringequals: [F.stringEquals, C.eq, false],
  stringnotequals: [F.stringEquals, C.eq, true],
  stringequalsignorecase: [F.stringEqualsIgnoreCase, C.eq, false],
  stringnotequalsignorecase: [F.stringEqualsIgnoreCase, C.eq, true],
  stringlike: [F.stringLike, C.eq, false],
  stringnotlike: [F.stringLike, C.eq, true],
  numericequals: [F.numeric, C.eq, false],
  numericnotequals: [F.numeric, C.eq, true],
  numericlessthan: [F.numeric, C.lt, false],
  numericlessthanequals: [F.numeric, C.lte, false],
  numericgreaterthan: [F.numeric, C.gt, false],
  numericgreaterthanequals: [F.numeric, C.gte, false],
  dateequals: [F.date, C.eq, false],
  datenotequals: [F.date, C.eq, true],
  datelessthan: [F.date, C.lt, false],
  datelessthanequals: [F.date, C.lte, false],
  dategreaterthan: [F.date, C.gt, false],
  dategreaterthanequals: [F.date, C.gte, false],
  bool: [F.bool, C.eq, false],
  binaryequals: [F.binary, C.eq, false],
  ipaddress: [F.ip, C.eq, false],
  notipaddress: [F.ip, C.eq, true],
  arnequals: [F.arn, C.eq, false],
  arnlike: [F.arn, C.eq, false],
  arnnotequals: [F.arn, C.eq, true],
  arnnotlike: [F.arn, C.eq, true],
  null: [F.null, C.eq, false],
} satisfies Record<string, Base>))

/** Decodes an operator name (matched case-insensitively); undefined when IAM has no such operator. */
export function parseOperator(name: string): OperatorInfo | undefined {
  let rest = name.toLowerCase()
  let set: SetQualifier = SetQualifier.none
  if (rest.startsWith('foranyvalue:')) {
    set = SetQualifier.forAnyValue
    rest = rest.slice('foranyvalue:'.length)
  } else if (rest.startsWith('forallvalues:')) {
    set = SetQualifier.forAllValues
    rest = rest.slice('forallvalues:'.length)
  }
  let ifExists = false
  if (rest.endsWith('ifexists')) {
    ifExists = true
    rest = rest.slice(0, -'ifexists'.length)
  }
  const base = BASES.get(rest)
  if (base === undefined) return undefined
  const [family, compare, negated] = base
  // Null tests presence itself: it has no IfExists form and no set form
  if (family === Family.null && (ifExists || set !== SetQualifier.none)) return undefined
  return { family, compare, negated, ifExists, set }
}
