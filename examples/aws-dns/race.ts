/**
 * The DNS race: an enactor's check and apply are separate steps.
 *   weft check examples/aws-dns/race.ts                       # finds the race
 *   weft check examples/aws-dns/race.ts -D ENACTORS=3 -D PLANS=8
 */
import { dnsModel, type DnsOptions } from './dns.ts'

export default (constants: DnsOptions = {}) => dnsModel({ ...constants, atomic: false })
