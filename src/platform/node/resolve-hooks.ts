/**
 * Module resolution hooks (node:module register) that make `import … from 'weft'` in a model file
 * resolve to this copy of weft, wherever the model lives.
 */
interface ResolveContext {
  readonly parentURL?: string
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>

const targets: Record<string, string> = {
  weft: new URL('../../index.js', import.meta.url).href,
  'weft/node': new URL('../../node.js', import.meta.url).href,
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<{ url: string; shortCircuit?: boolean }> {
  const target = targets[specifier]
  if (target !== undefined) return { url: target, shortCircuit: true }
  return next(specifier, context)
}
