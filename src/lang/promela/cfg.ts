import { isTransitionFailure, TransitionFailure } from '../../core/model.js'
import { error } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import type { Expr, ForStmt, SelectStmt, Sequence, Step, Stmt, VarDecl, VarRef } from './ast.js'
import { compileExpr, compileRef, type Ev } from './expr.js'
import { compileStatement, noAction, type Action, type StatementContext } from './statements.js'
import { creationDecls, type ProcSym } from './symbols.js'
import type { Exec } from './vector.js'

/** One step a process can take from a location: a statement compiled once, and where it leads. */
export interface Transition extends Action {
  readonly id: number
  /** Target location (resolved through jumps). */
  to: number
  /** The statement's source text, for traces. */
  readonly text: string
  readonly span: Span
  /** The outermost atomic block the statement is in, or -1. */
  readonly atomic: number
  /** Set after resolution: the process keeps exclusive control after this step (it stays inside its atomic block). */
  keepsControl: boolean
  /** For `else`: the transitions of the other options of the same if/do. */
  siblings?: readonly Transition[]
  /** For a whole d_step: the body, run to its end in one step. */
  dstep?: { readonly entry: number; readonly exit: number }
  /**
   * The jumps pan takes as steps of their own after this statement (0 almost always): inside an
   * atomic sequence pan does not fold a jump (a goto, a break, the end of an if option) that leads
   * to the sequence's last statement or out of it, so it executes it as one more step. The state
   * graph is the same; only the depth pan counts grows.
   */
  jumpSteps: number
  /**
   * The statement the transition was compiled from (for a `for` loop's own steps, the statement
   * each stands for), for static analyses such as partial-order reduction's independence; absent
   * when the graph made the step itself, which analyses must treat as doing anything.
   */
  readonly source?: Stmt
}

/** A control location of a proctype: where a process can be, and what it can do there. */
export interface Location {
  readonly id: number
  readonly span: Span
  labels: string[]
  /** Transitions in pan's order: source order, `else` last. */
  trans: Transition[]
  /** `unless` escapes that apply here, which take priority over `trans`. */
  escapes: Transition[]
  /**
   * Where each nested `unless`'s escapes end in `escapes`, outermost first: an outer escape takes
   * priority over an inner one as over the statements it guards.
   */
  escapeLevels: number[]
  /** The outermost atomic block the location is in, or -1. */
  readonly atomic: number
  validEnd: boolean
  progress: boolean
  accept: boolean
  /** The closing brace, where the process may be removed. */
  readonly isEnd: boolean
}

export interface ProcGraph {
  readonly proc: ProcSym
  readonly locations: readonly Location[]
  readonly entry: number
  readonly end: number
  readonly labels: ReadonlyMap<string, number>
}

interface Draft {
  loc: Location
  /** Option entries whose transitions this location offers (an if/do). */
  options: { entry: number; direct?: Transition }[]
  /** A jump: this location is only an alias for a label or another location. */
  alias?: { label: string; span: Span } | { target: number }
  escapeEntries: number[]
  /** Inside an atomic sequence, the sequence's last statement (pan's L_ATOM: leaving it ends atomicity). */
  atomicLast?: boolean
  /** An alias standing for a block's element in pan (not a jump): following jumps stops there. */
  wrapper?: boolean
  /** The first statement of an outermost atomic sequence, where pan's `atomic` element (outside every sequence) leads. */
  sequenceEntry?: boolean
  /**
   * A block's entry, where the escapes of an unless inside the block begin (`escapeEntries` from
   * this index on): pan also offers there the escapes of each such escape's first statement.
   */
  blockEscapesFrom?: number
}

/**
 * Builds a proctype's flow graph as pan's canonical configuration has it: each basic statement is
 * one transition; if/do offer their options' first statements from their own location; a goto or
 * break is a transition only as the first statement of an option, and otherwise folds into the
 * jump of the statement before it; `atomic {` and labels are not steps; a d_step is one step.
 */
export class GraphBuilder {
  private readonly drafts: Draft[] = []
  private readonly labels = new Map<string, number>()
  private atomicCounter = 0
  private atomic = -1
  /** The step about to be built is the last of an atomic sequence. */
  private lastOfAtomic = false
  /** The statement being built is the last of an atomic sequence (read where a compound statement starts). */
  private lastInAtomic = false
  private escapes: number[] = []
  private atCreation = new Set<VarDecl>()
  /** Transitions whose target was a goto's label (before jumps were resolved). */
  private readonly jumps = new Set<Transition>()
  /** Transitions that are, or pass through, the last element of an atomic sequence: they never keep control. */
  private readonly releasing = new Set<Transition>()
  /** The `(1)` steps of gotos and breaks with an end, progress or accept label (`stmtOrKeptJump`). */
  private readonly labelledJumps = new Set<Transition>()
  /** Transitions that are a goto or break of their own (`blockBody`): their first jump is the step itself. */
  private readonly ownJumps = new Set<Transition>()
  /** Where a label on a statement stands when not on its entry: a for loop's labels are on its loop head, past the initialisation. */
  private readonly labelHome = new Map<number, number>()
  /** The block about to be built is the main part of an unless: its elements stand in the enclosing sequence. */
  private unlessBlock = false
  /** The d_step being built (-1: none), each d_step's number, and where each label and loop exit stands. */
  private dstepId = -1
  private dstepCount = 0
  private readonly labelDstep = new Map<string, number>()
  private readonly exitDstep = new Map<number, number>()
  /** The locations of d_step statements not inside braces of their own: a loop exit to one jumps into it. */
  private readonly dstepEntries = new Set<number>()
  /** Labels on d_step statements: a goto to one jumps into the sequence (SPIN). */
  private readonly dstepLabels = new Set<string>()
  /** The gotos built, with the d_step each stands in, checked against their labels once all are known. */
  private readonly gotos: { label: string; span: Span; dstep: number }[] = []
  /** A block's own entry location that offers the options of the if or do opening it: that if's or do's location. */
  private readonly ifDoOf = new Map<number, number>()
  /** Escapes (by entry) that open with a do outside any atomic sequence: the jump into the do, as a state inside one takes it. */
  private readonly escapeFromAtomic = new Map<number, number>()
  /** Gotos and breaks a block is entered at through an unless's main part (`blockBody`): each a step of its own. */
  private readonly enteredJumps = new Set<Step>()
  /** Transitions whose way to their target passes an outermost atomic sequence's `atomic` element (`entersSequence`). */
  private readonly entering = new Set<Transition>()
  private nextTransition: { n: number }

