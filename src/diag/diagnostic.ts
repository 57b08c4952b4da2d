import type { Span } from './span.js'

export type Severity = 'error' | 'warning'

export interface DiagnosticNote {
  readonly message: string
  readonly span?: Span
}

/**
 * A finding about the user's input: a syntax error, an unknown name, a bad flag.
 * The code (`PML103`, `CLI002`, …) stays a field until rendering.
 */
export interface Diagnostic {
  readonly code: string
  readonly severity: Severity
  readonly message: string
  readonly span?: Span
  /** The file a diagnostic is about, when it has no position in it (a file that cannot be loaded). */
  readonly file?: string
  /** Text printed beside the caret. */
  readonly label?: string
  readonly notes?: readonly DiagnosticNote[]
  readonly hint?: string
}

/** A phase's output: a value when it succeeded, and whatever it found on the way. */
export interface Result<T> {
  readonly value?: T
  readonly diagnostics: readonly Diagnostic[]
}

export function error(code: string, message: string, extra: Partial<Omit<Diagnostic, 'code' | 'message' | 'severity'>> = {}): Diagnostic {
  return { code, severity: 'error', message, ...extra }
}

/**
 * Thrown when the input cannot be used at all (a missing file, a module that exports no model).
 * It carries diagnostics, never a bug: the command line reports it and exits with 2.
 */
export class InputError extends Error {
  readonly diagnostics: readonly Diagnostic[]
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '))
    this.name = 'InputError'
    this.diagnostics = diagnostics
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error')
}
