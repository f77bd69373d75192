// Where a webhook may be sent. A URL that reaches inside the network (loopback, private ranges,
// link-local, cloud metadata ...) is refused unless the operator names its host in
// WEBHOOK_ALLOWED_PRIVATE_HOSTS. No Node imports: the API and the worker pass their own DNS lookup.

export interface IpAddress {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: number[];
}

export const ADDRESS_CLASSES = [
  'public',
  'unspecified',
  'loopback',
  'private',
  'link-local',
  'carrier-grade-nat',
  'multicast',
  'broadcast',
  'reserved',
] as const;
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

/** Why a target is refused: the class of its address, or what its URL or name says. */
export type TargetRefusalReason = Exclude<AddressClass, 'public'> | 'metadata' | 'internal-name' | 'credentials' | 'scheme';

/**
 * One IPv4 part as the WHATWG URL parser (and inet_aton) reads it: decimal, `0x` hex or
 * leading-zero octal. Reading every spelling it accepts means no spelling slips past as a name.
 */
function ipv4Number(part: string): number | null {
  let radix = 10;
  let digits = part;
  if (/^0x/i.test(part)) {
    radix = 16;
    digits = part.slice(2);
  } else if (part.length > 1 && part.startsWith('0')) {
    radix = 8;
    digits = part.slice(1);
  }
  if (digits === '') return part === '' ? null : 0;
  const valid = { 10: /^\d+$/, 16: /^[\da-f]+$/i, 8: /^[0-7]+$/ }[radix]!;
  return valid.test(digits) ? parseInt(digits, radix) : null;
}

