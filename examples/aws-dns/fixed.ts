/**
 * The fix: an enactor checks that its plan is newer and applies it in one atomic step, so the
 * active plan only moves forward and a clean-up never deletes it.
 *   weft check examples/aws-dns/fixed.ts
 */
import { dnsModel, type DnsOptions } from './dns.ts'

export default (constants: DnsOptions = {}) => dnsModel({ ...constants, atomic: true })
