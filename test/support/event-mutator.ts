/**
 * Hostile and unusual variants of real CloudTrail events, for property and fuzz tests: fast-check arbitraries over
 * the corpus (test/events/fixtures/cloudtrail) and the samples (events/samples), each event changed by one to three
 * mutations: a field deleted or given another type, deep nesting (as a value, or as JSON text in a string field such
 * as policyDocument), huge strings, lone surrogates, odd accounts, regions and ARNs, an empty or odd errorCode,
 * another eventName, duplicated keys, `__proto__` keys. A mutated event is JSON text (duplicated keys only exist in
 * text), so it can go to parseEvent (after JSON.parse, as the Lambda runtime does), to the handler or to a file.
 *
 *   fc.assert(fc.property(mutatedEvents(), (m) => { const raw = JSON.parse(m.text); ... }))
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { IAM_EVENT_NAMES, MWAA_EVENT_NAMES } from '../../lib/events/event-names'
import { loadCorpus, readJson, SAMPLES } from '../events/corpus'
import { type Duplicate, toJsonText } from './json-text'

export type RealEvent = { file: string; event: Record<string, unknown> }

/** Every corpus fixture and sample, as the EventBridge event the Lambda receives. */
export function realEvents(): RealEvent[] {
  const samples = readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file: `samples/${file}`, event: readJson(join(SAMPLES, file)) }))
  return [...loadCorpus().map((r) => ({ file: `fixtures/${r.file}`, event: r.event })), ...samples]
}

/** Values of other JSON types (and odd strings) a field may be given instead of its own. */
export const ODD_VALUES: readonly unknown[] = [
  null,
  0,
  -1,
  1e308,
  true,
  false,
  '',
  ' ',
  [],
  {},
  ['x'],
  { a: 'b' },
  '\u0000',
]
export const ODD_ACCOUNTS = [
  '',
  '0',
  '12345678901',
  '1234567890123',
  '12345678901a',
  '١٢٣٤٥٦٧٨٩٠١٢', // Arabic-Indic digits: \d in a JS regex does not match them, Number() does not parse them
  ' 123456789012',
  '123456789012\n',
  'aws',
  '*',
] as const
export const ODD_REGIONS = [
  '',
  'us-east-1 ',
  'US-EAST-1',
  'xx-fake-9',
  'us-east-1.evil.example',
  '../../',
  'a'.repeat(300),
  '\ud800',
  'eu-west-1',
  'cn-north-1',
  'us-gov-west-1',
] as const
export const ODD_ARNS = [
  'arn:',
  'arn:aws:iam::aws:policy/',
  'arn:aws:iam::123:policy/x',
  'arn:aws:iam::123456789012:policy/a b',
  'arn:aws:iam::123456789012:role/x',
  `arn:aws:iam::123456789012:policy/${'x'.repeat(3000)}`,
  'arn:aws:iam::123456789012:policy/\ud800',
  'arn:aws:iam::123456789012:policy/../../x',
  'ARN:AWS:IAM::123456789012:POLICY/X',
  'arn:aws:iam::123456789012:policy/x?y=1',
  'arn:aws:iam::123456789012:policy/%2F',
  'arn:aws:iam::123456789012:policy/path/ok-name',
  '*',
] as const
export const ODD_ERROR_CODES: readonly unknown[] = ['', ' ', null, 0, false, 'AccessDenied', {}, []]
export const EVENT_NAMES = [...IAM_EVENT_NAMES, ...MWAA_EVENT_NAMES, 'CreateRole', 'deleterole', ''] as const
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'] as const

/** One change to an event. `at` picks a field among the candidates (modulo their number), so any nat works. */
export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'retype'; at: number; to: unknown }
  | { kind: 'nest'; at: number; depth: number; shape: 'array' | 'object' }
  | { kind: 'nest-json-string'; at: number; depth: number }
  | { kind: 'huge-string'; at: number; length: number }
  | { kind: 'lone-surrogate'; at: number; char: string; position: 'start' | 'middle' | 'end' }
  | { kind: 'odd-account'; at: number; value: string }
  | { kind: 'odd-region'; at: number; value: string }
  | { kind: 'odd-arn'; at: number; value: string }
  | { kind: 'error-code'; value: unknown }
  | { kind: 'rename-event'; name: string }
  | { kind: 'duplicate-key'; at: number; earlier: unknown }
  | { kind: 'proto-key'; at: number; value: unknown }

export type MutatedEvent = {
  /** the corpus fixture or sample it came from */
  file: string
  mutations: Mutation[]
  /** the mutated event as JSON text */
  text: string
}