  constructor(
    private readonly proc: ProcSym,
    private readonly scope: StatementContext,
    private readonly sourceText: (span: Span) => string,
    counter: { n: number },
  ) {
    this.nextTransition = counter
  }

  /** Pass 1: the locations and labels (no statement compiled yet). Pass 2 (`finish`) compiles. */
  build(body: Sequence, span: Span): ProcGraph {
    this.atCreation = new Set(creationDecls(body))
    const end = this.location(span, true)
    const entry = this.seq(body, end, undefined)
    for (const g of this.gotos) {
      if (this.dstepLabels.has(g.label) && g.dstep < 0) {
        this.scope.report(error('PML110', 'a goto into a d_step sequence', { span: g.span, hint: 'a label on a d_step stands inside it for SPIN (jump into d_step sequence): label a statement before it' }))
        continue
      }
      const dstep = this.labelDstep.get(g.label)
      if (dstep !== undefined) this.checkDstepJump(g.dstep, dstep, g.span)
    }
    const resolved = (id: number): number => this.resolve(id)
    for (const d of this.drafts) {
      for (const t of this.ownTransitions(d)) {
        if (this.throughGoto(t.to)) this.jumps.add(t)
        if (this.entersSequence(t.to)) this.entering.add(t)
        // A jump that is an option's first statement stands inside its if/do's options, never last.
        const direct = d.options.some((o) => o.direct === t)
        // (A goto with an end, progress or accept label is pan's `(1)` and then the goto: the goto, not
        // the step, is the sequence's last element, so a jump out of the sequence is kept as a step.)
        t.jumpSteps = this.jumpSteps(direct || !d.atomicLast || this.labelledJumps.has(t) ? d.loc.atomic : -1, t.to, this.ownJumps.has(t))
        if ((d.atomicLast && !direct) || (t.jumpSteps > 0 && this.throughLast(t.to))) this.releasing.add(t)
        t.to = resolved(t.to)
      }
    }
    return this.finish(resolved(entry), end)
  }

  /**
   * Whether the jumps from a location pass the last element of an atomic sequence (an if's or do's
   * exit that ends it), which pan executes without atomic control: the step then gives up control
   * wherever it lands, even back inside an atomic sequence.
   */
  private throughLast(id: number): boolean {
    for (let n = 0, e: number | undefined = id; e !== undefined && n < 1000; n++) {
      const d: Draft = this.drafts[e]!
      if (!d.alias || d.wrapper) return false
      if (d.atomicLast) return true
      e = 'target' in d.alias ? d.alias.target : this.labels.get(d.alias.label)
    }
    return false
  }

  /** Whether a target is reached through a goto (not only through the structural jumps of if/do). */
  private throughGoto(id: number): boolean {
    for (let n = 0, e: number | undefined = id; e !== undefined && n < 1000; n++) {
      const alias: Draft['alias'] = this.drafts[e]!.alias
      if (!alias) return false
      if (!('target' in alias)) return true
      e = alias.target
    }
    return false
  }

  /**
   * How many jumps on the way from a statement to `to` pan keeps as steps (`Transition.jumpSteps`),
   * given the atomic sequence the statement stands in (-1 when none, or when it is the sequence's
   * last): following SPIN's `huntele`, from inside an atomic sequence a jump whose own target is the
   * sequence's last statement or outside it is not folded. pan enters another atomic sequence
   * through its `atomic` element, which stands outside every sequence: a jump into the next
   * sequence's first statement is kept, a goto to a label inside another sequence is folded (SPIN
   * rejects a label on the first statement inside the braces, so the entry is only reached so).
   */
  private jumpSteps(fromSequence: number, to: number, ownJump = false): number {
    const within = (d: Draft): number => (d.loc.atomic >= 0 && !d.atomicLast ? d.loc.atomic : -1)
    let sequence = fromSequence
    let count = 0
    let e = to
    for (let n = 0; n < 1000; n++) {
      const alias = this.drafts[e]!.alias
      if (!alias || this.drafts[e]!.wrapper) break
      const g = 'target' in alias ? alias.target : this.labels.get(alias.label)
      if (g === undefined) break
      const target = this.drafts[g]!
      // A label on a sequence's first statement stands on the `atomic` element: outside, even for a
      // goto from within the same sequence.
      const outside = within(target) < 0 || (target.sequenceEntry === true && (target.loc.atomic !== sequence || !('target' in alias)))
      if (sequence >= 0 && outside) {
        if (!ownJump || n > 0) count++
        sequence = within(this.drafts[e]!)
      }
      e = g
    }
    return count
  }

  /** Inside an atomic sequence: a location standing for a jump pan keeps as an element (an if's or do's exit, a break). */
  private jumpElement(span: Span, target: number, last: boolean): number {
    if (this.atomic < 0) return target
    const id = this.location(span)
    this.drafts[id]!.alias = { target }
    if (last) this.drafts[id]!.atomicLast = true
    return id
  }

  private location(span: Span, isEnd = false): number {
    const id = this.drafts.length
    const loc: Location = { id, span, labels: [], trans: [], escapes: [], escapeLevels: [], atomic: this.atomic, validEnd: isEnd, progress: false, accept: false, isEnd }
    this.drafts.push({ loc, options: [], escapeEntries: [...this.escapes] })
    return id
  }

  private transition(from: number, to: number, span: Span, action: () => Action, extra: Partial<Transition> = {}): Transition {
    const id = this.nextTransition.n++
    const text = this.sourceText(span)
    const t = transitionOf({ id, to, text, span, atomic: this.drafts[from]!.loc.atomic, keepsControl: false, jumpSteps: 0, ...action(), ...extra })
    this.drafts[from]!.loc.trans.push(t)
    return t
  }

  private ownTransitions(d: Draft): Transition[] {
    return [...d.loc.trans, ...d.options.flatMap((o) => (o.direct ? [o.direct] : []))]
  }

  /** `seq`, where with `last` the sequence's last step is the last statement of an atomic sequence. */
  private seqEndingAtomic(seq: Sequence, next: number, loopExit: number | undefined, last: boolean): number {
    let entry = next
    for (let i = seq.steps.length - 1; i >= 0; i--) {
      this.lastOfAtomic = last && i === seq.steps.length - 1
      entry = this.step(seq.steps[i]!, entry, loopExit)
    }
    this.lastOfAtomic = false
    return entry
  }

