/**
 * Module structure: the root module's names (its own, and those of the modules it EXTENDS), and
 * one environment per INSTANCE, whose constants and variables are replaced by expressions of the
 * instantiating module (explicitly with WITH, or implicitly by the same name).
 */
import { error, type Diagnostic } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import type { InstanceDef, Module } from './ast.js'
import { STANDARD_MODULES } from './builtins.js'
import type { Entry, Env, InstanceParams } from './compile.js'

export interface ModuleSet {
  /** A module by name, or undefined when it cannot be found. */
  find(name: string): Module | undefined
}

export interface Structure {
  readonly root: Env
  /** Every environment made (the root's and each instance's), for cfg overrides. */
  readonly envs: readonly Env[]
  readonly variables: readonly Extract<Entry, { kind: 'var' }>[]
  readonly constants: readonly Extract<Entry, { kind: 'const' }>[]
  /** The assumptions of the root module and the modules it extends. */
  readonly assumptions: readonly { readonly env: Env; readonly expr: import('./ast.js').Expr }[]
}

export function buildStructure(root: Module, modules: ModuleSet, diagnostics: Diagnostic[]): Structure {
  const envs: Env[] = []
  const variables: Extract<Entry, { kind: 'var' }>[] = []
  const constants: Extract<Entry, { kind: 'const' }>[] = []
  const assumptions: { env: Env; expr: import('./ast.js').Expr }[] = []

  const missing = (name: string, span: Span): void => {
    if (name === 'Reals' || name === 'RealTime') {
      diagnostics.push(error('TLA110', `the ${name} module is not supported (TLC cannot check real numbers either)`, { span }))
    } else diagnostics.push(error('TLA111', `cannot find module '${name}' (looked for ${name}.tla beside the spec)`, { span }))
  }

  /** The modules `m` extends, transitively, in the order their declarations come into scope, then m. */
  const extendsChain = (m: Module, seen: Set<string>): Module[] => {
    const out: Module[] = []
    for (const ext of m.extends) {
      if (seen.has(ext.name)) continue
      seen.add(ext.name)
      if (STANDARD_MODULES.has(ext.name) && ext.name !== 'Reals') continue
      const found = modules.find(ext.name)
      if (!found) {
        missing(ext.name, ext.span)
        continue
      }
      out.push(...extendsChain(found, seen), found)
    }
    return out
  }

  const addDefinitions = (env: Env, m: Module): void => {
    for (const d of m.defs) {
      if (d.kind === 'opdef') env.names.set(d.name, { kind: 'def', def: d, env, cache: new Map() })
      else if (d.kind === 'fcndef') env.names.set(d.name, { kind: 'fcndef', def: d, env, cache: new Map() })
      else if (d.name !== undefined) env.names.set(d.name, instanceEntry(d, env))
      else importInstance(d, env)
    }
  }

  const instanceEntry = (d: InstanceDef, outer: Env): Entry => {
    const params: InstanceParams | undefined = d.params.length > 0 ? { names: d.params.map((p) => p.name), stack: [] } : undefined
    return { kind: 'instance', def: d, env: instantiate(d, outer, params), ...(params ? { params } : {}) }
  }

  /** An unnamed INSTANCE: its definitions join the instantiating module's names. */
  const importInstance = (d: InstanceDef, outer: Env): void => {
    const inst = instantiate(d, outer, undefined)
    for (const [name, entry] of inst.names) {
      if (entry.kind === 'subst' || outer.names.has(name)) continue
      outer.names.set(name, entry)
    }
  }

  const instantiate = (d: InstanceDef, outer: Env, params: InstanceParams | undefined): Env => {
    const target = STANDARD_MODULES.has(d.module) ? undefined : modules.find(d.module)
    const env: Env = { module: target ?? outer.module, names: new Map() }
    envs.push(env)
    if (!target) {
      if (!STANDARD_MODULES.has(d.module)) missing(d.module, d.span)
      return env
    }
    // Substitutions are expressions of the instantiating module, where the instance's parameters are in scope.
    let substEnv = outer
    if (params) {
      substEnv = { module: outer.module, names: new Map(outer.names) }
      params.names.forEach((name, index) => substEnv.names.set(name, { kind: 'param', params, index }))
    }
    const explicit = new Map(d.substitutions.map((s) => [s.name, s]))
    const chain = [...extendsChain(target, new Set([target.name])), target]
    for (const m of chain) {
      for (const decl of [...m.constants, ...m.variables]) {
        const given = explicit.get(decl.name)
        if (!given && !substEnv.names.has(decl.name)) {
          diagnostics.push(
            error('TLA112', `INSTANCE ${d.module} needs a value for its ${m.constants.includes(decl as never) ? 'constant' : 'variable'} '${decl.name}'`, {
              span: d.span,
              hint: `add WITH ${decl.name} <- ..., or declare '${decl.name}' in this module`,
            }),
          )
          continue
        }
        const expr = given ? given.expr : { kind: 'op' as const, name: decl.name, args: [], span: d.span }
        env.names.set(decl.name, { kind: 'subst', expr, env: substEnv, ...(params ? { params } : {}), cache: new Map() })
      }
    }
    for (const m of chain) addDefinitions(env, m)
    return env
  }

  const rootEnv: Env = { module: root, names: new Map() }
  envs.push(rootEnv)
  const chain = [...extendsChain(root, new Set([root.name])), root]
  for (const m of chain) {
    for (const c of m.constants) {
      if (rootEnv.names.has(c.name)) continue
      const entry = { kind: 'const' as const, name: c.name, arity: c.arity, span: c.span }
      constants.push(entry)
      rootEnv.names.set(c.name, entry)
    }
    for (const v of m.variables) {
      if (rootEnv.names.has(v.name)) continue
      const entry = { kind: 'var' as const, name: v.name, index: variables.length, span: v.span }
      variables.push(entry)
      rootEnv.names.set(v.name, entry)
    }
  }
  for (const m of chain) {
    addDefinitions(rootEnv, m)
    for (const a of m.assumptions) assumptions.push({ env: rootEnv, expr: a })
  }
  return { root: rootEnv, envs, variables, constants, assumptions }
}
