/**
 * A guard is a satisfiable conjunction of literals over atom ids: the atoms in `pos` hold and those in
 * `neg` do not. Both lists are sorted and disjoint; both empty means `true`. Guards label automaton
 * transitions; a letter (the set of atoms true in a state) enables a transition when it satisfies it.
 */
export interface Guard {
  readonly pos: readonly number[]
  readonly neg: readonly number[]
}

export const trueGuard: Guard = { pos: [], neg: [] }

export function literalGuard(id: number, positive: boolean): Guard {
  return positive ? { pos: [id], neg: [] } : { pos: [], neg: [id] }
}

export function isTrueGuard(g: Guard): boolean {
  return g.pos.length === 0 && g.neg.length === 0
}

function union(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!)
    else if (i >= a.length || b[j]! < a[i]!) out.push(b[j++]!)
    else {
      out.push(a[i++]!)
      j++
    }
  }
  return out
}

function intersects(a: readonly number[], b: readonly number[]): boolean {
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) return true
    if (a[i]! < b[j]!) i++
    else j++
  }
  return false
}

/** Whether every element of the sorted list `a` is in the sorted list `b`. */
export function isSubset(a: readonly number[], b: readonly number[]): boolean {
  let j = 0
  for (const x of a) {
    while (j < b.length && b[j]! < x) j++
    if (j >= b.length || b[j] !== x) return false
    j++
  }
  return true
}

/** The conjunction of two guards, or undefined when it is unsatisfiable. */
export function andGuards(a: Guard, b: Guard): Guard | undefined {
  const pos = union(a.pos, b.pos)
  const neg = union(a.neg, b.neg)
  return intersects(pos, neg) ? undefined : { pos, neg }
}

/** Whether every letter that satisfies `a` satisfies `b`. */
export function guardImplies(a: Guard, b: Guard): boolean {
  return isSubset(b.pos, a.pos) && isSubset(b.neg, a.neg)
}

export function guardKey(g: Guard): string {
  return `${g.pos.join(',')}/${g.neg.join(',')}`
}

export function sameGuard(a: Guard, b: Guard): boolean {
  return guardKey(a) === guardKey(b)
}

/** Whether a letter, given as the test `holds(atomId)`, satisfies the guard. */
export function guardHolds(g: Guard, holds: (id: number) => boolean): boolean {
  for (const p of g.pos) if (!holds(p)) return false
  for (const n of g.neg) if (holds(n)) return false
  return true
}

/**
 * Whether the letters of `a` are all covered by the union of `bs`: a tautology check by splitting on
 * the atoms the `bs` mention. Exponential in the number of atoms involved, which is small in practice.
 */
export function guardCovered(a: Guard, bs: readonly Guard[]): boolean {
  const compatible = bs.filter((b) => andGuards(a, b) !== undefined)
  if (compatible.length === 0) return false
  if (compatible.some((b) => guardImplies(a, b))) return true
  for (const b of compatible) {
    for (const p of b.pos) if (!a.pos.includes(p)) return split(a, p, compatible)
    for (const n of b.neg) if (!a.neg.includes(n)) return split(a, n, compatible)
  }
  // Unreachable: a compatible guard that a does not imply has a literal a lacks.
  throw new Error('guardCovered: no literal to split on')
}

function split(a: Guard, atom: number, bs: readonly Guard[]): boolean {
  return guardCovered(andGuards(a, literalGuard(atom, true))!, bs) && guardCovered(andGuards(a, literalGuard(atom, false))!, bs)
}

/**
 * If two guards differ in exactly one atom, positive in one and negative in the other (`g && p`,
 * `g && !p`), their disjunction `g`; otherwise undefined.
 */
export function mergeGuards(a: Guard, b: Guard): Guard | undefined {
  if (a.pos.length + a.neg.length !== b.pos.length + b.neg.length) return undefined
  const onlyAPos = a.pos.filter((x) => !b.pos.includes(x))
  const onlyBPos = b.pos.filter((x) => !a.pos.includes(x))
  if (onlyAPos.length + onlyBPos.length !== 1) return undefined
  const flip = onlyAPos[0] ?? onlyBPos[0]!
  const aNeg = a.neg.filter((x) => x !== flip)
  const bNeg = b.neg.filter((x) => x !== flip)
  if (aNeg.length !== bNeg.length || !aNeg.every((x, i) => bNeg[i] === x)) return undefined
  if (aNeg.length === a.neg.length && bNeg.length === b.neg.length) return undefined
  return { pos: a.pos.filter((x) => x !== flip), neg: aNeg }
}

/** `p && !q`, or `true`; `name` gives the text of an atom. */
export function guardToString(g: Guard, name: (id: number) => string = (id) => `p${id}`): string {
  if (isTrueGuard(g)) return 'true'
  const lits = [...g.pos.map((p) => ({ id: p, s: name(p) })), ...g.neg.map((n) => ({ id: n, s: `!${name(n)}` }))]
  lits.sort((x, y) => x.id - y.id)
  return lits.map((l) => l.s).join(' && ')
}
