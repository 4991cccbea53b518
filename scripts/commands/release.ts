// `tessera release`: cuts a release of a project on a server (the `release` stage, run as a job
// there) and follows the job to its end: the number and id, or why it was refused.
import type { CutBody, CutOutcome } from '../../shared/api/releases.ts';
import type { JobView } from '../../shared/api/jobs.ts';
import { FINISHED_STATES } from '../../shared/jobs.ts';
import { connect, resolveProject } from '../api-client.ts';
import { parseFlags, UsageError, type Command } from '../command.ts';

const usage = `usage: tessera release --server URL --project ID|NAME [--notes TEXT] [--split TRAIN,VAL,TEST] [--salt S] [--group-by REGEX] [--no-wait]

Cuts a release from the latest approved revision of every image of the project (images without
one are left out, edits since approval are not included) and prints its number and id. The same
approved state twice gives the same release (no new number).
Options:
  --notes TEXT        free-text release notes
  --split T,V,E       train/val/test ratios, e.g. 0.8,0.1,0.1 (default: the parent release's, or 0.8,0.1,0.1);
                      an image keeps the split it had in the parent release
  --salt S            salt of the split hash
  --group-by REGEX    keep images whose file names share the regex's first group in one split (e.g. "^(scene\\d+)_")
  --no-wait           print the job id and return at once
Signs in with TESSERA_TOKEN, or TESSERA_USER and TESSERA_PASSWORD.`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        server: { type: 'string' },
        project: { type: 'string' },
        notes: { type: 'string' },
        split: { type: 'string' },
        salt: { type: 'string' },
        'group-by': { type: 'string' },
        'no-wait': { type: 'boolean', default: false },
      },
      usage,
    );
    if (!values.server) throw new UsageError(`missing --server\n${usage}`);
    if (!values.project) throw new UsageError(`missing --project\n${usage}`);
    if (positionals.length) throw new UsageError(`unexpected ${positionals[0]}\n${usage}`);
    const body: CutBody = {};
    if (values.notes !== undefined) body.notes = values.notes;
    if (values.split !== undefined || values.salt !== undefined || values['group-by'] !== undefined) {
      const parts = (values.split ?? '0.8,0.1,0.1').split(',').map(Number);
      if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) throw new UsageError('--split takes three numbers ≥ 0, like 0.8,0.1,0.1');
      body.split = { train: parts[0], val: parts[1], test: parts[2], ...(values.salt !== undefined ? { salt: values.salt } : {}), ...(values['group-by'] !== undefined ? { groupBy: values['group-by'] } : {}) };
    }
    const api = await connect(values.server);
    const p = await resolveProject(api, values.project);
    const { job } = await api.json<{ job: { id: string } }>(`/api/projects/${encodeURIComponent(p.id)}/releases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (values['no-wait']) {
      console.log(`queued release job ${job.id} for ${p.name}`);
      return;
    }
    let last = '';
    for (;;) {
      const j = await api.json<JobView>(`/api/projects/${encodeURIComponent(p.id)}/jobs/${job.id}`);
      const line = `${Math.round(j.progress.fraction * 100)}% ${j.progress.message}`;
      if (line !== last && j.state === 'running') console.error(`cutting: ${line}`);
      last = line;
      if (FINISHED_STATES.includes(j.state)) {
        if (j.state !== 'succeeded') throw new Error(`the cut ${j.state}: ${j.errors.at(-1)?.message ?? 'no reason recorded'}`);
        const r = j.result as CutOutcome;
        const left = `${r.unreviewedEdits} with edits since approval (released as approved), ${r.noRevision} without an approved revision (left out)`;
        console.log(r.created ? `released ${p.name}@${r.number} (${r.id}): ${r.included} images; ${left}` : `unchanged: the approved state is ${p.name}@${r.number} (${r.id}) already; ${left}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  },
};
