/**
 * Progress under weak fairness of every enactor's actions (take, check-and-apply, clean-up, each
 * per enactor): an enactor that can act from some point on eventually does.
 *   weft check examples/aws-dns/progress-fair.ts   # holds
 */
import { dnsModel, type DnsOptions } from './dns.ts'

export default (constants: DnsOptions = {}) => dnsModel({ ...constants, atomic: true, progress: true, fair: 'weak' })
