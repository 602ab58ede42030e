/**
 * IPv4 CIDR arithmetic shared by environment validation and the network modules, so the
 * ranges that validation approves are exactly the ranges the modules carve subnets from.
 */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses `a.b.c.d/n`; returns undefined for anything else, including host bits set. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5);
  if (!octets.every((o) => OCTET.test(o))) return undefined;
  const prefix = Number(match[5]);
  if (prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + Number(o), 0);
  const base = networkAddress(address, prefix);
  if (base !== address) return undefined;
  return { base, prefix };
}

function networkAddress(address: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) * size;
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefix}`;
}

/** Whether two ranges share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.base + 2 ** (32 - a.prefix);
  const bEnd = b.base + 2 ** (32 - b.prefix);
  return a.base < bEnd && b.base < aEnd;
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && networkAddress(inner.base, outer.prefix) === outer.base;
}

const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c)!);

export function isPrivateRange(cidr: Ipv4Cidr): boolean {
  return RFC1918.some((range) => cidrContains(range, cidr));
}

/**
 * Terraform's `cidrsubnet(prefix, newbits, netnum)`, evaluated at synth time so the
 * synthesized JSON shows literal subnet ranges that reviewers and tests can read.
 */
export function cidrSubnet(cidr: string, newbits: number, netnum: number): string {
  const parent = parseCidr(cidr);
  if (!parent) throw new Error(`cidrSubnet: "${cidr}" is not a valid IPv4 CIDR`);
  const prefix = parent.prefix + newbits;
  if (prefix > 32) throw new Error(`cidrSubnet: ${cidr} has no room for ${newbits} more bits`);
  if (!Number.isInteger(netnum) || netnum < 0 || netnum >= 2 ** newbits) {
    throw new Error(`cidrSubnet: network number ${netnum} does not fit in ${newbits} bits of ${cidr}`);
  }
  return formatCidr({ base: parent.base + netnum * 2 ** (32 - prefix), prefix });
}
