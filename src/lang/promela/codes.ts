/** The Promela front end's diagnostic codes (prefix PML). `docs/errors.md` lists them. */
export const pmlCodes = {
  // The preprocessor (preprocess.ts): what cpp reports when SPIN runs it on a model.
  PML001: 'a block comment is not closed before the end of the file',
  PML002: 'a #define is malformed: no name, a bad parameter list, a misplaced # or ##',
  PML003: 'a preprocessor directive is unknown, or malformed',
  PML004: 'the file named by #include does not exist',
  PML005: '#include names no file: it expects "file" or <file>',
  PML006: '#include is nested too deeply (an include cycle)',
  PML007: '#elif, #else or #endif without a matching #if, or after #else',
  PML008: '#if, #ifdef or #ifndef without a matching #endif in the same file',
  PML009: 'the condition of #if or #elif is not a valid integer expression',
  PML010: 'a function-like macro is invoked with the wrong number of arguments',
  PML011: 'the argument list of a macro invocation is not closed',
  PML012: '## does not give a valid token',
  PML013: '#error directive',
  PML014: '#warning directive (a warning)',
  PML015: 'a macro is redefined with a different body; the later definition wins (a warning)',
  PML016: '#ifdef, #ifndef or #undef names no macro',
  // The lexer and parser (lexer.ts, parser*.ts): 02x lexical, 03x–05x syntax.
  PML020: 'a character that Promela does not use',
  PML021: 'a comment that is never closed',
  PML022: 'a string that is not closed on its line',
  PML023: "a malformed character constant (write 'a' or '\\n')",
  PML024: 'embedded C code (c_code, c_decl, c_expr) whose braces are not balanced',
  PML025: 'a preprocessor directive left in the text after preprocessing',
  PML030: 'a syntax error: the parser expected something else here',
  PML033: 'an assignment, increment, send or receive whose left side is not a variable',
  PML034: 'a label before a declaration',
  PML035: 'a declaration where it is not allowed (mtype, typedef, c_state inside a proctype)',
  PML036: 'a construct SPIN accepts that weft does not support yet (array initialiser lists, return)',
  PML037: 'expressions or statements nested too deeply to parse',
  PML038: 'a temporal formula used as a value inside an ltl formula',
} as const

export type PmlCode = keyof typeof pmlCodes
