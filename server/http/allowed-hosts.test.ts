import { describe, expect, it } from 'vitest';
import { allowedHosts, hostName } from './allowed-hosts.ts';

describe('allowed hosts', () => {
  it('reads host names from Host values: port, IPv6 brackets, case, trailing dot', () => {
    expect(hostName('Example.COM:8080')).toBe('example.com');
    expect(hostName('[::1]:8080')).toBe('::1');
    expect(hostName('localhost.')).toBe('localhost');
    expect(hostName('a b')).toBeNull();
    expect(hostName('user@evil')).toBeNull();
  });

  it('answers the listen address, localhost, IP literals and configured names only', () => {
    const ok = allowedHosts({ listen: 'tessera.lan', extra: ['data.example.org', '.corp.example'] });
    for (const h of ['tessera.lan:8080', 'localhost:5173', 'app.localhost', '127.0.0.1:8080', '[::1]:8080', '10.0.0.7', 'data.example.org', 'corp.example', 'a.corp.example', undefined]) {
      expect(ok(h), String(h)).toBe(true);
    }
    for (const h of ['attacker.example', 'attacker.example:8080', 'tessera.lan.attacker.example', 'xcorp.example', 'localhost.attacker.example', '']) {
      expect(ok(h), h).toBe(false);
    }
    expect(allowedHosts({ listen: '127.0.0.1', extra: ['*'] })('anything.example')).toBe(true);
  });
});
