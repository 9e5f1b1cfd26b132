// The pure parts of destinations: the URL guard in every spelling of an address, and the backoff.
import { describe, expect, it } from 'vitest';
import { isFailing, retryDelaySeconds } from '../../worker/domain/delivery-backoff';
import { destinationUrlProblem } from '../../worker/domain/destination-url';

describe('destinationUrlProblem', () => {
  const refused = (url: string) => destinationUrlProblem(url, false);

  it('takes https:// URLs of names and public addresses', () => {
    for (const url of [
      'https://siem.example.com/hooks/audit?x=1',
      'https://siem.example.com:8443/',
      'https://1.1.1.1/',
      'https://172.32.0.1/',
      'https://100.128.0.1/',
      'https://[2001:db8::1]/',
      'https://[2606:4700:4700::1111]/',
      'https://[::ffff:8.8.8.8]/',
      'https://[64:ff9b::8.8.8.8]/',
    ])
      expect(refused(url), url).toBeUndefined();
  });

  it('refuses other schemes, credentials and fragments', () => {
    expect(refused('http://siem.example.com/')).toBe('must be an https:// URL');
    expect(refused('file:///etc/passwd')).toBe('must be an https:// URL');
    expect(refused('siem.example.com')).toMatch(/absolute URL/);
    expect(refused('https://a:b@siem.example.com/')).toMatch(/user name or password/);
    expect(refused('https://siem.example.com/#x')).toMatch(/fragment/);
  });

  it('refuses every non-public IPv4 range, however the address is spelled', () => {
    const cases: Record<string, RegExp> = {
      'https://127.0.0.1/': /loopback/,
      'https://127.0.0.1./': /loopback/,
      'https://127.1/': /loopback/,
      'https://127.255.255.254/': /loopback/,
      'https://2130706433/': /loopback/,
      'https://0177.0.0.1/': /loopback/,
      'https://0x7f000001/': /loopback/,
      'https://10.0.0.1/': /private/,
      'https://172.16.0.1/': /private/,
      'https://172.31.255.255/': /private/,
      'https://192.168.0.1/': /private/,
      'https://169.254.169.254/': /link-local/,
      'https://100.64.0.1/': /carrier-grade NAT/,
      'https://100.127.255.255/': /carrier-grade NAT/,
      'https://0.0.0.0/': /unspecified/,
      'https://0/': /unspecified/,
      'https://224.0.0.1/': /multicast/,
      'https://255.255.255.255/': /multicast or reserved/,
      'https://192.0.0.8/': /IETF/,
      'https://198.18.0.1/': /benchmarking/,
    };
    for (const [url, why] of Object.entries(cases)) expect(refused(url), url).toMatch(why);
  });

  it('refuses every non-public IPv6 range, IPv4 inside IPv6 included', () => {
    const cases: Record<string, RegExp> = {
      'https://[::1]/': /loopback/,
      'https://[0:0:0:0:0:0:0:1]/': /loopback/,
      'https://[::]/': /unspecified/,
      'https://[fe80::1]/': /link-local/,
      'https://[fec0::1]/': /site-local/,
      'https://[fc00::1]/': /unique local/,
      'https://[fdff:ffff::1]/': /unique local/,
      'https://[ff02::1]/': /multicast/,
      'https://[::ffff:127.0.0.1]/': /loopback \(IPv4 in IPv6\)/,
      'https://[::ffff:10.0.0.1]/': /private/,
      'https://[::ffff:a9fe:a9fe]/': /link-local/,
      'https://[::127.0.0.1]/': /loopback/,
      'https://[64:ff9b::192.168.0.1]/': /private/,
      'https://[2002:c0a8:0101::1]/': /private \(6to4\)/,
    };
    for (const [url, why] of Object.entries(cases)) expect(refused(url), url).toMatch(why);
  });

  it('refuses localhost and its subdomains', () => {
    for (const url of [
      'https://localhost/',
      'https://LOCALHOST:8443/',
      'https://localhost./',
      'https://localhost../',
      'https://%6c%6fcalhost/',
      'https://ⓛocalhost/',
      'https://a.b.localhost/',
    ])
      expect(refused(url), url).toBe('must not be localhost');
  });

  it('with DESTINATIONS_ALLOW_INSECURE lets http:// and loopback through, still not other schemes', () => {
    expect(destinationUrlProblem('http://127.0.0.1:8787/hook', true)).toBeUndefined();
    expect(destinationUrlProblem('https://localhost/', true)).toBeUndefined();
    expect(destinationUrlProblem('ftp://127.0.0.1/', true)).toBe('must be an https:// URL');
  });
});

describe('the backoff', () => {
  it('waits 5 s, 30 s, 2 min, 10 min, 1 h, then hourly', () => {
    expect(Array.from({ length: 9 }, (_, i) => retryDelaySeconds(i + 1))).toEqual([5, 30, 120, 600, 3600, 3600, 3600, 3600, 3600]);
  });

  it('calls a destination failing after 24 hours of failures in a row', () => {
    const since = Date.parse('2026-12-01T00:00:00Z');
    expect(isFailing(since, since + 24 * 3600_000 - 1)).toBe(false);
    expect(isFailing(since, since + 24 * 3600_000)).toBe(true);
  });
});
