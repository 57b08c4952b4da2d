/** The LTL parser's diagnostic codes (prefix LTL); `0xx` is syntax, `1xx` names. */
export const ltlCodes = {
  LTL001: 'a character that LTL formulas do not use',
  LTL002: 'a syntax error: the parser expected something else here',
  LTL003: 'a parenthesis or brace that is opened and never closed',
  LTL004: 'a formula nested too deeply to parse',
  LTL005: 'an empty formula',
  LTL101: 'a proposition name that the model does not define',
} as const

export type LtlCode = keyof typeof ltlCodes
