import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhook and Slack deliveries may go. A workspace admin chooses the URL, and the
 * playbooks service POSTs to it from inside the operator's network: without this check a
 * channel could reach the cloud metadata endpoint, the database or any internal service
 * (server-side request forgery). Private, loopback, link-local, shared and reserved ranges are
 * refused unless PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (a receiver on the operator's own
 * network, local development, the test suites).
 */
const internal = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) internal.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) internal.addSubnet(net, bits, 'ipv6');

/** True for an address a webhook must not reach by default (IPv4-mapped IPv6 judged as its IPv4). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolve = (host: string) => Promise<string[]>;
const systemResolve: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why `url` may not receive deliveries, or null when it may. A host that does not resolve (yet)
 * is let through: the delivery will fail and retry, and is checked again then.
 */
export async function webhookTargetProblem(url: string, allowPrivate: boolean, resolve: Resolve = systemResolve): Promise<string | null> {
  if (allowPrivate) return null;
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return 'url: not a valid URL';
  }
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return null;
    }
  }
  const blocked = addresses.find(isInternalAddress);
  return blocked === undefined ? null
    : `url: ${host} ${blocked === host ? 'is' : `resolves to ${blocked}, which is`} a private, loopback or link-local address; `
      + 'deliveries to internal networks are refused unless PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true';
}
