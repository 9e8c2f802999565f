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
const BASES = new Map<string, Base>(
  Object.entries({
    StringEquals: [F.stringEquals, C.eq, false],
    StringNotEquals: [F.stringEquals, C.eq, true],
    StringEqualsIgnoreCase: [F.stringEqualsIgnoreCase, C.eq, false],
    StringNotEqualsIgnoreCase: [F.stringEqualsIgnoreCase, C.eq, true],
    StringLike: [F.stringLike, C.eq, false],
    StringNotLike: [F.stringLike, C.eq, true],
    NumericEquals: [F.numeric, C.eq, false],
    NumericNotEquals: [F.numeric, C.eq, true],
    NumericLessThan: [F.numeric, C.lt, false],
    NumericLessThanEquals: [F.numeric, C.lte, false],
    NumericGreaterThan: [F.numeric, C.gt, false],
    NumericGreaterThanEquals: [F.numeric, C.gte, false],
    DateEquals: [F.date, C.eq, false],
    DateNotEquals: [F.date, C.eq, true],
    DateLessThan: [F.date, C.lt, false],
    DateLessThanEquals: [F.date, C.lte, false],
    DateGreaterThan: [F.date, C.gt, false],
    DateGreaterThanEquals: [F.date, C.gte, false],
    Bool: [F.bool, C.eq, false],
    BinaryEquals: [F.binary, C.eq, false],
    IpAddress: [F.ip, C.eq, false],
    NotIpAddress: [F.ip, C.eq, true],
    ArnEquals: [F.arn, C.eq, false],
    ArnLike: [F.arn, C.eq, false],
    ArnNotEquals: [F.arn, C.eq, true],
    ArnNotLike: [F.arn, C.eq, true],
    Null: [F.null, C.eq, false],
  } satisfies Record<string, Base>),
)

/**
 * Decodes an operator name; undefined when IAM has no such operator. Names are case sensitive:
 * IAM rejects "stringEquals" with "MalformedPolicyDocument: Invalid Condition type".
 */
export function parseOperator(name: string): OperatorInfo | undefined {
  let rest = name
  let set: SetQualifier = SetQualifier.none
  if (rest.startsWith('ForAnyValue:')) {
    set = SetQualifier.forAnyValue
    rest = rest.slice('ForAnyValue:'.length)
  } else if (rest.startsWith('ForAllValues:')) {
    set = SetQualifier.forAllValues
    rest = rest.slice('ForAllValues:'.length)
  }
  let ifExists = false
  if (rest.endsWith('IfExists')) {
    ifExists = true
    rest = rest.slice(0, -'IfExists'.length)
  }
  const base = BASES.get(rest)
  if (base === undefined) return undefined
  const [family, compare, negated] = base
  // Null tests presence itself: it has no IfExists form and no set form
  if (family === Family.null && (ifExists || set !== SetQualifier.none)) return undefined
  return { family, compare, negated, ifExists, set }
}
