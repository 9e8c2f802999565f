/**
 * Wildcard matching for actions, resources and String/ARN condition values.
 * Wildcards are stored as private-use characters, so a literal `*` or `?` (from `${*}`, `${?}` or a
 * substituted variable value) stays literal: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * No RegExp: a backtracking two-pointer matcher, linear for one `*`, O(n*m) worst case.
 */
export const STAR = '\uE000'
export const QMARK = '\uE001'
const STAR_CODE = 0xe000
const QMARK_CODE = 0xe001

/** Turns policy text into an encoded pattern: `*` and `?` become wildcards. */
export function encodeWildcards(text: string): string {
  if (text.indexOf('*') < 0 && text.indexOf('?') < 0) return text
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    out += c === '*' ? STAR : c === '?' ? QMARK : c
  }
  return out
}

/** Matches s[ss..se) against the encoded pattern p[ps..pe). */
export function globRange(p: string, ps: number, pe: number, s: string, ss: number, se: number): boolean {
  let pi = ps
  let si = ss
  let starP = -1
  let starS = 0
  while (si < se) {
    if (pi < pe) {
      const c = p.charCodeAt(pi)
      if (c === STAR_CODE) {
        starP = pi++
        starS = si
        continue
      }
      if (c === QMARK_CODE || c === s.charCodeAt(si)) {
        pi++
        si++
        continue
      }
    }
    if (starP < 0) return false
    pi = starP + 1
    si = ++starS
  }
  while (pi < pe && p.charCodeAt(pi) === STAR_CODE) pi++
  return pi === pe
}

/** Matches a whole string against an encoded pattern. */
export function globMatch(p: string, s: string): boolean {
  return globRange(p, 0, p.length, s, 0, s.length)
}

const EXACT = 0
const ANY = 1
const PREFIX = 2
const SUFFIX = 3
const GENERAL = 4

/** One encoded pattern, precompiled to the cheapest test that decides it. */
export class Glob {
  private readonly kind: number
  private readonly text: string

  constructor(encoded: string) {
    const first = encoded.search(/[\uE000\uE001]/)
    if (first < 0) {
      this.kind = EXACT
      this.text = encoded
      return
    }
    const rest = encoded.slice(first + 1)
    const singleStar = encoded[first] === STAR && !/[\uE000\uE001]/.test(rest)
    if (encoded === STAR) {
      this.kind = ANY
      this.text = ''
    } else if (singleStar && first === encoded.length - 1) {
      this.kind = PREFIX
      this.text = encoded.slice(0, first)
    } else if (singleStar && first === 0) {
      this.kind = SUFFIX
      this.text = rest
    } else {
      this.kind = GENERAL
      this.text = encoded
    }
  }

  match(s: string): boolean {
    switch (this.kind) {
      case EXACT:
        return s === this.text
      case ANY:
        return true
      case PREFIX:
        return s.startsWith(this.text)
      case SUFFIX:
        return s.endsWith(this.text)
      default:
        return globRange(this.text, 0, this.text.length, s, 0, s.length)
    }
  }
}

/**
 * ARN matching for ArnEquals/ArnLike: "Each of the six colon-delimited components of the ARN is checked
 * separately", the last part keeps any further colons. So a pattern with fewer than six parts matches no ARN
 * (its missing parts cannot match); a lone `*` still matches any value.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function arnMatch(p: string, s: string): boolean {
  if (!hasSixParts(p)) return p === STAR
  let ps = 0
  let ss = 0
  for (let part = 0; part < 5; part++) {
    const pc = p.indexOf(':', ps)
    const sc = s.indexOf(':', ss)
    if (sc < 0 || !globRange(p, ps, pc, s, ss, sc)) return false
    ps = pc + 1
    ss = sc + 1
  }
  return globRange(p, ps, p.length, s, ss, s.length)
}

function hasSixParts(p: string): boolean {
  let at = -1
  for (let n = 0; n < 5; n++) {
    at = p.indexOf(':', at + 1)
    if (at < 0) return false
  }
  return true
}
