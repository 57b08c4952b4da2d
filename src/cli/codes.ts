/** The command line's diagnostic codes (prefix CLI). `docs/errors.md` lists them. */
export const cliCodes = {
  CLI001: 'an option has a bad value (not a number, out of range)',
  CLI002: 'the command line does not parse: unknown command or option, missing argument',
  CLI010: 'the model file does not exist',
  CLI011: 'the model file is of a kind weft does not read',
  CLI012: 'the model module cannot be loaded, throws while loading, or exports no model',
  CLI013: '-D constants were given for a model that takes none',
  CLI014: 'a -D constant is not written NAME=VALUE',
  CLI020: 'the trace file cannot be read or is not an ITF trace',
  CLI021: 'the trace does not fit the model: a state is not reachable as the trace says',
  CLI030: 'an ltl formula cannot be checked yet; --no-ltl checks the rest',
  CLI031: '--ltl names no ltl formula or never claim of the model',
  CLI032: '--acceptance and --non-progress are for Promela models',
  CLI033: '--fair is for Promela cycle searches: a claim with accept states, --acceptance or --non-progress',
  CLI034: '--bitstate, --hash-compact, --hash-functions or --frontier-memory do not fit the search: both stores at once, --hash-functions without --bitstate, --workers above 1, or an approximate store for a cycle or liveness search',
  CLI035: '--reduce is for the safety check of a Promela model with one worker (no claim, cycle search or fairness)',
  CLI040: 'the state graph is too large for --dot or --graph-json',
  CLI041: 'an output file (--html, --dot, --graph-json) cannot be written',
  CLI050: 'weft explore cannot bundle the model (or the explorer) for the browser',
  CLI051: 'weft explore cannot listen on the port (in use, or not allowed)',
} as const

export type CliCode = keyof typeof cliCodes

/** Exit codes (DESIGN.md). */
export const ExitCode = {
  ok: 0,
  violation: 1,
  badInput: 2,
  incomplete: 3,
  internal: 4,
} as const
