/**
 * TLC's `TLCGet` and `TLCSet`, which read and write what the checker knows rather than the state:
 * integer registers (`TLCSet(i, v)`, `TLCGet(i)`), the level of the current state
 * (`TLCGet("level")`: 1 for an initial state), and, once the search is over (in a POSTCONDITION),
 * its statistics (`TLCGet("stats")`, `"distinct"`, `"generated"`, `"diameter"`, `"queue"`).
 */
import type { SearchTotals } from '../../core/model.js'
import { fail, makeRecord, show, type Value } from './values.js'

/** The checker's side of a model's evaluation: one per loaded spec. */
export class TlcRegisters {
  readonly registers = new Map<number, Value>()
  /** Whether the spec uses TLCGet or TLCSet at all (then states keep their level). */
  used = false
  /** Set when the search has finished, for the POSTCONDITION. */
  totals: SearchTotals | undefined

  get(key: Value, level: number | undefined): Value {
    if (typeof key === 'number') {
      const v = this.registers.get(key)
      if (v === undefined) fail(`TLCGet(${key}): register ${key} has not been set by TLCSet`)
      return v
    }
    if (key === 'level') {
      if (level === undefined) fail('TLCGet("level") is only defined while a state is evaluated')
      return level
    }
    const t = this.totals
    const stat = (name: string): number => {
      if (!t) fail(`TLCGet(${show(name)}) is only available once the search is over, in a POSTCONDITION`)
      return name === 'distinct' ? t.distinct : name === 'generated' ? t.transitions : name === 'diameter' ? t.depth : 0
    }
    switch (key) {
      case 'distinct':
      case 'generated':
      case 'diameter':
      case 'queue':
        return stat(key)
      case 'stats':
        return makeRecord(['diameter', 'distinct', 'generated', 'queue'], [stat('diameter'), stat('distinct'), stat('generated'), 0])
    }
    return fail(`TLCGet(${show(key)}) is not supported: weft has integer registers, "level", "stats", "distinct", "generated", "diameter" and "queue"`)
  }

  set(key: Value, v: Value): boolean {
    if (typeof key !== 'number' || key < 1) fail(`TLCSet(${show(key)}, ...): weft supports TLCSet on positive integer registers only`)
    this.registers.set(key, v)
    return true
  }
}
