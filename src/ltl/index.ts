/** The LTL layer: formulas, SPIN's syntax, and the translation to Büchi automata. */
export * from './formula.js'
export { simplify, isEventuality, isUniversality } from './simplify.js'
export { parseSpinLtl, fromTree, type LtlTree, type AtomRef, type ParseOptions, type TreeBinaryOp, type TreeUnaryOp } from './spin-syntax.js'
export { ltlCodes, type LtlCode } from './codes.js'
export { guardHolds, guardToString, trueGuard } from './guard.js'
export {
  translate, toBuchi, toGeneralizedBuchi, isTerminal, strengthOf, edgeCount, buchiToString,
  type BuchiAutomaton, type BuchiEdge, type GeneralizedBuchi, type GeneralizedEdge, type Guard, type Strength, type Translation,
} from './buchi.js'
export { holdsOnLasso, buchiAcceptsLasso, generalizedAcceptsLasso, type Lasso } from './lasso.js'
export { spinClaim, spinClaimText, TlError, type SpinClaim, type SpinClaimOption, type SpinClaimState } from './spin-tl-claim.js'
export { spinClaimAutomaton, spinFormulaText } from './spin-tl-automaton.js'
