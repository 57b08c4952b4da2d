/** The TLA+ front end's diagnostic codes (prefix TLA). `docs/errors.md` lists them. */
export const tlaCodes = {
  // Parsing (parse.ts) and the cfg (cfg.ts): 0xx
  TLA001: 'a syntax error: the TLA+ grammar does not accept the text here',
  TLA002: 'the file holds no module',
  TLA003: 'a TLA+ construct weft does not support (proofs are skipped, not rejected)',
  TLA020: 'a comment in the cfg is not closed',
  TLA021: 'the cfg does not parse: an unknown keyword, a bad value, a missing name',
  TLA022: 'a -D value for a TLA+ constant does not parse as a cfg value (a number, string, Boolean, model value, set or tuple)',
  // Names and modules (compile.ts, modules.ts): 1xx
  TLA101: 'an unknown name',
  TLA102: 'an operator is applied to the wrong number of arguments',
  TLA103: 'an operator argument is expected (a name, a LAMBDA or an operator symbol)',
  TLA104: 'a module instance is used as a value; name one of its definitions, as M!Op',
  TLA105: 'M!Op where M is not a module instance',
  TLA110: 'the Reals module is not supported',
  TLA111: 'a module named by EXTENDS or INSTANCE cannot be found beside the spec',
  TLA112: 'INSTANCE gives no value to a constant or variable of the instantiated module',
  // The cfg against the spec (load.ts): 13x-14x
  TLA131: 'the cfg substitutes a definition the spec does not have',
  TLA132: '-D names a constant the spec does not declare',
  TLA133: 'a constant has no value in the cfg',
  TLA134: 'an ASSUME is false (or not a Boolean)',
  TLA135: 'the cfg names a definition (INIT, NEXT, an invariant, ...) the spec does not have',
  TLA136: 'the cfg gives no behaviour: SPECIFICATION, or INIT and NEXT, or a specification without Init or [][Next]_v',
  TLA137: 'an invariant, constraint or view is not a state predicate (it has primes or temporal operators)',
  TLA140: 'a temporal PROPERTY that weft cannot check yet',
  TLA141: 'the SYMMETRY definition is not a constant set of permutations of model values',
  TLA143: 'an action in a temporal formula that is not under [] or <> (write [][A]_v or <><<A>>_v)',
  TLA144: 'a temporal formula through a parameterised instance or with an operator argument',
  TLA145: 'a quantifier over a temporal formula whose bound is not a constant finite set',
  TLA146: 'a temporal formula weft does not check (an IF over temporal formulas with a non-state condition, temporal quantifiers, ...)',
  // Expressions TLC cannot evaluate (compile.ts): 2xx
  TLA210: 'temporal quantifiers (\\AA, \\EE) are not supported',
  TLA211: 'an unbounded \\A or \\E, which TLC cannot evaluate',
  TLA212: 'an unbounded CHOOSE, which TLC cannot evaluate (give the definition a value in the cfg)',
  TLA213: '@ outside the right side of an EXCEPT update',
  TLA214: 'a LAMBDA where no operator argument is expected',
  TLA215: 'INSTANCE inside LET is not supported',
  // Evaluation before the search (ASSUME, constant definitions): 3xx
  TLA300: 'an evaluation error while computing constants or assumptions (a value TLC would reject)',
} as const
