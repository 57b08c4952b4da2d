import { InvalidArgumentError } from 'commander'

/** Commander argument parsers that reject bad values with a message saying what was expected. */
export function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1 for ${name}, got '${value}'`)
    return n
  }
}

/** A whole number from `min` to `max`. */
export function intBetween(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max.toLocaleString('en-US')} for ${name}, got '${value}'`)
    }
    return n
  }
}

export function nonNegativeInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a whole number for ${name}, got '${value}'`)
    return n
  }
}

export function positiveSeconds(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number of seconds above 0 for ${name}, got '${value}'`)
    return n
  }
}

/** Collects repeated `-D NAME=VALUE`; values that read as numbers or booleans become those. */
export function collectConstant(value: string, previous: Record<string, number | boolean | string> = {}): Record<string, number | boolean | string> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(value)
  if (!m) throw new InvalidArgumentError(`expected NAME=VALUE, got '${value}'`)
  const raw = m[2]!
  const parsed = /^-?\d+$/.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw
  return { ...previous, [m[1]!]: parsed }
}