  /** Builds a sequence backwards; returns its entry location (`next` for an empty one). */
  private seq(seq: Sequence, next: number, loopExit: number | undefined): number {
    let at = next
    for (let i = seq.steps.length - 1; i >= 0; i--) at = this.step(seq.steps[i]!, at, loopExit)
    return at
  }

  private step(step: Step, next: number, loopExit: number | undefined): number {
    const last = this.lastOfAtomic
    this.lastOfAtomic = false
    const entry = this.unmarkedStep(step, next, loopExit, last)
    // A basic statement is its own element; a compound statement's last element is its exit, marked where it is built.
    if (last && entry !== next && this.atomic >= 0 && !COMPOUND.has(step.stmt.kind) && !step.unless) this.drafts[entry]!.atomicLast = true
    // A block or inner atomic sequence that ends one keeps its own element, which stays inside the
    // sequence (SPIN's make_atomic clears ATOM only on the innermost last statement): a jump to it folds.
    if (last && entry !== next && this.atomic >= 0 && (step.stmt.kind === 'block' || step.stmt.kind === 'atomic')) {
      const wrapper = this.location(step.stmt.span)
      this.drafts[wrapper]!.alias = { target: entry }
      this.drafts[wrapper]!.wrapper = true
      return wrapper
    }
    return entry
  }

  private unmarkedStep(step: Step, next: number, loopExit: number | undefined, last: boolean): number {
    this.lastInAtomic = last
    let entry: number
    if (step.unless) {
      // Inside an atomic sequence, pan keeps the element after an unless (`.(goto)`) as a step, as after fi/od.
      const exit = this.jumpElement(step.span, next, last)
      this.lastInAtomic = false
      const hunted = this.atomic < 0 ? huntedEscape(step.unless) : step.unless
      let escape = this.seq(hunted, exit, loopExit)
      // pan hunts on through the main part of an unless that opens the escape, to a goto or break
      // there: the escape then enters the jump's target, and that unless's own escapes are not offered.
      const jump = this.atomic < 0 ? jumpOpeningUnless(hunted) : undefined
      if (jump?.kind === 'goto') escape = this.jumpTo(jump.label, jump.span)
      else if (jump?.kind === 'break' && loopExit !== undefined) escape = loopExit
      // A do is entered through the jump target SPIN puts before it; pan hunts through that jump
      // only where it keeps atomicity, so from a state inside an atomic sequence (not its last) an
      // escape that opens with a do outside the sequence is that jump, a step always executable.
      if (this.atomic < 0 && opensWithDo(step.unless)) {
        const jump = this.location(step.unless.span)
        this.makeTransition(jump, this.ifDoOf.get(escape) ?? escape, step.unless.span, jumpAction)
        this.escapeFromAtomic.set(escape, jump)
      }
      this.escapes.push(escape)
      this.unlessBlock = step.stmt.kind === 'block'
      entry = this.stmtOrKeptJump(step, exit, loopExit)
      this.escapes.pop()
    } else {
      entry = this.stmtOrKeptJump(step, next, loopExit)
    }
    for (const label of step.labels) this.defineLabel(label, this.labelHome.get(entry) ?? entry)
    // A label on a d_step stands on SPIN's d_step element, which counts as inside the sequence.
    if (step.stmt.kind === 'dStep') for (const label of step.labels) this.dstepLabels.add(label.name)
    return entry
  }

  private defineLabel(label: { name: string; span: Span }, at: number): void {
    if (this.labels.has(label.name)) this.scope.report(error('PML105', `label '${label.name}' is defined twice in '${this.proc.name}'`, { span: label.span }))
    this.labels.set(label.name, at)
    this.labelDstep.set(label.name, this.dstepId)
    this.drafts[at]!.loc.labels.push(label.name)
  }

  /**
   * A goto or break with an end, progress or accept label keeps a location of its own (the label
   * must mark a state), and jumping from there is a step of its own, as pan's `(1)`.
   */
  private stmtOrKeptJump(step: Step, next: number, loopExit: number | undefined): number {
    const st = step.stmt
    if (st.kind !== 'goto' && st.kind !== 'break') return this.stmt(st, next, loopExit)
    if (this.enteredJumps.has(step)) return this.ownJump(st, this.jumpTarget(st, next, loopExit))
    if (!step.labels.some((l) => isSpecialLabel(l.name))) return this.stmt(st, next, loopExit)
    const target = this.jumpTarget(st, next, loopExit)
    const at = this.location(st.span)
    this.labelledJumps.add(this.makeTransition(at, target, st.span, jumpAction, { source: st }))
    return at
  }

  /**
   * The body of a block or atomic sequence (`seqEndingAtomic`). pan never hunts through a block's
   * first element, so a goto or break that opens the body is a step of its own, not folded into the
   * statement before the block.
   */
  private blockBody(body: Sequence, next: number, loopExit: number | undefined, last: boolean): number {
    const first = body.steps[0]
    if (first?.unless) {
      // pan enters a block at the first statement of an unless's main part (SPIN's `huntstart`), not
      // hunting through a goto or break there either: it is a step of its own, with the escapes.
      let entered: Step | undefined = first
      while (entered?.unless && entered.stmt.kind === 'block') entered = entered.stmt.body.steps[0]
      if (entered && (entered.stmt.kind === 'goto' || entered.stmt.kind === 'break')) this.enteredJumps.add(entered)
      // pan enters a block through the block's own element, numbered after everything in it, and
      // when it folds an escape into a state it takes the escape's state as already folded if that
      // is numbered lower (pan's retrans): so the block's entry offers the escapes of the escapes too.
      const outer = this.escapes.length
      const entry = this.seqEndingAtomic(body, next, loopExit, last)
      if (this.drafts[entry]!.escapeEntries.length > outer) this.drafts[entry]!.blockEscapesFrom = outer
      return entry
    }
    if (!first || (first.stmt.kind !== 'goto' && first.stmt.kind !== 'break')) return this.seqEndingAtomic(body, next, loopExit, last)
    // What follows the jump is unreachable but still built, for its labels.
    this.seqEndingAtomic({ ...body, steps: body.steps.slice(1) }, next, loopExit, last)
    const st = first.stmt
    const target = this.jumpTarget(st, next, loopExit)
    const at = this.ownJump(st, target)
    // A goto alone in an atomic sequence is its last element: pan hunts on from it as from outside.
    if (last && body.steps.length === 1 && this.atomic >= 0 && st.kind === 'goto') {
      this.drafts[at]!.atomicLast = true
      this.drafts[target]!.atomicLast = true
    }
    for (const label of first.labels) this.defineLabel(label, at)
    return at
  }

