/**
 * Reading a compiled CloudFormation template the way CloudFormation would for a given region: Conditions evaluated
 * from the Parameters' defaults (what `sls deploy` uses, as it passes no parameter values), Fn::If resolved,
 * AWS::NoValue dropped. Other intrinsics (Ref, Fn::Sub, Fn::GetAtt) stay as they are, to be asserted on.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html
 */
export type CfnResource = {
  Type: string
  Condition?: string
  DependsOn?: string | string[]
  Properties?: Record<string, unknown>
}
export type CfnTemplate = {
  Parameters?: Record<string, { Default?: string; AllowedValues?: string[] }>
  Conditions?: Record<string, unknown>
  Resources: Record<string, CfnResource>
  Outputs?: Record<string, { Condition?: string; Value: unknown }>
}
export type Statement = {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Action: string | string[]
  Resource: unknown
  Condition?: Record<string, Record<string, unknown>>
}

const NO_VALUE = Symbol('AWS::NoValue')

/** A template seen from one region with its parameter defaults. */
export function view(template: CfnTemplate, region = 'us-east-1') {
  const refs: Record<string, string> = { 'AWS::Region': region }
  for (const [name, p] of Object.entries(template.Parameters ?? {})) if (p.Default !== undefined) refs[name] = p.Default

  const conditions = new Map<string, boolean>()
  const condition = (name: string): boolean => {
    if (!conditions.has(name)) {
      const body = template.Conditions?.[name]
      if (body === undefined) throw new Error(`no condition ${name}`)
      conditions.set(name, truth(body))
    }
    return conditions.get(name)!
  }
  const scalar = (value: unknown): string => {
    if (typeof value === 'string') return value
    const ref = (value as { Ref?: string }).Ref
    if (ref !== undefined && ref in refs) return refs[ref]!
    throw new Error(`cannot evaluate ${JSON.stringify(value)} in a condition`)
  }
  const truth = (body: unknown): boolean => {
    const [fn, args] = Object.entries(body as Record<string, unknown[]>)[0]!
    switch (fn) {
      case 'Fn::Equals':
        return scalar(args[0]) === scalar(args[1])
      case 'Fn::Not':
        return !truth(args[0])
      case 'Fn::And':
        return args.every(truth)
      case 'Fn::Or':
        return args.some(truth)
      case 'Condition':
        return condition(args as unknown as string)
      default:
        throw new Error(`unsupported condition function ${fn}`)
    }
  }
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve).filter((v) => v !== NO_VALUE)
    if (value === null || typeof value !== 'object') return value
    const entries = Object.entries(value)
    if (entries.length === 1 && entries[0]![0] === 'Fn::If') {
      const [name, yes, no] = entries[0]![1] as [string, unknown, unknown]
      return resolve(condition(name) ? yes : no)
    }
    if (entries.length === 1 && entries[0]![0] === 'Ref' && entries[0]![1] === 'AWS::NoValue') return NO_VALUE
    return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]).filter(([, v]) => v !== NO_VALUE))
  }

  return {
    condition,
    resolve,
    /** Resources that exist in this view (their Condition, if any, holds), with Fn::If resolved. */
    resources(type?: string): Record<string, CfnResource> {
      return Object.fromEntries(
        Object.entries(template.Resources)
          .filter(([, r]) => (!type || r.Type === type) && (!r.Condition || condition(r.Condition)))
          .map(([id, r]) => [id, resolve(r) as CfnResource]),
      )
    },
    outputs(): string[] {
      return Object.entries(template.Outputs ?? {})
        .filter(([, o]) => !o.Condition || condition(o.Condition))
        .map(([name]) => name)
    },
  }
}

/** Action (or NotAction) of a statement as a list. */
export function actionsOf(statement: Statement): string[] {
  return ([] as string[]).concat(statement.Action ?? [])
}

/** Resource of a statement as a list. */
export function resourcesOf(statement: Statement): unknown[] {
  return ([] as unknown[]).concat(statement.Resource ?? [])
}
