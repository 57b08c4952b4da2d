/** Visits every node object below `root` (anything with a `kind`), depth first. */
export function walk(root: unknown, visit: (node: { kind: string } & Record<string, unknown>) => void): void {
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const v = stack.pop()
    if (Array.isArray(v)) {
      for (const e of v) stack.push(e)
      continue
    }
    if (typeof v !== 'object' || v === null) continue
    const o = v as Record<string, unknown>
    if (typeof o['kind'] === 'string') visit(o as { kind: string } & Record<string, unknown>)
    for (const k in o) if (k !== 'span') stack.push(o[k])
  }
}