  /**
   * A location of its own that offers the options of the if/do at `entry`, as pan's element for a
   * block or atomic sequence that starts with one; the escapes of an unless around the if/do apply
   * there too.
   */
  private optionsOf(entry: number, span: Span): number {
    const first = this.drafts[entry]!
    const at = this.location(span)
    this.drafts[at]!.options.push({ entry })
    this.drafts[at]!.escapeEntries = [...first.escapeEntries]
    if (first.blockEscapesFrom !== undefined) this.drafts[at]!.blockEscapesFrom = first.blockEscapesFrom
    return at
  }

  /** A goto or break as a step of its own, from a location of its own; returns that location. */
  private ownJump(st: Stmt, target: number): number {
    const at = this.location(st.span)
    this.ownJumps.add(this.makeTransition(at, target, st.span, jumpAction))
    return at
  }

  /** Where a goto or break leads (a location that resolves to the goto's label). */
  private jumpTarget(st: Stmt, next: number, loopExit: number | undefined): number {
    if (st.kind === 'goto') {
      this.gotos.push({ label: st.label, span: st.span, dstep: this.dstepId })
      return this.jumpTo(st.label, st.span)
    }
    if (loopExit === undefined) this.scope.report(error('PML106', "'break' outside a do loop", { span: st.span }))
    else this.checkDstepJump(this.dstepId, this.exitDstep.get(loopExit) ?? -1, st.span)
    return loopExit ?? next
  }

  /** A loop whose break leads straight to a d_step (what follows it, also past the end of an if) jumps into it, for SPIN. */
  private checkLoopExit(next: number, span: Span): void {
    if (this.dstepId < 0 && this.dstepEntries.has(next)) {
      this.scope.report(error('PML110', "the loop's break leads straight into a d_step sequence", { span, hint: 'SPIN rejects this (jump into d_step sequence): put a statement between the loop and the d_step' }))
    }
  }

  /** SPIN rejects a goto or break from one d_step into another, into one from outside, or out of one. */
  private checkDstepJump(fromDstep: number, targetDstep: number, span: Span): void {
    if (targetDstep === fromDstep) return
    this.scope.report(error('PML110', fromDstep >= 0 ? 'a goto or break out of a d_step sequence' : 'a goto into a d_step sequence', { span, hint: 'a d_step runs as one indivisible step: jump only within it (SPIN: jump into d_step sequence)' }))
  }

  private stmt(st: Stmt, next: number, loopExit: number | undefined): number {
    switch (st.kind) {
      case 'decl': {
        let at = next
        for (let i = st.vars.length - 1; i >= 0; i--) at = this.declaration(st.vars[i]!, at)
        return at
      }
      case 'goto': {
        const id = this.location(st.span)
        this.drafts[id]!.alias = { label: st.label, span: st.span }
        this.gotos.push({ label: st.label, span: st.span, dstep: this.dstepId })
        return id
      }
      case 'break': {
        if (loopExit === undefined) {
          this.scope.report(error('PML106', "'break' outside a do loop", { span: st.span }))
          return next
        }
        this.checkDstepJump(this.dstepId, this.exitDstep.get(loopExit) ?? -1, st.span)
        return this.jumpElement(st.span, loopExit, this.lastInAtomic)
      }
      case 'block': {
        // A block that is an atomic sequence's last statement ends with the sequence's last statement.
        const unless = this.unlessBlock
        this.unlessBlock = false
        const entry = unless ? this.seqEndingAtomic(st.body, next, loopExit, this.lastInAtomic) : this.blockBody(st.body, next, loopExit, this.lastInAtomic)
        // (A d_step inside braces is entered through the block's element: no jump into it.)
        if (!unless) this.dstepEntries.delete(entry)
        const first = this.drafts[entry]
        // pan gives a block that starts with an if/do an entry location of its own, which offers the
        // if/do's options; the if/do's own location is where its loop comes back to.
        if (!first || first.alias || first.options.length === 0) return entry
        const at = this.optionsOf(entry, st.span)
        this.ifDoOf.set(at, entry)
        return at
      }
      case 'atomic': {
        const outer = this.atomic
        if (outer < 0) this.atomic = this.atomicCounter++
        // The body's last statement is the sequence's last (and so is an inner sequence's, when this one is last).
        const entry = this.blockBody(st.body, next, loopExit, outer < 0 || this.lastInAtomic)
        const sequence = this.atomic
        this.atomic = outer
        // pan's `atomic` element offers the options of an if/do that starts the sequence from a location
        // of its own, as a block does: a do loops back to its own location, not to the sequence's entry.
        const first = this.drafts[entry]
        const at = first && !first.alias && first.options.length > 0 ? this.optionsOf(entry, st.span) : entry
        if (outer < 0 && (at !== entry || this.drafts[entry]!.loc.atomic === sequence)) this.drafts[at]!.sequenceEntry = true
        return at
      }
      case 'if':
      case 'do': {
        if (st.kind === 'do' && st.options.some(hasBreak)) this.checkLoopExit(next, st.span)
        const last = this.lastInAtomic
        const at = this.location(st.span)
        // pan's exit element after fi/od: a jump it keeps as a step inside an atomic sequence.
        const exit = this.jumpElement(st.span, next, last)
        this.exitDstep.set(exit, this.dstepId)
        const after = st.kind === 'do' ? at : exit
        const innerExit = st.kind === 'do' ? exit : loopExit
        for (const option of st.options.map((o) => this.pruneSkips(o))) {
          const first = option.steps[0]
          const jump = first && !first.unless && !first.labels.some((l) => isSpecialLabel(l.name)) && (first.stmt.kind === 'goto' || first.stmt.kind === 'break') ? first.stmt : undefined
          if (jump) {
            // A jump as an option's first statement is a step of its own, from the if/do; a plain label
            // on it stands for where it jumps. What follows it is unreachable but still built, for its labels.
            this.seq({ ...option, steps: option.steps.slice(1) }, after, innerExit)
            const target = this.jumpTarget(jump, next, innerExit)
            for (const label of first!.labels) this.defineLabel(label, target)
            const direct = this.makeTransition(at, target, jump.span, jumpAction, { source: jump })
            this.drafts[at]!.loc.trans.pop()
            this.drafts[at]!.options.push({ entry: -1, direct })
            continue
          }
          const entry = this.seq(option, after, innerExit)
          this.drafts[at]!.options.push({ entry })
        }
        return at
      }
      case 'dStep': {
        const at = this.location(st.span)
        const exit = this.location(st.span)
        const outer = this.dstepId
        this.dstepId = this.dstepCount++
        const entry = this.seq(st.body, exit, loopExit)
        this.dstepId = outer
        // Executable when its first statement is (what an `else` beside it asks too).
        this.makeTransition(at, next, st.span, () => {
          const first = this.drafts[this.resolve(entry)]!.loc
          return { kind: 'dStep', guard: (x) => firstExecutable(x, first.trans) !== undefined, effect: () => {} }
        }, { dstep: { entry, exit }, source: st })
        this.dstepEntries.add(at)
        return at
      }
      case 'for': {
        const counter = this.scope.proc?.forCounters.get(st.id)
        if (counter) return this.forInChannel(st, counter.name, next, loopExit)
        return this.forLoop(st.variable, st.range, st.body, next, st.span)
      }
      case 'select':
        return this.select(st, next, loopExit)
      case 'inlineCall':
        this.scope.report(error('PML107', `'${st.name}' is not an inline`, { span: st.span }))
        return next
      default: {
        const at = this.location(st.span)
        this.makeTransition(at, next, st.span, () => compileStatement(st, this.scope, this.sourceText(st.span)), { source: st })
        return at
      }
    }
  }

