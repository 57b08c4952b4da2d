/**
 * Progress of the fixed model: every plan the planner produces is eventually applied or superseded.
 * Without fairness nothing makes an enactor act, so a plan can wait in the queue forever:
 *   weft check examples/aws-dns/progress.ts        # violated: a lasso where every enactor starves
 * examples/aws-dns/progress-fair.ts assumes weak fairness of the enactors, and the property holds.
 */
import { dnsModel, type DnsOptions } from './dns.ts'

export default (constants: DnsOptions = {}) => dnsModel({ ...constants, atomic: true, progress: true })
