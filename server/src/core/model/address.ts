/** Listen-address arithmetic: which addresses can collide on one host. */

export type AddressClass = 'wildcard' | 'loopback' | 'ip' | 'name';

export interface NormalizedAddress {
  /** canonical text: `*` for wildcard, `127.0.0.1` for localhost, lower-cased otherwise */
  key: string;
  cls: AddressClass;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

const memo = new Map<string, NormalizedAddress>();

export function normalizeAddress(host: string | undefined): NormalizedAddress {
  const key = host ?? '';
  let hit = memo.get(key);
  if (!hit) {
    if (memo.size > 200_000) memo.clear();
    hit = normalize(key);
    memo.set(key, hit);
  }
  return hit;
}

function normalize(host: string): NormalizedAddress {
  const h = (host ?? '').trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === '' || h === '0.0.0.0' || h === '::' || h === '0:0:0:0:0:0:0:0' || h === '*') return { key: '*', cls: 'wildcard' };
  if (h === 'localhost' || h === '127.0.0.1' || h === 'localhost.localdomain' || h === 'ip6-localhost') {
    return { key: '127.0.0.1', cls: 'loopback' };
  }
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return { key: '::1', cls: 'loopback' };
  if (/^127\./.test(h) && IPV4.test(h)) return { key: h, cls: 'loopback' };
  if (IPV4.test(h) || h.includes(':')) return { key: h, cls: 'ip' };
  return { key: h, cls: 'name' };
}

export function isLoopbackHost(host: string | undefined): boolean {
  return normalizeAddress(host).cls === 'loopback';
}

export function isWildcardHost(host: string | undefined): boolean {
  return normalizeAddress(host).cls === 'wildcard';
}

/** True when two listeners on one host with the same port would both try to bind it. */
export function addressesOverlap(a: NormalizedAddress, b: NormalizedAddress): boolean {
  if (a.cls === 'wildcard' || b.cls === 'wildcard') return true;
  if (a.key === b.key) return true;
  // a host name resolves to one of the host's own (non-loopback) addresses: assume it may be
  // the same as another name or IP of that host
  if ((a.cls === 'name' && b.cls !== 'loopback') || (b.cls === 'name' && a.cls !== 'loopback')) return true;
  return false;
}