  /**
   * SPIN's parser drops redundant skips from each if/do option (`prune_opts`): in a run of unlabelled
   * skip-like statements (`skip`, `true`, `1`, printf, printm), every skip after the first is removed,
   * except the option's first and last statement; printf and printm stay. Never claims keep theirs.
   */
  private pruneSkips(option: Sequence): Sequence {
    // A never claim is built with no proctype number.
    if (this.proc.index < 0) return option
    let run = 0
    const last = option.steps.length - 1
    const steps = option.steps.filter((step, i) => {
      if (!isSkipLike(step)) {
        run = 0
        return true
      }
      run++
      return run < 2 || step.stmt.kind === 'printf' || step.stmt.kind === 'printm' || i === 0 || i === last
    })
    return steps.length === option.steps.length ? option : { ...option, steps }
  }

  /**
   * A declaration after the start of the body is an assignment step where it stands, as SPIN
   * makes it: `v = init` (0 without one), `a[0] = init` for an array, and a step that changes
   * nothing for a structure. (A channel with an initialiser is created with the process.)
   */
  private declaration(v: VarDecl, next: number): number {
    if (this.atCreation.has(v) || v.init?.kind === 'chanInit') return next
    const sym = this.scope.proc?.locals.get(v.name)
    if (!sym) return next
    const span = v.span
    const at = this.location(span)
    let type = sym.type
    const isArray = type.kind === 'array'
    while (type.kind === 'array') type = type.elem
    if (type.kind === 'struct') {
      this.makeTransition(at, next, span, jumpAction, { source: { kind: 'skip', id: v.id, span } })
      return at
    }
    const value: Expr = v.init ?? { kind: 'number', id: v.id, span, value: 0 }
    const target: VarRef = { kind: 'ref', id: v.id, span, name: v.name, fields: [], ...(isArray ? { index: { kind: 'number', id: v.id, span, value: 0 } } : {}) }
    const assign: Stmt = { kind: 'assign', id: v.id, span, target, value }
    this.makeTransition(at, next, span, () => compileStatement(assign, this.scope, this.sourceText(span)), { source: assign })
    return at
  }

  private makeTransition(from: number, to: number, span: Span, action: () => Action, extra: Partial<Transition> = {}): Transition {
    return this.transition(from, to, span, action, extra)
  }

  private jumpTo(label: string, span: Span): number {
    const id = this.location(span)
    this.drafts[id]!.alias = { label, span }
    return id
  }

  /** `for (i : a .. b) body` runs as `i = a; do :: i <= b -> body; i++ :: else -> break od`. */
  private forLoop(variable: VarRef, range: { kind: 'range'; from: Expr; to: Expr } | { kind: 'in'; array: VarRef }, body: Sequence, next: number, span: Span): number {
    this.checkLoopExit(next, span)
    const lv = compileRef(variable, this.scope)
    let from: Ev
    let to: Ev
    // Each step of the loop reads as the statement it stands for, as SPIN prints them in traces.
    const name = this.sourceText(variable.span)
    let fromText = '0'
    let toText: string
    let bound: Expr = range.kind === 'range' ? range.to : { kind: 'number', id: variable.id, span, value: 0 }
    if (range.kind === 'range') {
      from = compileExpr(range.from, this.scope)
      to = compileExpr(range.to, this.scope)
      fromText = this.sourceText(range.from.span)
      toText = this.sourceText(range.to.span)
    } else {
      const arr = compileRef({ ...range.array }, this.scope)
      const sym = this.scope.proc?.locals.get(range.array.name) ?? this.scope.symbols.globals.get(range.array.name)
      if (sym && sym.type.kind !== 'array') {
        this.scope.report(error('PML213', `'${range.array.name}' is not an array, so for (${this.sourceText(variable.span)} in ${range.array.name}) has no indices to take`, { span: range.array.span, label: 'not an array', hint: 'for (i in a) takes the indices of an array; over a channel, the loop variable must be a structure as the messages are' }))
      }
      const length = sym && sym.type.kind === 'array' ? sym.type.length : 1
      void arr
      from = () => 0
      to = () => length - 1
      toText = String(length - 1)
      bound = { kind: 'number', id: variable.id, span, value: length - 1 }
    }
    // The exit reads `else`, on the line where the loop's body ends.
    const closing: Span = { file: span.file, start: Math.max(span.start, span.end - 1), end: span.end }
    // Inside an atomic sequence, pan keeps the loop's exit element and the break to it (`jumpElement`).
    const exit = this.jumpElement(span, next, this.lastInAtomic)
    const init = this.location(span)
    const loop = this.location(span)
    const incr = this.location(span)
    // The statements each step stands for (`source`), for static analyses.
    const id = variable.id
    const incrStmt: Stmt = { kind: 'incr', id, span, target: variable }
    const test: Stmt = { kind: 'exprStmt', id, span, expr: { kind: 'binary', id, span, op: '<=', left: variable, right: bound } }
    const start: Stmt = { kind: 'assign', id, span, target: variable, value: range.kind === 'range' ? range.from : { kind: 'number', id, span, value: 0 } }
    this.makeTransition(incr, loop, span, () => ({ kind: 'plain', guard: () => true, effect: (x) => lv?.store(x, x.v[lv.slot(x)]! + 1) }), { text: `${name} = ${name} + 1`, source: incrStmt })
    this.exitDstep.set(exit, this.dstepId)
    const bodyEntry = this.seq(body, incr, exit)
    const guard = this.location(span)
    this.makeTransition(guard, bodyEntry, span, () => ({ kind: 'plain', guard: (x) => (lv ? x.v[lv.slot(x)]! <= to(x) : false), effect: () => {} }), { text: `${name} <= ${toText}`, source: test })
    const otherwise = this.location(closing)
    this.makeTransition(otherwise, this.jumpElement(span, exit, false), closing, () => ({ kind: 'else', guard: () => true, effect: () => {} }), { text: 'else', source: { kind: 'else', id, span } })
    this.drafts[loop]!.options.push({ entry: guard }, { entry: otherwise })
    this.makeTransition(init, loop, span, () => ({ kind: 'plain', guard: () => true, effect: (x) => lv?.store(x, from(x)) }), { text: `${name} = ${fromText}`, source: start })
    // SPIN's parser emits the initialisation before the loop and puts the for's labels on the loop.
    this.labelHome.set(init, loop)
    return init
  }

