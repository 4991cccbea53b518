// `tessera worker`: runs jobs from the data directory's queue in this process, beside the server
// (or other workers) on the same data. Stops on SIGINT/SIGTERM after its running jobs settle.
import { resolve } from 'node:path';
import { startWorker } from '../../server/main.ts';
import { parseFlags, type Command } from '../command.ts';

const usage = `usage: tessera worker [--data ./data] [--stages DIR]... [--concurrency N] [--lease-ms MS]

Runs pipeline jobs from the queue in DIR's database, beside the server, as a separate process.
  --data DIR         the server's data directory (default ./data, or TESSERA_DATA)
  --stages DIR       also load the user stages in DIR (repeatable; ./stages is loaded when present)
  --concurrency N    jobs run at once (default 4)
  --lease-ms MS      lease length; a job whose worker stops heartbeating is retried after it (default 30000)
Stages that write live documents (validate with fix, import, distribute) run in the server only.`;

const positiveInt = (name: string, v: string | undefined, dflt: number) => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, not "${v}"`);
  return n;
};

export const command: Command = {
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      data: { type: 'string' },
      stages: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      'lease-ms': { type: 'string' },
      'poll-ms': { type: 'string' },
    }, usage);
    const dataDir = resolve(values.data ?? process.env.TESSERA_DATA ?? './data');
    const dirs = [...(values.stages ?? []).map((d) => resolve(d))];
    const local = resolve('stages');
    const worker = await startWorker({
      dataDir,
      stageDirs: dirs.filter((d) => d !== local),
      concurrency: positiveInt('concurrency', values.concurrency, 4),
      leaseMs: positiveInt('lease-ms', values['lease-ms'], 30_000),
      pollMs: positiveInt('poll-ms', values['poll-ms'], 500),
    });
    const names = worker.stages.registry.list().filter((r) => r.stage.runsIn !== 'server').map((r) => r.stage.name);
    console.log(`tessera worker ${process.pid} ready: data ${dataDir}, stages ${names.join(', ') || '(none)'}`);
    await new Promise<void>((done) => {
      const stop = () => void worker.close().then(done, (e) => (console.error(e), done()));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
