// `tessera runs add|list`: records a model run against a release of a project (metrics and params
// from JSON files, checked here so that a bad file is named before anything is sent) and lists a
// project's runs as a table. Talks to the server over HTTP like any other client.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Metrics, type RunBody, type RunView } from '../../shared/api/runs.ts';
import { connect, resolveProject, type ApiClient } from '../api-client.ts';
import { parseFlags, UsageError, type Command } from '../command.ts';

const usage = `usage: tessera runs add  --server URL --release P@N|P@ALIAS|P@ID --model NAME --version V
                         [--project ID|NAME] [--metrics metrics.json] [--params params.json]
                         [--code GIT_SHA] [--split train|val|test] [--notes TEXT]
       tessera runs list --server URL --project ID|NAME [--release N|ALIAS|ID]

add   records a model run measured against a release; the run keeps the release's id (its manifest
      digest). --release names the project before "@" (or give --project and only N, ALIAS or ID).
      --metrics is a JSON object of numbers, or of class name → number maps (per-class AP):
      {"mAP": 0.41, "AP": {"car": 0.5, "person": 0.32}}. --params is any JSON object.
list  prints the project's runs, newest first, as a table.
A project id that starts with "-" is given as --project=ID.
Signs in with TESSERA_TOKEN, or TESSERA_USER and TESSERA_PASSWORD.`;

/** Reads a JSON file given by `flag`, failing with a message that names the flag and the file. */
async function jsonFile(flag: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${flag} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${flag} ${path}: not JSON (${(e as Error).message})`);
  }
}

/** Validates a file's content with `schema`, naming the file and the field. */
function checked<S extends z.ZodType>(schema: S, value: unknown, flag: string, path: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new Error(`${flag} ${path}: ${issue.path.length ? `field "${issue.path.join('.')}": ` : ''}${issue.message}`);
}

/** `P@N` → project P, release N; a ref without "@" needs --project. */
function releaseArg(release: string, project: string | undefined): { project: string; ref: string | number } {
  const at = release.lastIndexOf('@');
  const named = at >= 0 ? release.slice(0, at) : undefined;
  const ref = at >= 0 ? release.slice(at + 1) : release;
  if (!ref) throw new UsageError(`--release ${release}: name the release after "@" (a number, an alias or an id)`);
  if (named && project && named !== project) throw new UsageError(`--release ${release} names project "${named}", --project says "${project}"`);
  const p = named || project;
  if (!p) throw new UsageError(`--release ${release}: name the project (P@${ref}, or --project)`);
  return { project: p, ref: /^\d{1,9}$/.test(ref) ? Number(ref) : ref };
}

const Params = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

async function add(argv: string[]) {
  const { values, positionals } = parseFlags(
    argv,
    {
      server: { type: 'string' },
      project: { type: 'string' },
      release: { type: 'string' },
      model: { type: 'string' },
      version: { type: 'string' },
      metrics: { type: 'string' },
      params: { type: 'string' },
      code: { type: 'string' },
      split: { type: 'string' },
      notes: { type: 'string' },
    },
    usage,
  );
  for (const flag of ['server', 'release', 'model', 'version'] as const) if (!values[flag]) throw new UsageError(`missing --${flag}\n${usage}`);
  if (positionals.length) throw new UsageError(`unexpected ${positionals[0]}\n${usage}`);
  const { project, ref } = releaseArg(values.release!, values.project);
  const body: RunBody = {
    model: values.model!,
    version: values.version!,
    release: ref,
    metrics: values.metrics ? checked(Metrics, await jsonFile('--metrics', values.metrics), '--metrics', values.metrics) : {},
  };
  if (values.params) body.params = checked(Params, await jsonFile('--params', values.params), '--params', values.params);
  if (values.code !== undefined) body.code = values.code;
  if (values.split !== undefined) body.split = values.split as RunBody['split'];
  if (values.notes !== undefined) body.notes = values.notes;
  const api = await connect(values.server!);
  const p = await resolveProject(api, project);
  const run = await api.json<RunView>(`/api/projects/${encodeURIComponent(p.id)}/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  console.log(`recorded run ${run.id}: ${run.model} ${run.version} on ${p.name}@${run.releaseNumber} (${run.releaseId})`);
}

/** The scalar metrics of a run, and per-class maps as their mean, e.g. `mAP=0.410 AP=0.410(2)`. */
function metricsCell(m: RunView['metrics']): string {
  return Object.keys(m)
    .sort()
    .map((k) => {
      const v = m[k];
      if (typeof v === 'number') return `${k}=${+v.toFixed(4)}`;
      const xs = Object.values(v);
      return `${k}=${xs.length ? +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(4) : '–'}(${xs.length} classes)`;
    })
    .join(' ');
}

export function runsTable(runs: RunView[]): string {
  const rows = [
    ['ID', 'RELEASE', 'MODEL', 'VERSION', 'SPLIT', 'RECORDED', 'METRICS'],
    ...runs.map((r) => [r.id, `@${r.releaseNumber}`, r.model, r.version, r.split ?? '', new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' '), metricsCell(r.metrics)]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

async function list(argv: string[]) {
  const { values, positionals } = parseFlags(argv, { server: { type: 'string' }, project: { type: 'string' }, release: { type: 'string' } }, usage);
  if (!values.server) throw new UsageError(`missing --server\n${usage}`);
  if (!values.project) throw new UsageError(`missing --project\n${usage}`);
  if (positionals.length) throw new UsageError(`unexpected ${positionals[0]}\n${usage}`);
  const api = await connect(values.server);
  const p = await resolveProject(api, values.project);
  const runs = await allPages(api, p.id, values.release);
  if (runs.length === 0) {
    console.log(`no runs in ${p.name}${values.release ? ` on release ${values.release}` : ''}`);
    return;
  }
  console.log(runsTable(runs));
}

async function allPages(api: ApiClient, projectId: string, release: string | undefined): Promise<RunView[]> {
  const out: RunView[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ limit: '1000', ...(release ? { release } : {}), ...(cursor ? { cursor } : {}) });
    const page: { items: RunView[]; next: string | null } = await api.json(`/api/projects/${encodeURIComponent(projectId)}/runs?${q}`);
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

export const command: Command = {
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'add') return add(rest);
    if (sub === 'list') return list(rest);
    throw new UsageError(`${sub ? `unknown subcommand "${sub}"` : 'name a subcommand'}: add or list\n${usage}`);
  },
};