  /**
   * `for (v in ch) body` over a channel, as SPIN builds it: with the process's hidden counter `n`,
   * `n = 0; do :: n < len(ch) -> ch?v; ch!v; body; n++ :: else -> break od`, so each pass takes the
   * head message into `v` and puts it back at the tail.
   */
  private forInChannel(st: ForStmt, counterName: string, next: number, loopExit: number | undefined): number {
    const { span, variable } = st
    if (st.range.kind !== 'in') return next
    const chan = st.range.array
    const counter: VarRef = { kind: 'ref', id: st.id, span, name: counterName, fields: [] }
    const step = (stmt: Stmt): Step => ({ kind: 'step', id: st.id, span, labels: [], stmt })
    const seq = (...stmts: Stmt[]): Sequence => ({ kind: 'sequence', id: st.id, span, steps: stmts.map(step) })
    const test: Stmt = { kind: 'exprStmt', id: st.id, span, expr: { kind: 'binary', id: st.id, span, op: '<', left: counter, right: { kind: 'chanQuery', id: st.id, span, op: 'len', chan } } }
    const receive: Stmt = { kind: 'receive', id: st.id, span, chan, random: false, keep: false, args: [{ kind: 'recvVar', ref: variable, span: variable.span }] }
    const send: Stmt = { kind: 'send', id: st.id, span, chan, sorted: false, args: [variable] }
    const loop: Sequence = { ...seq(test, receive, send), steps: [...seq(test, receive, send).steps, ...st.body.steps, step({ kind: 'incr', id: st.id, span, target: counter })] }
    const otherwise = seq({ kind: 'else', id: st.id, span }, { kind: 'break', id: st.id, span })
    const head = this.seq(seq({ kind: 'do', id: st.id, span, options: [loop, otherwise] }), next, loopExit)
    const init = this.seq(seq({ kind: 'assign', id: st.id, span, target: counter, value: { kind: 'number', id: st.id, span, value: 0 } }), head, loopExit)
    this.labelHome.set(init, head)
    return init
  }

  /**
   * `select (v : a .. b)` as SPIN 6.5 builds it. Its lexer rewrites `select ( name : digits .. digits )` outside
   * inline bodies (name letters and digits only) into `if :: v = a :: … :: v = b fi` when b - a <= 32, and into
   * `v = a; do :: (v < b) -> v++ :: break od` otherwise; every other select is the parser's
   * `v = a; do :: break :: v < b -> v++ od` (the break option first).
   */
  private select(st: SelectStmt, next: number, loopExit: number | undefined): number {
    const { variable, span } = st
    const num = (value: number): Expr => ({ kind: 'number', id: st.id, span, value })
    const step = (stmt: Stmt): Step => ({ kind: 'step', id: st.id, span, labels: [], stmt })
    const seq = (...stmts: Stmt[]): Sequence => ({ kind: 'sequence', id: st.id, span, steps: stmts.map(step) })
    const assign = (value: Expr): Stmt => ({ kind: 'assign', id: st.id, span, target: variable, value })
    const less: Stmt = { kind: 'exprStmt', id: st.id, span, expr: { kind: 'binary', id: st.id, span, op: '<', left: variable, right: st.to } }
    const incr: Stmt = { kind: 'incr', id: st.id, span, target: variable }
    const brk: Stmt = { kind: 'break', id: st.id, span }
    const from = this.lexicalNumber(st.from)
    const to = this.lexicalNumber(st.to)
    if (!st.inInline && /^[A-Za-z0-9]+$/.test(variable.name) && variable.index === undefined && variable.fields.length === 0 && from !== undefined && to !== undefined) {
      if (from > to) {
        this.scope.report(error('PML209', `bad range in select statement: ${from} .. ${to}`, { span }))
        return next
      }
      if (to - from <= 32) {
        const options = Array.from({ length: to - from + 1 }, (_, i) => seq(assign(num(from + i))))
        return this.stmt({ kind: 'if', id: st.id, span, options }, next, loopExit)
      }
      return this.seq(seq(assign(num(from)), { kind: 'do', id: st.id, span, options: [seq(less, incr), seq(brk)] }), next, loopExit)
    }
    return this.seq(seq(assign(st.from), { kind: 'do', id: st.id, span, options: [seq(brk), seq(less, incr)] }), next, loopExit)
  }

  /** The value of a bound that SPIN's lexer reads as plain decimal digits (written so, or a macro standing for them). */
  private lexicalNumber(e: Expr): number | undefined {
    if (e.kind !== 'number' || e.value < 0) return undefined
    const text = this.sourceText(e.span)
    return /^[0-9]+$/.test(text) || /^[A-Za-z_]\w*$/.test(text) ? e.value : undefined
  }

  /** Follows jumps to the location control really reaches. */
  private resolve(id: number, seen = new Set<number>()): number {
    const d = this.drafts[id]!
    if (!d.alias) return id
    if (seen.has(id)) {
      this.scope.report(error('PML108', 'these gotos jump to each other forever', { span: d.loc.span }))
      return id
    }
    seen.add(id)
    if ('target' in d.alias) return this.resolve(d.alias.target, seen)
    const target = this.labels.get(d.alias.label)
    if (target === undefined) {
      this.scope.report(error('PML104', `no label '${d.alias.label}' in '${this.proc.name}'`, { span: d.alias.span }))
      d.alias = undefined
      return id
    }
    d.alias = { target }
    return this.resolve(target, seen)
  }