/** `127.0.0.1`, and the shorter and odder forms the URL parser takes for it: `127.1`, `2130706433`, `0x7f.1`, `0177.0.0.1`. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  if (parts.length > 4) return null;
  const numbers = parts.map(ipv4Number);
  if (numbers.some((n) => n === null)) return null;
  const head = numbers.slice(0, -1) as number[];
  const last = numbers.at(-1)!;
  if (head.some((n) => n > 255) || last >= 256 ** (4 - head.length)) return null;
  const value = head.reduce((sum, n, i) => sum + n * 256 ** (3 - i), last);
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
}

const DOTTED_DECIMAL = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** An IPv6 address, in brackets or not, with an IPv4 tail or not; a zone (`%eth0`) does not change its class and is dropped. */
export function parseIPv6(text: string): number[] | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!/^[\da-f:.]+$/i.test(s) || !s.includes(':')) return null;
  let tail: number[] | null = null;
  if (s.includes('.')) {
    const cut = s.lastIndexOf(':');
    const v4 = s.slice(cut + 1);
    if (!DOTTED_DECIMAL.test(v4)) return null;
    tail = v4.split('.').map(Number);
    s = `${s.slice(0, cut + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[\da-f]{1,4}$/i.test(g))) return null;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const words = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest].map((g) => parseInt(g, 16));
  const bytes = words.flatMap((w) => [w >> 8, w & 255]);
  if (tail) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** An IP address in any spelling above; null for a name. */
export function parseAddress(text: string): IpAddress | null {
  if (text.includes(':')) {
    const bytes = parseIPv6(text);
    return bytes ? { family: 6, bytes } : null;
  }
  const bytes = parseIPv4(text);
  return bytes ? { family: 4, bytes } : null;
}

/** The usual text: dotted decimal, or RFC 5952 IPv6 (lower case, the longest run of zero groups as `::`). */
export function formatAddress({ family, bytes }: IpAddress): string {
  if (family === 4) return bytes.join('.');
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j + 1;
  }
  const hex = words.map((w) => w.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

type Range = [prefix: string, bits: number, kind: Exclude<AddressClass, 'public'>];

// IANA's special-purpose registries, the parts a webhook has no business reaching.
const V4_RANGES: Range[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade-nat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_RANGES: Range[] = [
  ['64:ff9b:1::', 48, 'private'],
  ['100::', 64, 'reserved'],
  ['2001::', 23, 'reserved'],
  ['2001:db8::', 32, 'reserved'],
  ['3fff::', 20, 'reserved'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
];

const compiled = (ranges: Range[]) => ranges.map(([prefix, bits, kind]) => ({ prefix: parseAddress(prefix)!.bytes, bits, kind }));
const V4 = compiled(V4_RANGES);
const V6 = compiled(V6_RANGES);

function within(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i += 8) {
    const mask = bits - i >= 8 ? 255 : (0xff << (8 - (bits - i))) & 255;
    if ((bytes[i / 8]! & mask) !== (prefix[i / 8]! & mask)) return false;
  }
  return true;
}

const startsWith = (bytes: number[], head: number[]) => head.every((b, i) => bytes[i] === b);
const zeros = (n: number) => Array<number>(n).fill(0);

/** The IPv4 address an IPv6 one stands for, where it plainly stands for one (mapped, translated, NAT64, 6to4). */
function embeddedIPv4(bytes: number[]): { v4: number[]; form: 'mapped' | 'compatible' | 'nat64' | '6to4' } | null {
  if (startsWith(bytes, [...zeros(10), 0xff, 0xff])) return { v4: bytes.slice(12), form: 'mapped' };
  // ::ffff:0:a.b.c.d, the SIIT translated form: it reaches the IPv4 host as surely as the mapped one.
  if (startsWith(bytes, [...zeros(8), 0xff, 0xff, 0, 0])) return { v4: bytes.slice(12), form: 'mapped' };
  if (startsWith(bytes, zeros(12))) return { v4: bytes.slice(12), form: 'compatible' };
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, ...zeros(8)])) return { v4: bytes.slice(12), form: 'nat64' };
  if (startsWith(bytes, [0x20, 0x02])) return { v4: bytes.slice(2, 6), form: '6to4' };
  return null;
}

function classifyV4(bytes: number[]): AddressClass {
  return V4.find((r) => within(bytes, r.prefix, r.bits))?.kind ?? 'public';
}

/** What kind of address this is: only `public` ones are sent to without the operator's leave. */
export function classifyAddress({ family, bytes }: IpAddress): AddressClass {
  if (family === 4) return classifyV4(bytes);
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (startsWith(bytes, zeros(15)) && bytes[15] === 1) return 'loopback';
  const embedded = embeddedIPv4(bytes);
  if (embedded) {
    const kind = classifyV4(embedded.v4);
    // The IPv4-compatible form is deprecated (RFC 4291): nothing public is reached by it.
    return embedded.form === 'compatible' && kind === 'public' ? 'reserved' : kind;
  }
  const special = V6.find((r) => within(bytes, r.prefix, r.bits));
  if (special) return special.kind;
  // Only 2000::/3 is handed out as global unicast.
  return (bytes[0]! & 0xe0) === 0x20 ? 'public' : 'reserved';
}

/** The address as an allowed host is compared: an IPv4-mapped IPv6 address is its IPv4 address. */
function addressKey(ip: IpAddress): string {
  const embedded = ip.family === 6 ? embeddedIPv4(ip.bytes) : null;
  return formatAddress(embedded?.form === 'mapped' ? { family: 4, bytes: embedded.v4 } : ip);
}

// Names only a network's own resolver (or the cloud's) answers: nothing outside is reached by them.
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);
const INTERNAL_SUFFIXES = ['.internal', '.local', '.localhost', '.home.arpa', '.localdomain'];

function classifyName(name: string): { reason: TargetRefusalReason; why: string } | null {
  if (METADATA_NAMES.has(name)) return { reason: 'metadata', why: `${name} is a cloud metadata service` };
  if (name === 'localhost' || name.endsWith('.localhost')) return { reason: 'loopback', why: `${name} is a loopback name` };
  if (!name.includes('.') || INTERNAL_SUFFIXES.some((s) => name.endsWith(s))) {
    return { reason: 'internal-name', why: `${name} is a name only resolved inside a network` };
  }
  return null;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z\d_]([a-z\d_-]{0,61}[a-z\d])?(\.[a-z\d_]([a-z\d_-]{0,61}[a-z\d])?)*$/;

/**
 * An entry of WEBHOOK_ALLOWED_PRIVATE_HOSTS as it is compared: an address in its usual text, a
 * name in lower case without a final dot; null when it is neither.
 */
export function allowedHostEntry(entry: string): string | null {
  const text = entry.trim().toLowerCase();
  const ip = parseAddress(text);
  if (ip) return addressKey(ip);
  const name = text.replace(/\.$/, '');
  return HOST_NAME.test(name) && !/^[\d.]+$/.test(name) ? name : null;
}

export interface TargetPolicy {
  /** Host names and addresses (as `allowedHostEntry` gives them) that may be reached although inside the network. */
  allowedPrivateHosts: readonly string[];
}

export type ResolvedAddress = { address: string; family: number };
export type Lookup = (host: string) => Promise<readonly ResolvedAddress[]>;

export type TargetCheck =
  | { verdict: 'refused'; reason: TargetRefusalReason; why: string }
  /** Send to these addresses, and to no other the name might resolve to by then. */
  | { verdict: 'allowed'; url: URL; host: string; addresses: ResolvedAddress[] }
  /** A name that did not resolve (now): nothing can be said of it, nor sent to it. */
  | { verdict: 'unresolved'; host: string; error: string };

type UrlCheck =
  | Extract<TargetCheck, { verdict: 'refused' }>
  | { verdict: 'address'; url: URL; host: string; ip: IpAddress }
  | { verdict: 'name'; url: URL; host: string; allowed: boolean };

const refused = (reason: TargetRefusalReason, why: string) => ({ verdict: 'refused' as const, reason, why });

/** What the URL tells without a lookup: refused by its scheme, credentials, address or name, or the host to resolve. */
export function checkTargetUrl(text: string, policy: TargetPolicy): UrlCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refused('scheme', 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refused('scheme', `${url.protocol} is not http or https`);
  if (url.username !== '' || url.password !== '') return refused('credentials', 'it carries credentials (user:password@)');
  const allowed = new Set(policy.allowedPrivateHosts);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const ip = parseAddress(host);
  if (ip) {
    const kind = classifyAddress(ip);
    if (kind !== 'public' && !allowed.has(addressKey(ip))) return refused(kind, `${formatAddress(ip)} is ${article(kind)} ${kind} address`);
    return { verdict: 'address', url, host, ip };
  }
  const name = host.replace(/\.$/, '');
  if (allowed.has(name)) return { verdict: 'name', url, host, allowed: true };
  const byName = classifyName(name);
  if (byName) return refused(byName.reason, byName.why);
  return { verdict: 'name', url, host, allowed: false };
}

/**
 * The whole check: the URL, then every address its name resolves to, each of which must be
 * public or allowed. Every one, not just the one a connection would pick: which one that is can
 * change from one attempt to the next.
 */
export async function checkTarget(text: string, policy: TargetPolicy, lookup: Lookup, timeoutMs = 5000): Promise<TargetCheck> {
  const first = checkTargetUrl(text, policy);
  if (first.verdict === 'refused') return first;
  const { url, host } = first;
  if (first.verdict === 'address') return { verdict: 'allowed', url, host, addresses: [{ address: host, family: first.ip.family }] };
  let found: readonly ResolvedAddress[];
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    found = await Promise.race([
      lookup(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from DNS within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    return { verdict: 'unresolved', host, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
  if (found.length === 0) return { verdict: 'unresolved', host, error: `${host} has no address` };
  if (!first.allowed) {
    const allowed = new Set(policy.allowedPrivateHosts);
    for (const { address } of found) {
      const ip = parseAddress(address);
      const kind = ip ? classifyAddress(ip) : 'reserved';
      // The address itself is not told: it would map the inside of the network for whoever asks.
      if (kind !== 'public' && !(ip && allowed.has(addressKey(ip))))
        return refused(kind, `${host} resolves to ${article(kind)} ${kind} address`);
    }
  }
  return { verdict: 'allowed', url, host, addresses: [...found] };
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');
