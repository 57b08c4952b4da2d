/**
 * The DynamoDB DNS race of October 2025, as a weft model.
 *
 * A planner produces DNS plans 1..PLANS, newest last, into a queue. Each enactor takes the plan at
 * the head of the queue, checks that it is newer than the active plan, applies it, and then cleans
 * up: it deletes every plan at least KEEP generations older than the plan it applied. In the race,
 * an enactor checks an old plan, stalls, and applies it after another enactor has applied a newer
 * one; that other enactor's clean-up then deletes the plan that is now active, and the DNS records
 * are gone. The fix makes the check and the apply one atomic step.
 */
import { defineModel, leadsTo, type Fairness } from 'weft'

export interface Enactor {
  /** idle: waiting for a plan; took: holds a plan; checked: found it newer than the active one; applied: made it active. */
  readonly pc: 'idle' | 'took' | 'checked' | 'applied'
  readonly plan: number
}

export interface DnsState {
  /** The next plan the planner will produce. */
  readonly next: number
  /** Plans produced and not yet taken, oldest first. */
  readonly queue: readonly number[]
  /** The plan the DNS records come from (0: none yet). */
  readonly active: number
  /** Plans deleted by clean-ups, in increasing order. */
  readonly deleted: readonly number[]
  readonly enactors: readonly Enactor[]
}

export interface DnsOptions {
  readonly ENACTORS?: number
  readonly PLANS?: number
  /** A clean-up after applying plan p deletes plans up to p - KEEP. */
  readonly KEEP?: number
  /** true: the check and the apply are one atomic step (the fix). */
  readonly atomic?: boolean
  /** Check progress: every plan the planner produces is eventually applied or superseded. */
  readonly progress?: boolean
  /** Fairness of every enactor's actions (for the progress properties). */
  readonly fair?: Fairness
}

export function dnsModel(options: DnsOptions = {}) {
  const unknown = Object.keys(options).filter((k) => !['ENACTORS', 'PLANS', 'KEEP', 'atomic', 'progress', 'fair'].includes(k))
  if (unknown.length > 0) throw new Error(`unknown constant ${unknown.join(', ')}: the DNS model takes ENACTORS, PLANS and KEEP`)
  const enactors = options.ENACTORS ?? 2
  const plans = options.PLANS ?? 3
  const keep = options.KEEP ?? 1
  const ids = Array.from({ length: enactors }, (_, i) => i + 1)
  const withEnactor = (s: DnsState, e: number, change: Enactor): DnsEnactors => s.enactors.map((x, i) => (i === e - 1 ? change : x))
  type DnsEnactors = readonly Enactor[]
  const at = (s: DnsState, e: number): Enactor => s.enactors[e - 1]!
  const fair = options.fair ? { fair: options.fair } : {}

  const stepwise = {
    check: {
      params: ids,
      process: 'enactor',
      ...fair,
      step: (s: DnsState, e: number) => {
        const me = at(s, e)
        if (me.pc !== 'took') return undefined
        // A plan no newer than the active one is dropped.
        return { ...s, enactors: withEnactor(s, e, me.plan > s.active ? { pc: 'checked', plan: me.plan } : { pc: 'idle', plan: 0 }) }
      },
    },
    apply: {
      params: ids,
      process: 'enactor',
      ...fair,
      step: (s: DnsState, e: number) => {
        const me = at(s, e)
        if (me.pc !== 'checked') return undefined
        return { ...s, active: me.plan, enactors: withEnactor(s, e, { pc: 'applied', plan: me.plan }) }
      },
    },
  }
  const atomic = {
    checkAndApply: {
      params: ids,
      process: 'enactor',
      ...fair,
      step: (s: DnsState, e: number) => {
        const me = at(s, e)
        if (me.pc !== 'took') return undefined
        if (me.plan <= s.active) return { ...s, enactors: withEnactor(s, e, { pc: 'idle', plan: 0 }) }
        return { ...s, active: me.plan, enactors: withEnactor(s, e, { pc: 'applied', plan: me.plan }) }
      },
    },
  }

  return defineModel<DnsState>({
    name: options.atomic ? 'aws-dns-fixed' : 'aws-dns-race',
    init: {
      next: 1,
      queue: [],
      active: 0,
      deleted: [],
      enactors: ids.map(() => ({ pc: 'idle', plan: 0 })),
    },
    actions: {
      plan: {
        process: 'planner',
        step: (s: DnsState) => s.next <= plans && { ...s, next: s.next + 1, queue: [...s.queue, s.next] },
      },
      take: {
        params: ids,
        process: 'enactor',
        ...fair,
        step: (s, e: number) => {
          if (at(s, e).pc !== 'idle' || s.queue.length === 0) return undefined
          return { ...s, queue: s.queue.slice(1), enactors: withEnactor(s, e, { pc: 'took', plan: s.queue[0]! }) }
        },
      },
      ...(options.atomic ? atomic : stepwise),
      cleanup: {
        params: ids,
        process: 'enactor',
        ...fair,
        step: (s, e: number) => {
          const me = at(s, e)
          if (me.pc !== 'applied') return undefined
          const old: number[] = []
          for (let p = 1; p <= me.plan - keep; p++) old.push(p)
          const deleted = [...new Set([...s.deleted, ...old])].sort((a, b) => a - b)
          return { ...s, deleted, enactors: withEnactor(s, e, { pc: 'idle', plan: 0 }) }
        },
      },
    },
    invariants: {
      activePlanNotDeleted: (s) => !s.deleted.includes(s.active),
    },
    // Plan p, once produced, is eventually the active plan or older than it.
    ...(options.progress
      ? { properties: Object.fromEntries(Array.from({ length: plans }, (_, i) => [`plan${i + 1}Handled`, leadsTo((s: DnsState) => s.next > i + 1, (s: DnsState) => s.active >= i + 1)])) }
      : {}),
    // Done: every plan produced and handled, every enactor idle.
    validEnd: (s) => s.next > plans && s.queue.length === 0 && s.enactors.every((x) => x.pc === 'idle'),
  })
}