  /**
   * Whether the way to `id` passes pan's `atomic` element of an outermost sequence: a location
   * marked as a sequence's entry, or an alias on the way to one (the element of a block that opens
   * the sequence stands for the block's entry).
   */
  private entersSequence(id: number): boolean {
    for (let e: number | undefined = id, n = 0; e !== undefined && n < 1000; n++) {
      const d: Draft = this.drafts[e]!
      if (d.sequenceEntry) return true
      e = !d.alias ? undefined : 'target' in d.alias ? d.alias.target : this.labels.get(d.alias.label)
    }
    return false
  }

  /** Flattens if/do options into their locations, links else groups and escapes, and marks atomic control. */
  private finish(entry: number, end: number): ProcGraph {
    const offered = new Map<number, Transition[]>()
    const visiting = new Set<number>()
    const offer = (id: number): Transition[] => {
      const r = this.resolve(id)
      const cached = offered.get(r)
      if (cached) return cached
      if (visiting.has(r)) return []
      visiting.add(r)
      const d = this.drafts[r]!
      // The options in order, each nested if or do offering its own in its order; this if's or do's
      // own else goes last (pan moves it there), where a nested one's stays in its group.
      const groups = d.options.map((o) => (o.direct ? [o.direct] : offer(o.entry)))
      const ownElse = (g: Transition[], i: number): boolean => {
        const o = d.options[i]!
        return g.length === 1 && g[0]!.kind === 'else' && (o.direct !== undefined || this.drafts[this.resolve(o.entry)]!.options.length === 0)
      }
      const flat = groups.flat()
      const all = [...d.loc.trans.filter((t) => !flat.includes(t)), ...groups.filter((g, i) => !ownElse(g, i)).flat(), ...groups.filter(ownElse).flat()]
      offered.set(r, all)
      visiting.delete(r)
      return all
    }
    for (const d of this.drafts) {
      if (d.alias) continue
      d.loc.trans = withElseSiblings(offer(d.loc.id))
    }
    // A state inside an atomic sequence (not its last) takes a do-opening escape as the jump into the do.
    // (A block's own entry location that offers an if's options stands where the if does.)
    const inAtomic = (d: Draft, n = 0): boolean => (d.loc.atomic >= 0 && !d.atomicLast) || (n < 8 && d.loc.atomic < 0 && d.options.some((o) => !o.direct && inAtomic(this.drafts[this.resolve(o.entry)]!, n + 1)))
    const entriesOf = (d: Draft): number[] => (this.escapeFromAtomic.size > 0 && inAtomic(d) ? d.escapeEntries.map((e) => this.escapeFromAtomic.get(e) ?? e) : d.escapeEntries)
    // A state's escapes as pan orders them when none of them has had its own escapes copied in yet:
    // each nested unless's escapes in turn, outermost first, each in the reverse order of its options.
    const escapesOf = (d: Draft): { escapes: Transition[]; levels: number[] } => {
      const escapes: Transition[] = []
      const levels: number[] = []
      for (const e of entriesOf(d)) {
        escapes.push(...withElseSiblings([...offer(e)].reverse()))
        levels.push(escapes.length)
      }
      return { escapes, levels }
    }
    for (const d of this.drafts) {
      if (d.alias) continue
      const own = escapesOf(d)
      d.loc.escapes = own.escapes
      d.loc.escapeLevels = own.levels
      if (d.blockEscapesFrom !== undefined) {
        // pan's retrans: each escape's transitions are copied to the front of the state's list,
        // innermost escape first, skipping those already there. A block's own state is numbered after
        // everything in it, so an escape inside the block has had its own escapes copied in already,
        // and they come along. The copies from one escape form one group (e_trans), tried together.
        const list: Transition[] = []
        const group: number[] = []
        const entries = entriesOf(d)
        for (let k = entries.length - 1; k >= 0; k--) {
          const e = this.resolve(entries[k]!)
          const source = k >= d.blockEscapesFrom ? [...escapesOf(this.drafts[e]!).escapes, ...offer(e)] : offer(e)
          for (const t of source) {
            if (list.includes(t)) continue
            list.unshift(t)
            group.unshift(k)
          }
        }
        d.loc.escapes = withElseSiblings(list)
        d.loc.escapeLevels = group.flatMap((g, i) => (group[i + 1] !== g ? [i + 1] : []))
      }
      d.loc.validEnd = d.loc.isEnd || d.loc.labels.some((l) => l.startsWith('end'))
      d.loc.progress = d.loc.labels.some((l) => l.startsWith('progress'))
      d.loc.accept = d.loc.labels.some((l) => l.startsWith('accept'))
      for (const t of [...d.loc.trans, ...d.loc.escapes]) {
        t.to = this.resolve(t.to)
        // Inside an atomic sequence a step keeps control when it stays in the sequence, or when it jumps
        // (through a goto) into any atomic sequence: pan marks such a step atomic. Falling off the end of
        // one atomic sequence into the next one that follows does not keep control, and neither does a
        // goto to a label on an outermost `atomic` statement (its own included): the label stands on
        // pan's `atomic` element, outside every sequence.
        const to = this.drafts[t.to]!
        const jump = this.jumps.has(t)
        t.keepsControl = t.atomic >= 0 && !this.releasing.has(t) && (to.loc.atomic === t.atomic || (jump && to.loc.atomic >= 0)) && !(jump && this.entering.has(t))
        if (t.dstep) t.dstep = { entry: this.resolve(t.dstep.entry), exit: t.dstep.exit }
      }
    }
    const labels = new Map([...this.labels].map(([k, v]) => [k, this.resolve(v)]))
    return { proc: this.proc, locations: this.drafts.map((d) => d.loc), entry, end, labels }
  }
}

/**
 * A transition with every property of `Transition` present, in one order: the search loop reads
 * transitions made from every kind of statement, and objects of one shape keep those reads fast
 * (objects of many shapes make every read of `t.kind` or `t.to` a lookup).
 */
