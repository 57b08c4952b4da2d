import {
  always, and, assertNever, eventually, ff, formulaKey, next, not, or, release, toNnf, tt, until, weakUntil,
  type Formula,
} from './formula.js'

/**
 * Rewrites a formula into a smaller equivalent one in negation normal form, with the rules of Somenzi and
 * Bloem ("Efficient Büchi automata from LTL formulae", CAV 2000) and Etessami and Holzmann ("Optimizing
 * Büchi automata", CONCUR 2000): constant folding, idempotence, absorption, `<><>a = <>a`, `[][]a = []a`,
 * `<>[]<>a = []<>a`, `X a U X b = X(a U b)`, `[]a && []b = [](a && b)`, `<>a || <>b = <>(a || b)`,
 * and the rules for pure eventualities (`<>e = e`, `a U e = e`) and pure universalities (`[]u = u`,
 * `a V u = u`). Conjunctions and disjunctions are flattened, sorted and deduplicated, so that formulas
 * that differ only in the order of their operands become equal.
 *
 * Cost: a few passes over the formula, each quadratic in the width of its conjunctions at worst.
 */
export function simplify(f: Formula): Formula {
  const s = new Simplifier()
  let cur = toNnf(f)
  let key = s.key(cur)
  for (let i = 0; i < 8; i++) {
    const nextF = s.run(cur)
    const nextKey = s.key(nextF)
    if (nextKey === key) return nextF
    cur = nextF
    key = nextKey
  }
  return cur
}

/** Whether `<>f` is equivalent to `f` (f is a pure eventuality), by the syntax of f. */
export function isEventuality(f: Formula): boolean {
  switch (f.kind) {
    case 'true':
    case 'false':
    case 'eventually':
      return true
    case 'always':
    case 'next':
      return isEventuality(f.arg)
    case 'and':
    case 'or':
      return isEventuality(f.left) && isEventuality(f.right)
    case 'until':
      return isEventuality(f.right)
    default:
      return false
  }
}

/** Whether `[]f` is equivalent to `f` (f is a pure universality), by the syntax of f. */
export function isUniversality(f: Formula): boolean {
  switch (f.kind) {
    case 'true':
    case 'false':
    case 'always':
      return true
    case 'eventually':
    case 'next':
      return isUniversality(f.arg)
    case 'and':
    case 'or':
      return isUniversality(f.left) && isUniversality(f.right)
    case 'release':
      return isUniversality(f.right)
    case 'weakUntil':
      return isUniversality(f.left) && isUniversality(f.right)
    default:
      return false
  }
}

/** Both: the truth of f does not depend on the position in the word (`X f = f`), as for `[]<>p`. */
function isSuffixIndependent(f: Formula): boolean {
  return isEventuality(f) && isUniversality(f)
}

class Simplifier {
  private readonly keys = new WeakMap<Formula, string>()

  key(f: Formula): string {
    let k = this.keys.get(f)
    if (k === undefined) {
      k = formulaKey(f)
      this.keys.set(f, k)
    }
    return k
  }

  private same(a: Formula, b: Formula): boolean {
    return a === b || this.key(a) === this.key(b)
  }

  /** One bottom-up pass over a formula in negation normal form. */
  run(f: Formula): Formula {
    switch (f.kind) {
      case 'true':
      case 'false':
      case 'atom':
        return f
      case 'not':
        return f.arg.kind === 'true' ? ff : f.arg.kind === 'false' ? tt : f
      case 'next':
        return this.mkX(this.run(f.arg))
      case 'always':
        return this.mkG(this.run(f.arg))
      case 'eventually':
        return this.mkF(this.run(f.arg))
      case 'and':
        return this.mkAnd([this.run(f.left), this.run(f.right)])
      case 'or':
        return this.mkOr([this.run(f.left), this.run(f.right)])
      case 'until':
        return this.mkU(this.run(f.left), this.run(f.right))
      case 'release':
        return this.mkR(this.run(f.left), this.run(f.right))
      case 'weakUntil':
        return this.mkW(this.run(f.left), this.run(f.right))
      case 'implies':
      case 'iff':
        return this.run(toNnf(f))
      default:
        return assertNever(f)
    }
  }

  private mkX(a: Formula): Formula {
    if (a.kind === 'true' || a.kind === 'false') return a
    if (isSuffixIndependent(a)) return a
    return next(a)
  }

