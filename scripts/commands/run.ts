// `tessera run`: starts a pipeline run on a server from a YAML or JSON file; with --watch, shows a
// progress bar per running step from the project's event stream and exits non-zero when the run
// does not succeed, with each failed step's last error.
import { readFileSync } from 'node:fs';
import type { ProjectEvent } from '../../shared/api/events.ts';
import type { JobDetail, RunView } from '../../shared/api/jobs.ts';
import { readSse, type SseMessage } from '../../shared/api/sse.ts';
import { connect, resolveProject, type ApiClient } from '../api-client.ts';
import { parseFlags, UsageError, type Command } from '../command.ts';

const usage = `usage: tessera run --server URL --project ID|NAME [--watch] PIPELINE.yaml

Starts a pipeline run (YAML or JSON). The file is checked on the server before anything runs;
problems are printed by path (stages[2].with.ratio: expected number).
  --watch   follow the run: a progress bar per running step; exit 1 unless it succeeds
Signs in with TESSERA_TOKEN, or TESSERA_USER and TESSERA_PASSWORD.`;

interface Problems {
  error: { code: string; message: string; details?: { problems?: string[] } };
}

async function* sse(api: ApiClient, path: string): AsyncGenerator<SseMessage> {
  const res = await api.fetch(path, { headers: { accept: 'text/event-stream' } });
  if (!res.ok || !res.body) throw new Error(`event stream: HTTP ${res.status}`);
  yield* readSse(res.body);
}

const bar = (fraction: number, width = 20) => `[${'#'.repeat(Math.round(fraction * width))}${'.'.repeat(width - Math.round(fraction * width))}]`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { server: { type: 'string' }, project: { type: 'string' }, watch: { type: 'boolean', default: false } }, usage);
    if (!values.server || !values.project || positionals.length !== 1) throw new UsageError(usage);
    const file = positionals[0];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${file}: ${(e as Error).message}`);
    }
    const api = await connect(values.server);
    const project = await resolveProject(api, values.project);
    const type = /\.json$/i.test(file) ? 'application/json' : 'text/yaml';
    // Subscribe before starting, so that no event of the run is missed.
    const events = values.watch ? sse(api, `/api/projects/${project.id}/events`) : null;
    // However the command ends (a refused pipeline, an error, the run's end), the stream is closed:
    // open, it would keep the process alive.
    try {
      if (events) await events.next();
      const res = await api.fetch(`/api/projects/${project.id}/pipeline-runs`, { method: 'POST', headers: { 'content-type': type }, body: text });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as Problems | null;
        const problems = body?.error.details?.problems;
        if (problems?.length) {
          for (const p of problems) console.error(`${file}: ${p}`);
          throw new Error(`${file}: ${problems.length} problem${problems.length > 1 ? 's' : ''}, nothing started`);
        }
        throw new Error(`starting the run: ${body?.error.message ?? `HTTP ${res.status}`}`);
      }
      const started = (await res.json()) as { id: string; run: RunView };
      console.log(`run ${started.id} of "${started.run.name}" started in "${project.name}" (${started.run.steps.length} steps)`);
      if (!events) return 0;

      const tty = process.stderr.isTTY === true;
      const lines = new Map<string, string>();
      const states = new Map<string, string>();
      let drawn = 0;
      const draw = () => {
        if (!tty) return;
        if (drawn) process.stderr.write(`\x1b[${drawn}A`);
        for (const l of lines.values()) process.stderr.write(`\r${l}\x1b[K\n`);
        drawn = lines.size;
      };
      let final: RunView | null = null;
      for await (const e of events) {
        const ev = e.data as ProjectEvent;
        if (ev.type === 'job' && ev.job.runId === started.id) {
          const j = ev.job;
          const label = `${(j.stepId ?? j.stage).padEnd(16)} ${j.stage.padEnd(12)}`;
          const text = j.state === 'running' ? `${label} ${bar(j.progress.fraction)} ${Math.round(j.progress.fraction * 100)}% ${j.progress.message}` : `${label} ${j.state}${j.attempts > 1 ? ` (attempt ${j.attempts})` : ''}`;
          // Not a terminal: one line per state change (no redrawn bars in a log file).
          if (!tty && states.get(j.id) !== j.state) console.error(`${label} ${j.state}`);
          states.set(j.id, j.state);
          lines.set(j.id, text);
          draw();
        } else if (ev.type === 'run' && ev.run.id === started.id && ev.run.status !== 'running') {
          final = await api.json<RunView>(`/api/projects/${project.id}/pipeline-runs/${started.id}`);
          break;
        }
      }
      if (!final) throw new Error('the event stream closed before the run finished');
      for (const s of final.steps) {
        const cached = s.job?.cachedFrom ? ' (unchanged: reused)' : '';
        console.log(`  ${s.stepId.padEnd(16)} ${s.status}${cached}`);
        if (s.job && (s.status === 'failed' || s.job.state === 'dead')) {
          const detail = await api.json<JobDetail>(`/api/projects/${project.id}/jobs/${s.job.id}`);
          const last = detail.errors.at(-1);
          if (last) console.error(`  ${s.stepId}: ${last.message}`);
        }
      }
      console.log(`run ${final.id} ${final.status}`);
      return final.status === 'succeeded' ? 0 : 1;
    } finally {
      await events?.return(undefined);
    }
  },
};
