/**
 * weft's public API, the same in Node and in the browser. `weft/node` adds what only Node can do
 * (loading model files, watching memory).
 */
export { check, simulate, runCheck, runSimulation } from './api.js'
export type { CheckOptions, SimulateOptions, Outcome } from './api.js'
export { defineModel, assert, isModel, ModelDefinitionError, always, eventually, leadsTo } from './lang/ts/define-model.js'
export type { ModelSpec, ActionSpec, ActionFn, ParamAction, ProcessAction, Next, TsAction, TsModel, Fairness, TemporalProperty } from './lang/ts/define-model.js'
export { TransitionFailure } from './core/model.js'
export type { Model, Property, Invariant, EndStates, StepLabel, FailureKind, SuccessorSink } from './core/model.js'
export type { Path, PathStep } from './core/path.js'
export { followChoices, formatChoicePath, parseChoicePath } from './core/path.js'
export type { ViolationKind, LimitKind, Progress, Reporter } from './core/search/types.js'
export type { CheckSummary, ViolationSummary, StatsSummary, ErrorSummary, ResultKind } from './report/summary.js'
export type { ItfTrace, ItfState, ItfValue } from './trace/itf.js'
export { renderTextTrace } from './trace/text.js'
export { VERSION } from './version.js'
