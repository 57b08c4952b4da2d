import type { Model } from '../core/model.js'
import type { Path } from '../core/path.js'
import { formatChoicePath } from '../core/path.js'

/** A value in the Informal Trace Format (ITF), the JSON trace format Apalache and Quint use. */
export type ItfValue =
  | boolean
  | string
  | number
  | null
  | ItfValue[]
  | { '#bigint': string }
  | { '#set': ItfValue[] }
  | { '#map': [ItfValue, ItfValue][] }
  | { '#unserializable': string }
  | { [field: string]: ItfValue }

export interface ItfState {
  '#meta'?: Record<string, unknown>
  [variable: string]: ItfValue | Record<string, unknown> | undefined
}

export interface ItfTrace {
  '#meta': Record<string, unknown>
  vars: string[]
  states: ItfState[]
  loop?: number
}

/** Converts a plain value from a model's view into ITF: integers become `#bigint`, Sets `#set`, Maps `#map`. */
export function toItfValue(v: unknown): ItfValue {
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v
    case 'number':
      return Number.isInteger(v) ? { '#bigint': String(v) } : v
    case 'bigint':
      return { '#bigint': v.toString() }
    case 'object': {
      if (v === null) return null
      if (Array.isArray(v)) return v.map(toItfValue)
      if (v instanceof Set) return { '#set': [...v].map(toItfValue) }
      if (v instanceof Map) return { '#map': [...v].map(([k, e]) => [toItfValue(k), toItfValue(e)] as [ItfValue, ItfValue]) }
      const out: Record<string, ItfValue> = {}
      for (const k of Object.keys(v)) {
        const e = (v as Record<string, unknown>)[k]
        if (e !== undefined) out[k] = toItfValue(e)
      }
      return out
    }
    default:
      return { '#unserializable': String(v) }
  }
}

export interface ItfMeta {
  readonly source: string
  readonly violation?: { kind: string; name: string; message: string }
  readonly failingStep?: { action: string; process?: string }
}

/** Serializes a path: each state with `#meta.index`, and the action that led to it. */
export function pathToItf<S, A>(model: Model<S, A>, path: Path<S, A>, meta: ItfMeta): ItfTrace {
  const states: ItfState[] = []
  const push = (state: S, info: Record<string, unknown>): void => {
    const view = model.view(state)
    const out: ItfState = { '#meta': { index: states.length, ...info } }
    for (const k of Object.keys(view)) out[k] = toItfValue(view[k])
    states.push(out)
  }
  push(path.init, { action: 'init' })
  let prev = path.init
  for (const step of path.steps) {
    const label = model.label(prev, step.action)
    push(step.state, { action: label.action, ...(label.process ? { process: label.process } : {}) })
    prev = step.state
  }
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: meta.source,
      description: `Created by weft for model ${model.name}`,
      'weft:choicePath': formatChoicePath(path.choices, path.failing?.index),
      ...(meta.violation ? { 'weft:violation': meta.violation } : {}),
      ...(meta.failingStep ? { 'weft:failingStep': meta.failingStep } : {}),
    },
    // Every name any state has: processes created later bring their own.
    vars: [...new Set(states.flatMap((st) => Object.keys(st).filter((k) => k !== '#meta')))],
    states,
  }
}

/** A canonical string for an ITF value: equal values give equal strings whatever their set or map order. */
export function canonicalItf(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalItf).join(',')}]`
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>
    if (Array.isArray(o['#set'])) return `#set[${(o['#set'] as unknown[]).map(canonicalItf).sort().join(',')}]`
    if (Array.isArray(o['#map'])) return `#map[${(o['#map'] as unknown[]).map(canonicalItf).sort().join(',')}]`
    if (typeof o['#bigint'] === 'string') return `#${BigInt(o['#bigint'] as string).toString()}`
    return `{${Object.keys(o)
      .filter((k) => k !== '#meta')
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalItf(o[k])}`)
      .join(',')}}`
  }
  if (typeof v === 'number' && Number.isInteger(v)) return `#${v}`
  return JSON.stringify(v) ?? 'undefined'
}