  private mkF(a: Formula): Formula {
    if (isEventuality(a)) return a // also <><>a, <>[]<>a, constants
    if (a.kind === 'until') return this.mkF(a.right) // <>(a U b) = <>b
    if (a.kind === 'next') return this.mkX(this.mkF(a.arg)) // <>X a = X<>a
    if (a.kind === 'and') {
      // <>(a && s) = <>a && s when s does not depend on the position
      const parts = this.flat('and', a)
      const fixed = parts.filter(isSuffixIndependent)
      if (fixed.length > 0) return this.mkAnd([...fixed, this.mkF(this.mkAnd(parts.filter((p) => !isSuffixIndependent(p))))])
    }
    return eventually(a)
  }

  private mkG(a: Formula): Formula {
    if (isUniversality(a)) return a
    if (a.kind === 'release') return this.mkG(a.right) // [](a V b) = []b
    if (a.kind === 'weakUntil') return this.mkG(this.mkOr([a.left, a.right])) // [](a W b) = [](a || b)
    if (a.kind === 'next') return this.mkX(this.mkG(a.arg))
    if (a.kind === 'or') {
      const parts = this.flat('or', a)
      const fixed = parts.filter(isSuffixIndependent)
      if (fixed.length > 0) return this.mkOr([...fixed, this.mkG(this.mkOr(parts.filter((p) => !isSuffixIndependent(p))))])
    }
    return always(a)
  }

  private mkU(a: Formula, b: Formula): Formula {
    if (b.kind === 'true' || b.kind === 'false') return b
    if (a.kind === 'false') return b
    if (a.kind === 'true') return this.mkF(b)
    if (this.same(a, b) || isEventuality(b)) return b
    if (a.kind === 'next' && b.kind === 'next') return this.mkX(this.mkU(a.arg, b.arg))
    if (b.kind === 'until' && this.same(a, b.left)) return b // a U (a U b) = a U b
    if (a.kind === 'until' && this.same(a.right, b)) return a // (a U b) U b = a U b
    if (a.kind === 'always') return this.mkOr([b, this.mkAnd([a, this.mkF(b)])]) // []a U b = b || ([]a && <>b)
    return until(a, b)
  }

  private mkR(a: Formula, b: Formula): Formula {
    if (b.kind === 'true' || b.kind === 'false') return b
    if (a.kind === 'true') return b
    if (a.kind === 'false') return this.mkG(b)
    if (this.same(a, b) || isUniversality(b)) return b
    if (a.kind === 'next' && b.kind === 'next') return this.mkX(this.mkR(a.arg, b.arg))
    if (b.kind === 'release' && this.same(a, b.left)) return b
    if (a.kind === 'release' && this.same(a.right, b)) return a
    if (a.kind === 'eventually') return this.mkAnd([b, this.mkOr([a, this.mkG(b)])]) // <>a V b = b && (<>a || []b)
    return release(a, b)
  }

  private mkW(a: Formula, b: Formula): Formula {
    if (b.kind === 'true' || a.kind === 'true') return tt
    if (a.kind === 'false') return b
    if (b.kind === 'false') return this.mkG(a)
    if (this.same(a, b)) return a
    if (isUniversality(a) && isUniversality(b)) return this.mkOr([a, b])
    if (a.kind === 'next' && b.kind === 'next') return this.mkX(this.mkW(a.arg, b.arg))
    return weakUntil(a, b)
  }

  private flat(kind: 'and' | 'or', f: Formula): Formula[] {
    const out: Formula[] = []
    const walk = (g: Formula): void => {
      if (g.kind === kind) {
        walk(g.left)
        walk(g.right)
      } else out.push(g)
    }
    walk(f)
    return out
  }

  private isComplement(a: Formula, b: Formula): boolean {
    if (a.kind === 'not') return a.arg.kind === 'atom' && b.kind === 'atom' && a.arg.id === b.id
    if (b.kind === 'not') return b.arg.kind === 'atom' && a.kind === 'atom' && b.arg.id === a.id
    return false
  }

  private mkAnd(items: readonly Formula[]): Formula {
    return this.mkJunction('and', items)
  }

  private mkOr(items: readonly Formula[]): Formula {
    return this.mkJunction('or', items)
  }

