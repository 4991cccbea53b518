// What can be done with one release: the exact `tessera pull` command (copy button), export zips per
// format, QA's verdict with notes (qa, manager) and its history, and aliases (engineer, manager).
// The server checks every role again; these controls are only hidden from the others.
import { createSignal, For, Show } from 'solid-js';
import { exportUrl, releasesApi, type ReleaseDetail } from '../api/releases.ts';
import { can } from '../../../shared/policy.ts';
import type { Role } from '../../../shared/roles.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/release/export-formats.ts';
import { createAction } from '../state/action.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { when, type ProjectNames } from './release-bits.tsx';

const FORMATS = Object.values(EXPORT_FORMATS);
const FORMAT_LABEL: Record<ExportFormat, string> = { coco: 'COCO', yolo: 'YOLO', voc: 'Pascal VOC' };

/** A shell word: quoted when it holds anything but safe characters. */
const shellWord = (s: string) => (/^[A-Za-z0-9@%+=:,./_-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function pullCommand(origin: string, projectName: string, number: number, format: ExportFormat): string {
  return `npx tessera pull --server ${shellWord(origin)} ${shellWord(`${projectName}@${number}`)} --format ${format} --out ${shellWord(`${projectName}-${number}-${format}`)}`;
}

export function ReleaseActions(props: { projectId: string; projectName: string; role: Role; release: ReleaseDetail; names: ProjectNames; onChanged(): void }) {
  const r = () => props.release;
  const [format, setFormat] = createSignal<ExportFormat>('coco');
  const [copied, setCopied] = createSignal(false);
  const [qaNotes, setQaNotes] = createSignal('');
  const [alias, setAlias] = createSignal('');
  const { error, setError, busy, run } = createAction();
  const command = () => pullCommand(location.origin, props.projectName, r().number, format());

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command());
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setError('the browser refused the clipboard: select the command and copy it by hand');
    }
  };
  const act = (fn: () => Promise<unknown>) =>
    run(async () => {
      await fn();
      props.onChanged();
    });
  const verdict = async (status: 'validated' | 'failed') => {
    if (await act(() => releasesApi.qa(props.projectId, r().number, status, qaNotes()))) setQaNotes('');
  };
  const saveAlias = async (e: Event) => {
    e.preventDefault();
    if (await act(() => releasesApi.setAlias(props.projectId, alias().trim(), r().number))) setAlias('');
  };

  return (
    <div class="release-actions">
      <ErrorNote message={error()} onDismiss={() => setError(null)} />
      <section class="panel-section">
        <h3>Get it</h3>
        <div class="pull-row">
          <select aria-label="format" data-testid="pull-format" value={format()} onChange={(e) => setFormat(e.currentTarget.value as ExportFormat)}>
            <For each={FORMATS}>{(f) => <option value={f}>{FORMAT_LABEL[f]}</option>}</For>
          </select>
          <code class="pull-command" data-testid="pull-command">{command()}</code>
          <button type="button" class="small" data-testid="pull-copy" onClick={() => void copy()}>{copied() ? 'Copied' : 'Copy'}</button>
        </div>
        <p class="muted small">It signs in with TESSERA_TOKEN, or TESSERA_USER and TESSERA_PASSWORD; checks every SHA-256 and resumes where it stopped.</p>
        <p class="small">
          Download a zip (annotations and manifest.json; images come with <code>tessera pull</code>):{' '}
          <For each={FORMATS}>
            {(f) => (
              <a class="export-link" href={exportUrl(props.projectId, r().number, f)} download="" data-testid={`export-${f}`}>
                {FORMAT_LABEL[f]}
              </a>
            )}
          </For>
        </p>
      </section>

      <div class="release-cols">
        <section class="panel-section" data-testid="qa-section">
          <h3>QA</h3>
          <Show when={can(props.role, 'releases.validate')}>
            <textarea rows="2" placeholder="What you checked (required when it failed)" data-testid="qa-notes" value={qaNotes()} onInput={(e) => setQaNotes(e.currentTarget.value)} />
            <div class="qa-buttons">
              <button type="button" class="ok" data-testid="qa-validated" disabled={busy()} onClick={() => void verdict('validated')}>Mark validated</button>
              <button type="button" class="danger" data-testid="qa-failed" disabled={busy() || !qaNotes().trim()} onClick={() => void verdict('failed')}>Mark failed</button>
            </div>
          </Show>
          <ul class="qa-history small" data-testid="qa-history">
            <For each={r().qaHistory} fallback={<li class="muted">No verdict yet.</li>}>
              {(q) => (
                <li>
                  <span class={`badge qa-${q.status}`}>{q.status}</span> by {props.names.person(q.by)}, {when(q.at)}
                  <Show when={q.notes}><div class="muted">{q.notes}</div></Show>
                </li>
              )}
            </For>
          </ul>
        </section>
        <Show when={can(props.role, 'releases.create')}>
          <section class="panel-section">
            <h3>Aliases</h3>
            <p class="muted small"><code>latest</code> follows the newest release by itself. Point another name (prod, candidate) at @{r().number}:</p>
            <form class="inline-form" onSubmit={(e) => void saveAlias(e)}>
              <input placeholder="prod" data-testid="alias-name" value={alias()} onInput={(e) => setAlias(e.currentTarget.value)} />
              <button type="submit" data-testid="alias-set" disabled={busy() || !alias().trim()}>Set alias</button>
            </form>
          </section>
        </Show>
      </div>
    </div>
  );
}
