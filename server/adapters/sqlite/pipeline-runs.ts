// Pipeline runs and their steps on SQLite (`pipeline_runs`, `pipeline_steps`), through the
// connection's writer gate.
import { serialOf, type Db } from './open.ts';
import type { Pipeline, RunStatus, StepStatus } from '../../../shared/pipeline.ts';
import type { PipelineRunRepository, RunRecord, StepRecord } from '../../ports/pipeline-runs.ts';

interface RunRow {
  rid: number;
  id: string;
  project_id: string;
  name: string;
  spec: string;
  status: RunStatus;
  created_by: string;
  created_at: number;
  finished_at: number | null;
}
interface StepRow {
  step_id: string;
  position: number;
  uses: string;
  needs: string;
  status: StepStatus;
  job_id: string | null;
}

export function sqlitePipelineRuns(conn: Db): PipelineRunRepository {
  const db = conn.$client;
  const gate = serialOf(conn);
  const st = {
    insertRun: db.prepare(
      'insert into pipeline_runs (id, project_id, name, spec, status, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertStep: db.prepare(
      'insert into pipeline_steps (run_id, step_id, position, uses, needs, status, job_id) values (?, ?, ?, ?, ?, ?, ?)',
    ),
    run: db.prepare<[string], RunRow>('select rowid as rid, * from pipeline_runs where id = ?'),
    steps: db.prepare<[string], StepRow>('select * from pipeline_steps where run_id = ? order by position'),
    page: db.prepare<[string, number, number], RunRow>(
      'select rowid as rid, * from pipeline_runs where project_id = ? and rowid < ? order by rowid desc limit ?',
    ),
    setStep: db.prepare(
      `update pipeline_steps set status = @status, job_id = coalesce(@jobId, job_id)
       where run_id = @runId and step_id = @stepId and (@from is null or status in (select value from json_each(@from)))`,
    ),
    setStatus: db.prepare('update pipeline_runs set status = ?, finished_at = ? where id = ?'),
  };
  const toRecord = (r: RunRow): RunRecord => ({
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    spec: JSON.parse(r.spec) as Pipeline,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    steps: st.steps.all(r.id).map(
      (s): StepRecord => ({ stepId: s.step_id, position: s.position, uses: s.uses, needs: JSON.parse(s.needs) as string[], status: s.status, jobId: s.job_id }),
    ),
  });
  const create = db.transaction((run: Omit<RunRecord, 'finishedAt'>) => {
    st.insertRun.run(run.id, run.projectId, run.name, JSON.stringify(run.spec), run.status, run.createdBy, run.createdAt);
    for (const s of run.steps) st.insertStep.run(run.id, s.stepId, s.position, s.uses, JSON.stringify(s.needs), s.status, s.jobId);
  });
  return {
    async create(run) {
      await gate.op(() => create.immediate(run));
    },
    async get(id) {
      const r = st.run.get(id);
      return r ? toRecord(r) : null;
    },
    async list(projectId, page) {
      const limit = Math.min(Math.max(page.limit, 1), 200);
      const rows = st.page.all(projectId, page.cursor ? Number(page.cursor) : Number.MAX_SAFE_INTEGER, limit + 1);
      const items = rows.slice(0, limit);
      return { items: items.map(toRecord), next: rows.length > limit ? String(items[items.length - 1].rid) : null };
    },
    async setStep(runId, stepId, patch, from) {
      return gate.op(() => st.setStep.run({ runId, stepId, status: patch.status, jobId: patch.jobId ?? null, from: from ? JSON.stringify(from) : null }).changes === 1);
    },
    async setStatus(runId, status, finishedAt) {
      await gate.op(() => st.setStatus.run(status, finishedAt, runId));
    },
  };
}
