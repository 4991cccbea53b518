// `tessera runs add|list` as a child process against a real server on port 0: a run recorded from
// metrics and params files (project named in --release, or --project=ID), the table, and bad input
// (a metrics file that is not JSON, non-number metrics, a missing file, an unknown release) exiting
// non-zero with the file or field named and nothing recorded.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutRelease } from '../../server/services/releases.ts';
import { tempDir } from '../../server/testing/fixtures.ts';
import { releaseServer, type ReleaseServer } from '../../server/testing/release-server.ts';

const CLI = fileURLToPath(new URL('../tessera.js', import.meta.url));
const dir = tempDir('tessera-runs-');
let rs: ReleaseServer;
interface Run { code: number; stdout: string; stderr: string }
const tessera = (...args: string[]) =>
  new Promise<Run>((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, TESSERA_TOKEN: rs.token, TESSERA_USER: '', TESSERA_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
const file = (name: string, text: string) => {
  const p = join(dir.dir, name);
  writeFileSync(p, text);
  return p;
};
const runCount = () => rs.server.db.$client.prepare('select count(*) from model_runs').pluck().get() as number;

beforeAll(async () => {
  rs = await releaseServer(join(dir.dir, 'srv'), { count: 2, project: 'cars' });
  await cutRelease(rs.server.releases, rs.adminId, rs.projectId);
}, 60_000);
afterAll(async () => {
  await rs.close();
  dir.cleanup();
});

describe('tessera runs', () => {
  it('adds runs from metrics and params files and lists them as a table', async () => {
    const metrics = file('metrics.json', JSON.stringify({ mAP: 0.4123, AP: { car: 0.5, person: 0.3 } }));
    const params = file('params.json', JSON.stringify({ epochs: 20, lr: 0.001 }));
    const a = await tessera('runs', 'add', '--server', rs.server.url, '--release', 'cars@1', '--model', 'yolo-n', '--version', '1.0', '--metrics', metrics, '--params', params, '--code', 'abcdef1', '--split', 'test');
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^recorded run \S+: yolo-n 1\.0 on cars@1 \([0-9a-f]{64}\)/);
    const b = await tessera('runs', 'add', '--server', rs.server.url, `--project=${rs.projectId}`, '--release', 'latest', '--model', 'yolo-s', '--version', '2.0');
    expect(b.code).toBe(0);
    const stored = rs.server.db.$client.prepare("select params, code, split from model_runs where model = 'yolo-n'").get() as { params: string; code: string; split: string };
    expect({ ...stored, params: JSON.parse(stored.params) }).toEqual({ params: { epochs: 20, lr: 0.001 }, code: 'abcdef1', split: 'test' });

    const list = await tessera('runs', 'list', '--server', rs.server.url, '--project', 'cars');
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+RELEASE\s+MODEL\s+VERSION\s+SPLIT\s+RECORDED\s+METRICS$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(1, 4))).toEqual([
      ['@1', 'yolo-s', '2.0'],
      ['@1', 'yolo-n', '1.0'],
    ]);
    expect(lines[2]).toMatch(/test\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+AP=0\.4\(2 classes\) mAP=0\.4123$/);
  }, 120_000);

  it('exits non-zero naming the file or field, and records nothing', async () => {
    const before = runCount();
    const base = ['runs', 'add', '--server', rs.server.url, '--release', 'cars@1', '--model', 'm', '--version', '1'];
    const notJson = file('broken.json', '{"mAP": 0.4,');
    const words = file('words.json', JSON.stringify({ mAP: 'high' }));
    const perClass = file('per-class.json', JSON.stringify({ AP: { car: 'x' } }));
    const cases: Array<[string[], RegExp]> = [
      [['--metrics', notJson], /--metrics .*broken\.json: not JSON/],
      [['--metrics', words], /--metrics .*words\.json: field "mAP": must be a number/],
      [['--metrics', perClass], /--metrics .*per-class\.json: field "AP"/],
      [['--metrics', join(dir.dir, 'missing.json')], /--metrics .*missing\.json: cannot read it \(ENOENT\)/],
      [['--params', notJson], /--params .*broken\.json: not JSON/],
    ];
    for (const [extra, message] of cases) {
      const r = await tessera(...base, ...extra);
      expect(r.code, extra.join(' ')).not.toBe(0);
      expect(r.stderr, extra.join(' ')).toMatch(message);
    }
    const unknown = await tessera('runs', 'add', '--server', rs.server.url, '--release', 'cars@7', '--model', 'm', '--version', '1');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/"release": no release 7 in this project \(400\)/);
    const noProject = await tessera('runs', 'add', '--server', rs.server.url, '--release', '1', '--model', 'm', '--version', '1');
    expect(noProject.code).not.toBe(0);
    expect(noProject.stderr).toMatch(/name the project/);
    expect(runCount()).toBe(before);
  }, 180_000);
});
