// Which peers may vouch for a client's address (x-forwarded-*): `server.trustedProxies`,
// plain IPs or CIDRs, v4 or v6. Built on node's BlockList, so no parsing of our own.
import { BlockList, isIP } from 'node:net'

export type TrustCheck = (peer: string | undefined) => boolean

/** IPv4 peers on a dual-stack socket arrive as `::ffff:a.b.c.d`; compare them as IPv4. */
export function unmapIPv4 (address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address
}

export function compileTrustedProxies (entries: readonly string[]): TrustCheck {
  if (entries.length === 0) return () => false
  const list = new BlockList()
  for (const entry of entries) {
    const [addr = '', bits] = entry.split('/')
    const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4'
    if (isIP(addr) === 0) throw new Error(`server.trustedProxies: '${entry}' is not an IP or CIDR`)
    if (bits === undefined) list.addAddress(addr, family)
    else list.addSubnet(addr, Number(bits), family)
  }
  return (peer) => {
    if (!peer) return false
    const ip = unmapIPv4(peer)
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4'
    return isIP(ip) !== 0 && list.check(ip, family)
  }
}
