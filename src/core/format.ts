/** Formats a plain state value the way it would be written in TypeScript: `{ x: 1, q: [2, 3] }`, `Set {1, 2}`. */
export function formatValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v)
    case 'number':
    case 'boolean':
      return String(v)
    case 'bigint':
      return `${v}n`
    case 'undefined':
      return 'undefined'
    case 'object': {
      if (v === null) return 'null'
      if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`
      if (v instanceof Set) return `Set {${[...v].map(formatValue).join(', ')}}`
      if (v instanceof Map) return `Map {${[...v].map(([k, e]) => `${formatValue(k)} => ${formatValue(e)}`).join(', ')}}`
      const keys = Object.keys(v)
      if (keys.length === 0) return '{}'
      return `{ ${keys.map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${formatValue((v as Record<string, unknown>)[k])}`).join(', ')} }`
    }
    default:
      return String(v)
  }
}