/** Applies the mutations, in order, to a copy of `event`; returns the JSON text. Deterministic. */
export function mutate(event: Record<string, unknown>, mutations: readonly Mutation[]): string {
  // Real events are shallow: structuredClone is safe here (never on a mutated, possibly deep, value).
  const root = structuredClone(event) as Record<string, unknown>
  const duplicates: Duplicate[] = []
  for (const m of mutations) applyOne(root, m, duplicates)
  return toJsonText(root, duplicates)
}

const ACCOUNT_PATHS = [['account'], ['detail', 'recipientAccountId'], ['detail', 'userIdentity', 'accountId']]
const REGION_PATHS = [['region'], ['detail', 'awsRegion']]

function applyOne(root: Record<string, unknown>, m: Mutation, duplicates: Duplicate[]): void {
  switch (m.kind) {
    case 'delete':
    case 'retype':
    case 'nest': {
      const slot = pick(fields(root), m.at)
      if (!slot) return
      if (m.kind === 'delete') remove(slot)
      // A copy: the odd values are shared constants, and later mutations edit the event in place.
      else set(slot, m.kind === 'retype' ? structuredClone(m.to) : deepValue(m.depth, m.shape))
      return
    }
    case 'nest-json-string': {
      const slot = pick(fields(root, isString), m.at)
      // A policy document nested `depth` levels inside a Condition, as JSON text (what policyDocument holds).
      if (slot) set(slot, deepPolicyText(m.depth))
      return
    }
    case 'huge-string': {
      const slot = pick(fields(root, isString), m.at)
      if (slot) set(slot, `${String(get(slot))}${'x'.repeat(m.length)}`)
      return
    }
    case 'lone-surrogate': {
      const slot = pick(fields(root, isString), m.at)
      if (!slot) return
      const text = String(get(slot))
      const cut = m.position === 'start' ? 0 : m.position === 'end' ? text.length : Math.floor(text.length / 2)
      set(slot, `${text.slice(0, cut)}${m.char}${text.slice(cut)}`)
      return
    }
    case 'odd-account':
      setPath(root, ACCOUNT_PATHS[m.at % ACCOUNT_PATHS.length]!, m.value)
      return
    case 'odd-region':
      setPath(root, REGION_PATHS[m.at % REGION_PATHS.length]!, m.value)
      return
    case 'odd-arn': {
      const slot = pick(
        fields(root, (v, key) => isString(v) && (/arn/i.test(String(key)) || v.startsWith('arn:'))),
        m.at,
      )
      if (slot) set(slot, m.value)
      return
    }
    case 'error-code':
      setPath(root, ['detail', 'errorCode'], m.value)
      return
    case 'rename-event':
      setPath(root, ['detail', 'eventName'], m.name)
      return
    case 'duplicate-key': {
      const slot = pick(fields(root), m.at)
      if (slot && !Array.isArray(slot.parent)) {
        duplicates.push({ path: slot.path.slice(0, -1), key: String(slot.key), earlier: structuredClone(m.earlier) })
      }
      return
    }
    case 'proto-key': {
      const objects = fields(root, (v) => typeof v === 'object' && v !== null && !Array.isArray(v))
      const slot = pick(objects, m.at)
      // An own "__proto__" member, as JSON.parse makes it (never the prototype).
      if (slot)
        Object.defineProperty(get(slot), '__proto__', {
          value: structuredClone(m.value),
          enumerable: true,
          writable: true,
          configurable: true,
        })
      return
    }
  }
}

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number; path: Array<string | number> }

/** Members and elements up to a small depth (real records are shallow; deep values are our own). */
function fields(root: unknown, keep: (value: unknown, key: string | number) => boolean = () => true): Slot[] {
  const out: Slot[] = []
  const queue: Array<{ value: unknown; path: Array<string | number> }> = [{ value: root, path: [] }]
  while (queue.length > 0) {
    const { value, path } = queue.shift()!
    if (path.length > 8 || typeof value !== 'object' || value === null) continue
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value)
    for (const [key, child] of entries) {
      const childPath = [...path, key]
      if (keep(child, key)) out.push({ parent: value as Slot['parent'], key, path: childPath })
      queue.push({ value: child, path: childPath })
    }
  }
  return out
}

const pick = (slots: Slot[], at: number): Slot | undefined => (slots.length ? slots[at % slots.length] : undefined)
const get = (slot: Slot): unknown => (slot.parent as Record<string | number, unknown>)[slot.key]
const set = (slot: Slot, value: unknown) => {
  ;(slot.parent as Record<string | number, unknown>)[slot.key] = value
}
const isString = (value: unknown): value is string => typeof value === 'string'

