// The "Cut release" dialog: what a cut would include now (approved images, of them edited since
// approval, images without an approved revision) before it runs, free-text notes, then the cut's
// job followed live over the project event stream until it ends (a new number, or the existing
// release when the approved state is one already).
import { createResource, createSignal, onCleanup, Show } from 'solid-js';
import { messageOf } from '../api.ts';
import { releasesApi } from '../api/releases.ts';
import type { JobView } from '../../../shared/api/jobs.ts';
import type { CutOutcome } from '../../../shared/api/releases.ts';
import { isFinished, type JobState } from '../../../shared/jobs.ts';
import { onProjectEvent } from '../project-events.ts';
import { ErrorNote } from './ErrorNote.tsx';

interface Progress {
  state: JobState;
  fraction: number;
  message: string;
}

export function CutReleaseDialog(props: { projectId: string; projectName: string; onClose(): void; onCut(number: number): void }) {
  const [preview] = createResource(() => props.projectId, (id) => releasesApi.preview(id));
  const [notes, setNotes] = createSignal('');
  const [jobId, setJobId] = createSignal<string | null>(null);
  const [progress, setProgress] = createSignal<Progress | null>(null);
  const [outcome, setOutcome] = createSignal<CutOutcome | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [gate] = createResource(() => props.projectId, (id) => releasesApi.gate(id));
  /** Set when the release gate refused the cut: the report's address. */
  const [refusedReport, setRefusedReport] = createSignal<string | null>(null);

  /** The job's end: its result (the release) or its last error. */
  const finish = async (id: string) => {
    try {
      const job = await releasesApi.job(props.projectId, id);
      ended(job);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const ended = (job: JobView) => {
    setProgress({ state: job.state, fraction: job.progress.fraction, message: job.progress.message });
    if (!isFinished(job.state) || outcome()) return;
    if (job.state === 'succeeded') setOutcome(job.result as CutOutcome);
    else {
      const last = job.errors.at(-1);
      setError(last?.message ?? `the cut ended ${job.state}`);
      if (last?.code === 'validation') setRefusedReport(`/api/projects/${encodeURIComponent(props.projectId)}/release-gate/report`);
    }
  };
  // Listening before the cut is queued: no event of its job can be missed; a reconnect refetches.
  if (typeof EventSource !== 'undefined') {
    onCleanup(
      onProjectEvent(
        props.projectId,
        'job',
        (e) => {
          if (e.job.id !== jobId()) return;
          setProgress({ state: e.job.state, fraction: e.job.progress.fraction, message: e.job.progress.message });
          if (isFinished(e.job.state)) void finish(e.job.id);
        },
        () => jobId() && void finish(jobId()!),
      ),
    );
  }

  const cut = async () => {
    setError(null);
    try {
      const { job } = await releasesApi.cut(props.projectId, notes().trim() ? { notes: notes().trim() } : {});
      setJobId(job.id);
      setProgress({ state: job.state, fraction: job.progress.fraction, message: job.progress.message || 'queued' });
      // It may have ended before the stream told us (a small project cuts in milliseconds).
      void finish(job.id);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const running = () => jobId() !== null && !outcome() && !error();
  const pct = () => Math.round((progress()?.fraction ?? 0) * 100);

  return (
    <div class="sheet-backdrop" onClick={() => !running() && props.onClose()}>
      <div class="sheet cut-dialog" role="dialog" aria-label="Cut release" data-testid="cut-dialog" onClick={(e) => e.stopPropagation()}>
        <div class="sheet-head">
          <h3>Cut a release of {props.projectName}</h3>
          <button type="button" class="icon" aria-label="Close" onClick={props.onClose}>×</button>
        </div>
        <ErrorNote message={preview.error ? messageOf(preview.error) : error()} />
        <Show when={preview.state === 'ready' && preview()}>
          {(p) => (
            <dl class="cut-preview" data-testid="cut-preview" data-included={p().included} data-unreviewed={p().unreviewedEdits} data-norevision={p().noRevision}>
              <dt class="num">{p().included}</dt>
              <dd>approved images will be in the release</dd>
              <dt class="num warn">{p().unreviewedEdits}</dt>
              <dd>of them were edited since their approval: the release holds the approved state, not the edits</dd>
              <dt class="num muted">{p().noRevision}</dt>
              <dd>images without an approved revision are left out (of {p().images} in the project)</dd>
            </dl>
          )}
        </Show>
        <Show when={refusedReport()}>
          {(href) => (
            <p class="small" data-testid="gate-refused">
              <a href={href()} target="_blank" rel="noopener">Open the validation report</a> — fix the shapes it names, approve them again, then cut.
            </p>
          )}
        </Show>
        <Show when={gate.state === 'ready' && gate()!.validate}>
          {(v) => <p class="muted small" data-testid="gate-on">Release gate on: the cut is refused if validation of its manifest finds problems (duplicates at IoU ≥ {v().iou}).</p>}
        </Show>
        <Show when={jobId() === null}>
          <label class="stack">
            <span class="muted small">Release notes (optional; generated notes from the diff are added beside them)</span>
            <textarea rows="3" maxlength="10000" data-testid="cut-notes" value={notes()} onInput={(e) => setNotes(e.currentTarget.value)} />
          </label>
          <div class="right">
            <button type="button" onClick={props.onClose}>Cancel</button>{' '}
            <button type="button" class="primary" data-testid="cut-start" disabled={preview.state !== 'ready' || preview()!.included === 0} onClick={() => void cut()}>
              Cut release
            </button>
          </div>
        </Show>
        <Show when={progress()}>
          {(pr) => (
            <div class="cut-progress" data-testid="cut-progress" data-state={pr().state}>
              <progress max="100" value={pct()} />
              <span class="small">{pr().state} · {pct()}% · {pr().message}</span>
            </div>
          )}
        </Show>
        <Show when={outcome()}>
          {(o) => (
            <div class="cut-done" data-testid="cut-done" data-number={o().number} data-created={String(o().created)}>
              <p>
                {o().created ? `Cut ${props.projectName}@${o().number}` : `The approved state is ${props.projectName}@${o().number} already: no new number`} ({o().included} images).
              </p>
              <button type="button" class="primary" data-testid="cut-open" onClick={() => props.onCut(o().number)}>Open @{o().number}</button>
            </div>
          )}
        </Show>
      </div>
    </div>
  );
}
