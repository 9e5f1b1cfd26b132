// Where a destination may point: only https:// URLs whose host is a name or a public IP
// address, so that an account admin cannot make the Worker POST into private networks,
// the machine's own loopback or a cloud metadata address (SSRF). IP literals are checked
// in every spelling the URL parser accepts (it normalises 0x7f.1 and 2130706433 to
// 127.0.0.1; IPv6 is expanded here), including IPv4 addresses embedded in IPv6 ones.
// A name is not resolved: Workers cannot look DNS up before fetch (docs/SECURITY.md).
// `allowInsecure` (DESTINATIONS_ALLOW_INSECURE, development and tests only) lets http://
// and private or loopback hosts through.

/** Why `raw` may not be a destination's URL, or undefined when it may. */
export function destinationUrlProblem(raw: string, allowInsecure: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL, e.g. https://siem.example.com/audit-trail';
  }
  if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:')) return 'must be an https:// URL';
  if (url.username || url.password) return 'must not carry a user name or password: the signature authenticates deliveries';
  if (url.hash) return 'must not have a #fragment';
  if (allowInsecure) return undefined;
  const host = url.hostname.toLowerCase().replace(/\.+$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not be localhost';
  if (host.startsWith('[')) {
    const words = ipv6Words(host.slice(1, -1));
    if (!words) return 'must have a valid IPv6 address';
    const why = ipv6Problem(words);
    return why && `must not be ${why} address`;
  }
  const v4 = ipv4Octets(host);
  if (v4) {
    const why = ipv4Problem(v4);
    return why && `must not be ${why} address`;
  }
  return undefined;
}

/** The four octets of a dotted-quad IPv4 address (as the URL parser writes every IPv4 host). */
function ipv4Octets(host: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/** What kind of non-public address an IPv4 address is, or undefined for a public one. */
export function ipv4Problem([a, b, c]: number[]): string | undefined {
  if (a === 0) return 'an unspecified ("this network")';
  if (a === 10) return 'a private';
  if (a === 127) return 'a loopback';
  if (a === 100 && b! >= 64 && b! <= 127) return 'a carrier-grade NAT (shared)';
  if (a === 169 && b === 254) return 'a link-local';
  if (a === 172 && b! >= 16 && b! <= 31) return 'a private';
  if (a === 192 && b === 168) return 'a private';
  if (a === 192 && b === 0 && c === 0) return 'an IETF protocol assignment';
  if (a === 198 && (b === 18 || b === 19)) return 'a benchmarking';
  if (a! >= 224) return 'a multicast or reserved';
  return undefined;
}

/** The eight 16-bit words of an IPv6 address (with :: and a dotted IPv4 tail), or undefined.
 *  The URL parser already writes IPv6 hosts compressed in hex; the rest is for safety. */
function ipv6Words(text: string): number[] | undefined {
  const dotted = /^(.*:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (dotted) {
    const v4 = ipv4Octets(dotted[2]!);
    if (!v4) return undefined;
    text = `${dotted[1]}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((w) => (/^[0-9a-f]{1,4}$/i.test(w) ? parseInt(w, 16) : NaN)));
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const given = head.length + rest.length;
  if ([...head, ...rest].some(Number.isNaN)) return undefined;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  return [...head, ...Array<number>(8 - given).fill(0), ...rest];
}

/** What kind of non-public address an IPv6 address is, or undefined for a public one. */
export function ipv6Problem(w: number[]): string | undefined {
  const embedded = [w[6]! >> 8, w[6]! & 0xff, w[7]! >> 8, w[7]! & 0xff];
  const zeros = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'the unspecified';
  if (zeros(0, 7) && w[7] === 1) return 'a loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address.
  const mapped = zeros(0, 5) && w[5] === 0xffff;
  const compatible = zeros(0, 6);
  const nat64 = w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6);
  if (mapped || compatible || nat64) {
    const why = ipv4Problem(embedded);
    return why && `${why} (IPv4 in IPv6)`;
  }
  if (w[0] === 0x2002) {
    const why = ipv4Problem([w[1]! >> 8, w[1]! & 0xff, w[2]! >> 8, w[2]! & 0xff]);
    return why && `${why} (6to4)`;
  }
  if ((w[0]! & 0xfe00) === 0xfc00) return 'a unique local (private)';
  if ((w[0]! & 0xff80) === 0xfe80) return 'a link-local or site-local';
  if ((w[0]! & 0xff00) === 0xff00) return 'a multicast';
  return undefined;
}