function remove(slot: Slot): void {
  if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1)
  else delete slot.parent[String(slot.key)]
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = root
  for (const key of path.slice(0, -1)) {
    const next = node[key]
    if (typeof next !== 'object' || next === null || Array.isArray(next)) return // the mutation finds nothing to change
    node = next as Record<string, unknown>
  }
  node[path.at(-1)!] = value
}

/** `depth` nested arrays or objects, built without recursion (JSON.parse is iterative in V8). */
export function deepValue(depth: number, shape: 'array' | 'object' = 'array'): unknown {
  return JSON.parse(
    shape === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  )
}

/** A policy document whose Condition value is nested `depth` arrays deep, as JSON text. */
export function deepPolicyText(depth: number): string {
  return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":${'['.repeat(depth)}"x"${']'.repeat(depth)}}}}]}`
}

/** Nesting depths: past the parser's limit (32), a thousand, and past V8's recursion (JSON.stringify fails by 5,000). */
export const DEPTHS: readonly number[] = [40, 1_000, 20_000, 100_000]

/** One mutation (`depths`: the nesting depths to draw from). */
export function mutationArb(depths: readonly number[] = DEPTHS): fc.Arbitrary<Mutation> {
  const at = fc.nat({ max: 10_000 })
  return fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at }),
    fc.record({ kind: fc.constant('retype' as const), at, to: fc.constantFrom(...ODD_VALUES) }),
    fc.record({
      kind: fc.constant('nest' as const),
      at,
      depth: fc.constantFrom(...depths),
      shape: fc.constantFrom('array' as const, 'object' as const),
    }),
    fc.record({ kind: fc.constant('nest-json-string' as const), at, depth: fc.constantFrom(...depths) }),
    fc.record({ kind: fc.constant('huge-string' as const), at, length: fc.constantFrom(1_000, 300_000) }),
    fc.record({
      kind: fc.constant('lone-surrogate' as const),
      at,
      char: fc.constantFrom(...LONE_SURROGATES),
      position: fc.constantFrom('start' as const, 'middle' as const, 'end' as const),
    }),
    fc.record({ kind: fc.constant('odd-account' as const), at, value: fc.constantFrom(...ODD_ACCOUNTS) }),
    fc.record({ kind: fc.constant('odd-region' as const), at, value: fc.constantFrom(...ODD_REGIONS) }),
    fc.record({ kind: fc.constant('odd-arn' as const), at, value: fc.constantFrom(...ODD_ARNS) }),
    fc.record({ kind: fc.constant('error-code' as const), value: fc.constantFrom(...ODD_ERROR_CODES) }),
    fc.record({ kind: fc.constant('rename-event' as const), name: fc.constantFrom(...EVENT_NAMES) }),
    fc.record({ kind: fc.constant('duplicate-key' as const), at, earlier: fc.constantFrom(...ODD_VALUES) }),
    fc.record({ kind: fc.constant('proto-key' as const), at, value: fc.constantFrom(...ODD_VALUES) }),
  )
}

/** A real event with one to `maxMutations` mutations applied (aimed at `aim`'s world first, for a share of them). */
export function mutatedEvents(
  options: { maxMutations?: number; aim?: Aim; depths?: readonly number[] } = {},
): fc.Arbitrary<MutatedEvent> {
  const events = realEvents()
  const { aim } = options
  const picks: fc.Arbitrary<AimPicks | undefined> = aim
    ? fc.record({
        draw: fc.nat({ max: 999 }),
        role: fc.nat({ max: 10_000 }),
        environment: fc.nat({ max: 10_000 }),
        bucket: fc.nat({ max: 10_000 }),
        policy: fc.nat({ max: 10_000 }),
        fresh: fc.nat({ max: 999 }),
        id: fc.nat(),
      })
    : fc.constant(undefined)
  return fc
    .tuple(
      fc.constantFrom(...events),
      picks,
      fc.array(mutationArb(options.depths), { minLength: 1, maxLength: options.maxMutations ?? 3 }),
    )
    .map(([{ file, event }, pick, mutations]) => {
      const aimed = aim && pick && pick.draw < (aim.share ?? 0.8) * 1000 ? aimAt(event, aim, pick) : undefined
      return {
        file: aimed ? `${file} (aimed)` : file,
        mutations,
        text: mutate(aimed ?? event, mutations),
      }
    })
}

/**
 * A world to aim events at: its account, and the names of its roles, environments, buckets and policies. An aimed
 * event names these instead of the corpus' own (which belong to other accounts and are dropped at once), so it
 * reaches the reads, the evaluation and the heal, rather than only the parser.
 */