export function transitionOf(t: Transition): Transition {
  return {
    id: t.id,
    to: t.to,
    text: t.text,
    span: t.span,
    atomic: t.atomic,
    keepsControl: t.keepsControl,
    siblings: t.siblings,
    dstep: t.dstep,
    jumpSteps: t.jumpSteps,
    source: t.source,
    kind: t.kind,
    guard: t.guard,
    effect: t.effect,
    chan: t.chan,
    message: t.message,
    sorted: t.sorted,
    matcher: t.matcher,
    keep: t.keep,
    print: t.print,
    explain: t.explain,
    guardCode: t.guardCode,
    effectCode: t.effectCode,
  }
}

/** The action of a jump (a goto, break or skip-like step): always executable, changing nothing. */
const jumpAction = noAction

/** Whether a sequence breaks out of the loop it is in (not out of a loop nested in it). */
function hasBreak(seq: Sequence): boolean {
  return seq.steps.some((step) => {
    const st = step.stmt
    if (st.kind === 'break') return true
    if (step.unless && hasBreak(step.unless)) return true
    if (st.kind === 'if') return st.options.some(hasBreak)
    if (st.kind === 'block' || st.kind === 'atomic' || st.kind === 'dStep') return hasBreak(st.body)
    return false
  })
}

/** Whether an escape's first statement is a do (also inside blocks): SPIN puts the do's jump target before it. */
function opensWithDo(escape: Sequence): boolean {
  const first = escape.steps[0]
  if (!first || first.labels.length > 0) return false
  if (first.stmt.kind === 'do') return true
  return first.stmt.kind === 'block' && !first.unless && opensWithDo(first.stmt.body)
}

/**
 * The escape of an `unless` as pan enters it: it hunts through the escape's first element, so a
 * goto or break that opens the escape's block folds into the jump to its target (the escape's
 * first step is then the target's statement), where a block elsewhere keeps such a jump as a step.
 */
function huntedEscape(escape: Sequence): Sequence {
  const only = escape.steps.length === 1 ? escape.steps[0]! : undefined
  if (!only || only.stmt.kind !== 'block' || only.labels.length > 0 || only.unless) return escape
  const first = only.stmt.body.steps[0]
  if (!first || first.labels.length > 0 || first.unless || (first.stmt.kind !== 'goto' && first.stmt.kind !== 'break')) return escape
  return only.stmt.body
}

/** The goto or break (unlabelled) that opens the main part of an unless opening `seq`, through nested ones. */
function jumpOpeningUnless(seq: Sequence): Stmt | undefined {
  let step = seq.steps[0]
  // the escape's own braces
  if (seq.steps.length === 1 && step && !step.unless && step.labels.length === 0 && step.stmt.kind === 'block') step = step.stmt.body.steps[0]
  if (!step?.unless) return undefined
  while (step?.unless && step.labels.length === 0 && step.stmt.kind === 'block') step = step.stmt.body.steps[0]
  if (!step || step.unless || step.labels.length > 0) return undefined
  return step.stmt.kind === 'goto' || step.stmt.kind === 'break' ? step.stmt : undefined
}

/**
 * Links each `else` among a location's transitions to the ones before it: pan takes an else only
 * when none of the transitions it tried before it in the same state was executable, and a location
 * offers the options of an if or do that opens one of its own options in its own list (so a nested
 * if's else, last in its own group, may come before the options that follow). An else offered at
 * two locations after different transitions (one reached by a goto to a label on the inner if) is
 * copied for the second.
 */
function withElseSiblings(trans: Transition[]): Transition[] {
  if (!trans.some((t) => t.kind === 'else')) return trans
  return trans.map((t, i) => {
    if (t.kind !== 'else') return t
    const before = trans.slice(0, i)
    if (t.siblings === undefined) {
      t.siblings = before
      return t
    }
    const same = t.siblings.length === before.length && t.siblings.every((u, j) => u === before[j])
    return same ? t : transitionOf({ ...t, siblings: before })
  })
}

/** Statements whose location is not their last element in pan's sense (the exit of an if or do, the last statement of a block). */
const COMPOUND = new Set<string>(['if', 'do', 'for', 'select', 'atomic', 'block', 'inlineCall'])

/** An unlabelled statement SPIN counts as a skip when pruning options: `skip`, a constant 1, printf, printm. */
function isSkipLike(step: Step): boolean {
  if (step.labels.length > 0 || step.unless) return false
  const st = step.stmt
  if (st.kind === 'skip' || st.kind === 'printf' || st.kind === 'printm') return true
  if (st.kind !== 'exprStmt') return false
  return (st.expr.kind === 'number' && st.expr.value === 1) || (st.expr.kind === 'bool' && st.expr.value)
}

/** Labels that give a location a meaning: valid end states, progress and acceptance. */
function isSpecialLabel(name: string): boolean {
  return name.startsWith('end') || name.startsWith('progress') || name.startsWith('accept')
}

/** Runs a d_step body to its end: at each location the first executable transition, as pan does. */
export function runDstep(x: Exec, graph: ProcGraph, t: Transition, step: (x: Exec, t: Transition) => void): void {
  const { entry, exit } = t.dstep!
  let loc = entry
  // A failed assert does not stop the d_step: pan goes on to its end (which pan -c0 then explores),
  // and counts each failed assert; the first is the one reported.
  let failed: TransitionFailure | undefined
  let times = 0
  for (let n = 0; loc !== exit; n++) {
    if (n > 1_000_000) throw new Error('d_step runs more than a million steps')
    const here = graph.locations[loc]!
    const pick = firstExecutable(x, here.trans)
    if (!pick) throw dstepBlocked(t)
    try {
      step(x, pick)
    } catch (failure) {
      if (!isTransitionFailure(failure) || failure.kind !== 'assertion') throw failure
      failed ??= failure
      times += failure.times
    }
    loc = pick.to
  }
  if (failed !== undefined) throw times === failed.times ? failed : new TransitionFailure(failed.kind, failed.property, failed.message, failed.span, failed.next, times)
}

function dstepBlocked(t: Transition): Error {
  return Object.assign(new Error(`a statement inside the d_step at '${t.text}' blocks`), { dstep: true })
}

/** The first executable transition, with `else` taken only when no sibling is executable. */
export function firstExecutable(x: Exec, trans: readonly Transition[]): Transition | undefined {
  for (const t of trans) if (executable(x, t)) return t
  return undefined
}

/** Whether a transition can be taken now (rendezvous aside). */
export function executable(x: Exec, t: Transition): boolean {
  if (t.kind === 'else') {
    const siblings = t.siblings
    if (siblings) for (let i = 0; i < siblings.length; i++) if (executable(x, siblings[i]!)) return false
    return true
  }
  return t.guard(x)
}
