// Crash: the server runs as a child process and is killed with SIGKILL mid-stream, then restarted
// on the same data. What any client saw relayed is on disk (durable before fan-out), and after
// the clients reconnect nothing any of them wrote is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { addShape, readShapes } from '../../shared/doc/annotations.ts';
import { openDb } from '../adapters/sqlite/open.ts';
import { seedProject, tempDir } from '../testing/fixtures.ts';
import { startProxy } from '../testing/proxy.ts';
import { docUpdates, until } from '../testing/wait.ts';
import { connectSyncClient, fetchDoc } from './client.ts';

const CLI = resolve(import.meta.dirname, '../../scripts/tessera.js');

function serve(dataDir: string): Promise<{ child: ChildProcess; port: number; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data', dataDir, '--no-client'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b) => (stderr += b));
  return new Promise((resolveP, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /Tessera is listening on (http:\/\/[^\s]+:(\d+))/.exec(line);
      if (m) resolveP({ child, url: m[1], port: Number(m[2]) });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${stderr}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

describe('crash', () => {
  const dir = tempDir();
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) (c.kill('SIGKILL'), await exited(c));
    dir.cleanup();
  });

  it('loses nothing when the server is SIGKILLed mid-stream and restarted', async () => {
    const db = openDb({ file: join(dir.dir, 'tessera.db') });
    const seed = seedProject(db);
    db.$client.close();
    const doc = `ann:${seed.images.assigned}`;

    const first = await serve(dir.dir);
    children.push(first.child);
    const proxy = await startProxy(first.port);
    const a = connectSyncClient({ url: proxy.url, docName: doc, token: seed.tokens.annotator, maxBackoffTime: 100 });
    const b = connectSyncClient({ url: proxy.url, docName: doc, token: seed.tokens.reviewer, maxBackoffTime: 100 });
    try {
      await Promise.all([a.synced(), b.synced()]);
      const written: string[] = [];
      const write = () => {
        const id = `a${written.length}`;
        written.push(id);
        addShape(a.doc, { id, kind: 'box', label: 'c', points: [written.length, 0, 5, 5] }, { author: seed.users.annotator.id });
      };
      // stream edits; kill the server while they are flowing
      let seenByB: string[] = [];
      await new Promise<void>((done) => {
        const tick = () => {
          write();
          const seen = readShapes(b.doc).shapes.length;
          if (seen >= 150) {
            seenByB = readShapes(b.doc).shapes.map((s) => s.id);
            first.child.kill('SIGKILL');
            for (let i = 0; i < 20; i++) write(); // in flight or unsent when the server dies
            return done();
          }
          setImmediate(tick);
        };
        tick();
      });
      await exited(first.child);
      proxy.setOnline(false);
      for (let i = 0; i < 10; i++) write(); // offline while the server is down

      const second = await serve(dir.dir);
      children.push(second.child);
      // durable before fan-out: everything B received is on disk, without A's help
      const after = await fetchDoc({ url: second.url, docName: doc, token: seed.tokens.manager });
      const onDisk = new Set(readShapes(after).shapes.map((s) => s.id));
      expect(seenByB.filter((id) => !onDisk.has(id))).toEqual([]);

      proxy.setTarget(second.port);
      proxy.setOnline(true);
      const d = connectSyncClient({ url: second.url, docName: doc, token: seed.tokens.manager });
      try {
        await d.synced();
        const has = () => {
          const ids = new Set(readShapes(d.doc).shapes.map((s) => s.id));
          return written.every((id) => ids.has(id));
        };
        await until(has, [docUpdates(d.doc)], 15_000, () => `all ${written.length} shapes on the restarted server`);
        await until(() => readShapes(b.doc).shapes.length === written.length, [docUpdates(b.doc)], 15_000, 'b caught up');
      } finally {
        d.destroy();
      }
      console.log(`crash: ${written.length} shapes written, ${seenByB.length} relayed before SIGKILL, all present after restart`);
      second.child.kill('SIGTERM');
      await exited(second.child);
    } finally {
      a.destroy();
      b.destroy();
      await proxy.close();
    }
  });
});