export type Aim = {
  account: string
  roles: ReadonlyArray<{ name: string; arn: string }>
  environments: readonly string[]
  /** bucket names (not ARNs) */
  buckets: readonly string[]
  policyArns: readonly string[]
  /** the share of events aimed (default 0.8); the rest keep their foreign accounts and names */
  share?: number
  /**
   * the share of aimed events given an event id of their own (default 0.5), as distinct calls have: the rest keep
   * the corpus' id, and after its first delivery each is a duplicate (a replay with other contents)
   */
  freshIds?: number
}

/** Which of the world's names an aimed event takes (each modulo the list's length). */
export type AimPicks = {
  draw: number
  role: number
  environment: number
  bucket: number
  policy: number
  /** below `freshIds` * 1000: the event gets the id `id` */
  fresh: number
  id: number
}

const ACCOUNT = /^\d{12}$/

/**
 * A copy of `event` aimed at the world: its account(s) replaced by the world's everywhere they occur, the role,
 * environment and bucket it names replaced by one of the world's (in ARNs, hosts and documents too), its policy ARN
 * and execution role ARN set to the world's, and (for a share) an event id of its own. Deterministic.
 */
export function aimAt(event: Record<string, unknown>, aim: Aim, picks: AimPicks): Record<string, unknown> {
  const copy = structuredClone(event)
  const detail = (typeof copy.detail === 'object' && copy.detail !== null ? copy.detail : {}) as Record<string, unknown>
  const identity = (detail.userIdentity ?? {}) as Record<string, unknown>
  const params = (
    typeof detail.requestParameters === 'object' && detail.requestParameters !== null ? detail.requestParameters : {}
  ) as Record<string, unknown>
  const role = aim.roles[picks.role % aim.roles.length]!
  const names = new Map<string, string>()
  for (const account of [copy.account, detail.recipientAccountId, identity.accountId])
    if (typeof account === 'string' && ACCOUNT.test(account)) names.set(account, aim.account)
  const text = (key: string) => (typeof params[key] === 'string' && params[key] !== '' ? params[key] : undefined)
  const roleName = text('roleName')
  if (roleName) names.set(roleName, role.name)
  const environment = text('Name')
  if (environment && aim.environments.length > 0)
    names.set(environment, aim.environments[picks.environment % aim.environments.length]!)
  const bucket = text('bucketName')
  if (bucket && aim.buckets.length > 0) names.set(bucket, aim.buckets[picks.bucket % aim.buckets.length]!)
  const aimed = replaceInStrings(copy, names) as Record<string, unknown>
  const aimedParams = (aimed.detail as Record<string, unknown> | undefined)?.requestParameters as
    | Record<string, unknown>
    | undefined
  if (picks.fresh < (aim.freshIds ?? 0.5) * 1000) {
    const id = `fuzz-${picks.id.toString(16).padStart(8, '0')}`
    if ('id' in aimed) aimed.id = id
    const aimedDetail = aimed.detail as Record<string, unknown> | undefined
    if (aimedDetail && typeof aimedDetail === 'object' && 'eventID' in aimedDetail) aimedDetail.eventID = id
  }
  if (aimedParams && typeof aimedParams === 'object') {
    if (text('policyArn') && aim.policyArns.length > 0)
      aimedParams.policyArn = aim.policyArns[picks.policy % aim.policyArns.length]
    if (text('ExecutionRoleArn')) aimedParams.ExecutionRoleArn = role.arn
  }
  return aimed
}

/** Every string (values, not keys) with each name replaced, longest first, in one pass. */
function replaceInStrings(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (names.size === 0) return value
  const escaped = [...names.keys()]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const pattern = new RegExp(escaped.join('|'), 'g')
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, (m) => names.get(m) ?? m)
    if (Array.isArray(v)) return v.map(walk)
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, walk(child)]))
    return v
  }
  return walk(value)
}

/** One line for a failing case: the source file and the mutations (long values cut). */
export function describeMutated(m: MutatedEvent): string {
  const short = (v: unknown) => {
    const text = JSON.stringify(v) ?? String(v)
    return text.length > 60 ? `${text.slice(0, 57)}...` : text
  }
  return `${m.file}: ${m.mutations
    .map(
      (x) =>
        `${x.kind}(${Object.entries(x)
          .filter(([k]) => k !== 'kind')
          .map(([k, v]) => `${k}=${short(v)}`)
          .join(', ')})`,
    )
    .join(' + ')}`
}
