// The import download's address guard: private ranges refused by literal, by name and by the
// address a name resolves to, on the first URL and on every redirect; allowed when switched on.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchUrl, isPrivateAddress, UrlRefused } from './url-fetch.ts';

describe('isPrivateAddress', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast and mapped addresses; passes public ones', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '0:0:0:0:0:ffff:a9fe:a9fe'])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', 'not-an-ip']) expect(isPrivateAddress(a), a).toBe(false);
  });
});

describe('fetchUrl', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));
  const signal = () => AbortSignal.timeout(5_000);
  const refusal = (p: Promise<unknown>) => p.then(() => 'fetched', (e: Error) => (e instanceof UrlRefused ? e.message : `other error: ${e.message}`));

  it('refuses private targets by default before connecting: literals, localhost, IPv6 loopback, metadata, non-http schemes', async () => {
    for (const url of ['http://127.0.0.1:9/x', 'http://localhost:9/x', 'http://[::1]:9/x', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/x'])
      expect(await refusal(fetchUrl(url, { signal: signal(), allowPrivate: false })), url).toMatch(/loopback, private or link-local|this machine/);
    expect(await refusal(fetchUrl('file:///etc/passwd', { signal: signal(), allowPrivate: false }))).toMatch(/only http: and https:/);
  });

  it('checks the address a name resolves to and every redirect target; fetches when allowed', async () => {
    // A server on 127.0.0.2 stands for a public host: the policy here refuses only 127.0.0.1 and ::1.
    const refuse = (a: string) => a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
    server = createServer((req, res) => {
      const port = (server!.address() as { port: number }).port;
      if (req.url === '/ok') res.end('hello');
      else if (req.url === '/to-literal') res.writeHead(302, { location: `http://127.0.0.1:${port}/ok` }).end();
      else if (req.url === '/to-name') res.writeHead(301, { location: `http://localhost:${port}/ok` }).end();
      else if (req.url === '/hop') res.writeHead(307, { location: '/ok' }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.2', r));
    const base = `http://127.0.0.2:${(server.address() as { port: number }).port}`;
    const text = async (url: string, allowPrivate = false) => {
      const f = await fetchUrl(url, { signal: signal(), allowPrivate, refuse });
      let s = '';
      for await (const c of f.body) s += Buffer.from(c).toString();
      return `${f.status} ${s} ${f.url}`;
    };
    expect(await text(`${base}/ok`)).toBe(`200 hello ${base}/ok`);
    expect(await text(`${base}/hop`)).toBe(`200 hello ${base}/ok`);
    expect(await refusal(fetchUrl(`${base}/to-literal`, { signal: signal(), allowPrivate: false, refuse }))).toMatch(/^127\.0\.0\.1 is a loopback/);
    expect(await refusal(fetchUrl(`${base}/to-name`, { signal: signal(), allowPrivate: false, refuse }))).toMatch(/^localhost resolves to (127\.0\.0\.1|::1)/);
    expect(await refusal(fetchUrl(`${base}/loop`, { signal: signal(), allowPrivate: false, refuse }))).toMatch(/more than 5 redirects/);
    // 127.0.0.2 is loopback to the default policy: refused, unless the server allows private addresses.
    expect(await refusal(fetchUrl(`${base}/ok`, { signal: signal(), allowPrivate: false }))).toMatch(/^127\.0\.0\.2 is a loopback/);
    expect((await fetchUrl(`${base}/ok`, { signal: signal(), allowPrivate: true })).status).toBe(200);
  });
});
