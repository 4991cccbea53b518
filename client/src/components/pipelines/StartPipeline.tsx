// Start a pipeline: from an uploaded YAML/JSON file (editable before it starts) or one started
// before in this project. The server parses the text (so the web app carries no YAML parser): its
// problems are listed, syntax errors with line and column, the others with their path
// (`stages[1].with.format: …`).
import { createSignal, For, Show } from 'solid-js';
import { messageOf } from '../../api.ts';
import { jobsApi, pipelineProblems, type RunSummary, type StageInfo } from '../../api/jobs.ts';

const EXAMPLE = `name: check
stages:
  - id: check
    uses: validate
  - id: eda
    uses: report
    needs: [check]
`;

export function StartPipeline(props: { projectId: string; runs: RunSummary[]; stages: StageInfo[]; onStarted(runId: string): void }) {
  const [text, setText] = createSignal(EXAMPLE);
  const [source, setSource] = createSignal('example');
  const [problems, setProblems] = createSignal<string[]>([]);
  const [busy, setBusy] = createSignal(false);
  /** The latest run of each pipeline name: what "start again" offers. */
  const saved = () => [...new Map([...props.runs].reverse().map((r) => [r.name, r])).values()].reverse();

  const pickFile = async (file: File | undefined) => {
    if (!file) return;
    setText(await file.text());
    setSource(file.name);
    setProblems([]);
  };
  const pickSaved = async (runId: string) => {
    if (!runId) return;
    try {
      const run = await jobsApi.run(props.projectId, runId);
      // JSON is YAML too: the pipeline as it ran, editable before it starts again.
      setText(JSON.stringify(run.pipeline, null, 2));
      setSource(`${run.name} (as run ${new Date(run.createdAt).toLocaleString()})`);
      setProblems([]);
    } catch (e) {
      setProblems([messageOf(e)]);
    }
  };
  const start = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblems([]);
    try {
      const started = await jobsApi.startRun(props.projectId, text());
      props.onStarted(started.id);
    } catch (err) {
      setProblems(pipelineProblems(err) ?? [messageOf(err)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel-section start-pipeline" onSubmit={start} data-testid="start-pipeline">
      <h3>Start a pipeline</h3>
      <div class="inline-form">
        <label class="file-pick">
          Upload YAML or JSON
          <input type="file" accept=".yaml,.yml,.json,application/json,text/yaml" data-testid="pipeline-file" onChange={(e) => void pickFile(e.currentTarget.files?.[0])} />
        </label>
        <Show when={saved().length > 0}>
          <select data-testid="pipeline-saved" onChange={(e) => void pickSaved(e.currentTarget.value)}>
            <option value="">or one run before…</option>
            <For each={saved()}>{(r) => <option value={r.id}>{r.name}</option>}</For>
          </select>
        </Show>
      </div>
      <p class="muted small">From {source()} — edit before starting if needed.</p>
      <textarea class="pipeline-text mono" spellcheck={false} rows={10} value={text()} onInput={(e) => setText(e.currentTarget.value)} data-testid="pipeline-text" />
      <Show when={problems().length > 0}>
        <ul class="error problems" role="alert" data-testid="pipeline-problems">
          <For each={problems()}>{(p) => <li>{p}</li>}</For>
        </ul>
      </Show>
      <div class="inline-form">
        <button type="submit" class="primary" disabled={busy()} data-testid="pipeline-start">
          {busy() ? 'Starting…' : 'Start'}
        </button>
        <span class="muted small" title={props.stages.map((s) => `${s.name} v${s.version}: ${s.description}`).join('\n')}>
          stages: {props.stages.map((s) => s.name).join(', ')}
        </span>
      </div>
    </form>
  );
}
