// A TCP proxy for network-failure tests: forwards to a target port that can change (a restarted
// server), counts bytes each way, and can cut, stall and resume links or go offline entirely.
import net from 'node:net';

export interface ProxyLink {
  readonly id: number;
  cut(): void;
  stall(): void;
  resume(): void;
  readonly stalled: boolean;
}

export interface TcpProxy {
  port: number;
  /** `http://127.0.0.1:<port>` for clients. */
  url: string;
  links(): ProxyLink[];
  /** Bytes client → server and server → client since the last reset. */
  bytes: { up: number; down: number };
  resetBytes(): void;
  setTarget(port: number): void;
  /** Offline: cut every link and refuse new ones until online again. */
  setOnline(online: boolean): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number, host = '127.0.0.1'): Promise<TcpProxy> {
  let target = targetPort;
  let online = true;
  let nextId = 1;
  const links = new Map<number, ProxyLink & { sockets: net.Socket[] }>();
  const bytes = { up: 0, down: 0 };

  const server = net.createServer((client) => {
    client.on('error', () => {});
    if (!online) return client.destroy();
    const upstream = net.connect(target, host);
    upstream.on('error', () => {});
    const id = nextId++;
    let stalled = false;
    const link = {
      id,
      sockets: [client, upstream],
      get stalled() {
        return stalled;
      },
      cut() {
        client.destroy();
        upstream.destroy();
      },
      stall() {
        stalled = true;
        client.pause();
        upstream.pause();
      },
      resume() {
        stalled = false;
        client.resume();
        upstream.resume();
      },
    };
    links.set(id, link);
    client.on('data', (b) => {
      bytes.up += b.length;
      upstream.write(b);
    });
    upstream.on('data', (b) => {
      bytes.down += b.length;
      client.write(b);
    });
    const end = () => {
      links.delete(id);
      link.cut();
    };
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}`,
    links: () => [...links.values()],
    bytes,
    resetBytes() {
      bytes.up = 0;
      bytes.down = 0;
    },
    setTarget(p) {
      target = p;
    },
    setOnline(on) {
      online = on;
      if (!on) for (const l of [...links.values()]) l.cut();
    },
    async close() {
      for (const l of [...links.values()]) l.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