  /**
   * A conjunction (`and`) or disjunction (`or`) of items: flattened, constants folded, duplicates and
   * absorbed items dropped, operands of the same temporal shape merged, and sorted.
   */
  private mkJunction(kind: 'and' | 'or', items: readonly Formula[]): Formula {
    const unit = kind === 'and' ? 'true' : 'false'
    const zero = kind === 'and' ? ff : tt
    const dual = kind === 'and' ? 'or' : 'and'
    let parts: Formula[] = []
    for (const item of items) parts.push(...this.flat(kind, item))
    parts = parts.filter((p) => p.kind !== unit)
    if (parts.some((p) => p.kind === zero.kind)) return zero
    parts = this.dedupe(parts)
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) if (this.isComplement(parts[i]!, parts[j]!)) return zero
    }
    // Merge operands of the same shape: X, []/<>, U/V with a shared side, []<> / <>[].
    const merged = this.mergeShapes(kind, parts)
    if (merged !== undefined) return merged
    // Absorption: a && (a || b) = a, a || (a && b) = a.
    const keys = new Set(parts.map((p) => this.key(p)))
    parts = parts.filter((p) => p.kind !== dual || !this.flat(dual, p).some((q) => keys.has(this.key(q))))
    parts.sort((x, y) => (this.key(x) < this.key(y) ? -1 : this.key(x) > this.key(y) ? 1 : 0))
    if (parts.length === 0) return kind === 'and' ? tt : ff
    let acc = parts[parts.length - 1]!
    for (let i = parts.length - 2; i >= 0; i--) acc = (kind === 'and' ? and : or)(parts[i]!, acc)
    return acc
  }

  private dedupe(parts: readonly Formula[]): Formula[] {
    const seen = new Set<string>()
    const out: Formula[] = []
    for (const p of parts) {
      const k = this.key(p)
      if (!seen.has(k)) {
        seen.add(k)
        out.push(p)
      }
    }
    return out
  }

  /** Applies one merging rule when two operands share a shape, and returns the rebuilt junction. */
  private mergeShapes(kind: 'and' | 'or', parts: readonly Formula[]): Formula | undefined {
    const junction = (xs: Formula[]): Formula => (kind === 'and' ? this.mkAnd(xs) : this.mkOr(xs))
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        const a = parts[i]!
        const b = parts[j]!
        const m = this.mergePair(kind, a, b, junction)
        if (m !== undefined) return junction([m, ...parts.filter((_, k) => k !== i && k !== j)])
      }
    }
    return undefined
  }

  private mergePair(kind: 'and' | 'or', a: Formula, b: Formula, junction: (xs: Formula[]) => Formula): Formula | undefined {
    // X a op X b = X(a op b)
    if (a.kind === 'next' && b.kind === 'next') return this.mkX(junction([a.arg, b.arg]))
    if (kind === 'and') {
      if (a.kind === 'always' && b.kind === 'always') return this.mkG(this.mkAnd([a.arg, b.arg]))
      // <>[]a && <>[]b = <>[](a && b)
      if (a.kind === 'eventually' && b.kind === 'eventually' && a.arg.kind === 'always' && b.arg.kind === 'always') {
        return this.mkF(this.mkG(this.mkAnd([a.arg.arg, b.arg.arg])))
      }
      // (a V b) && (a V c) = a V (b && c); (a U c) && (b U c) = (a && b) U c
      if (a.kind === 'release' && b.kind === 'release' && this.same(a.left, b.left)) return this.mkR(a.left, this.mkAnd([a.right, b.right]))
      if (a.kind === 'until' && b.kind === 'until' && this.same(a.right, b.right)) return this.mkU(this.mkAnd([a.left, b.left]), a.right)
      if (a.kind === 'weakUntil' && b.kind === 'weakUntil' && this.same(a.right, b.right)) return this.mkW(this.mkAnd([a.left, b.left]), a.right)
    } else {
      if (a.kind === 'eventually' && b.kind === 'eventually') return this.mkF(this.mkOr([a.arg, b.arg]))
      // []<>a || []<>b = []<>(a || b)
      if (a.kind === 'always' && b.kind === 'always' && a.arg.kind === 'eventually' && b.arg.kind === 'eventually') {
        return this.mkG(this.mkF(this.mkOr([a.arg.arg, b.arg.arg])))
      }
      // (a U b) || (a U c) = a U (b || c); (a V c) || (b V c) = (a || b) V c
      if (a.kind === 'until' && b.kind === 'until' && this.same(a.left, b.left)) return this.mkU(a.left, this.mkOr([a.right, b.right]))
      if (a.kind === 'release' && b.kind === 'release' && this.same(a.right, b.right)) return this.mkR(this.mkOr([a.left, b.left]), a.right)
      if (a.kind === 'weakUntil' && b.kind === 'weakUntil' && this.same(a.left, b.left)) return this.mkW(a.left, this.mkOr([a.right, b.right]))
    }
    return undefined
  }
}

/** `!` applied to a formula already in negation normal form (exported for tests of the rules). */
export function notNnf(f: Formula): Formula {
  return toNnf(not(f))
}
