/** Plain state values as TypeScript writes them; the formatter lives in core so that front ends can use it too. */
export { formatValue } from '../core/format.js'
