// Pipeline validation names the path of every problem before anything runs.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findCycle, parsePipelineText, validatePipeline } from './pipeline.ts';
import { loadYaml } from './parser-libs.ts';

const yamlLib = await loadYaml();

const stages: Record<string, { params: z.ZodType }> = {
  import: { params: z.object({ source: z.string() }).strict() },
  split: { params: z.object({ ratio: z.number().default(0.8) }).strict() },
  report: { params: z.object({}).strict() },
};
const lookup = (n: string) => stages[n];
const check = (text: string) => {
  const p = parsePipelineText(text, yamlLib);
  if (!p.ok) return p;
  return validatePipeline(p.value, lookup);
};

describe('pipelines', () => {
  it('accepts a valid YAML DAG and fills parameter defaults', () => {
    const r = check(`
name: prepare
stages:
  - id: incoming
    uses: import
    with: { source: ./in.zip }
  - id: cut
    uses: split
    needs: [incoming]
  - { id: eda, uses: report, needs: [incoming, cut] }
`);
    expect(r).toEqual({
      ok: true,
      value: {
        name: 'prepare',
        stages: [
          { id: 'incoming', uses: 'import', with: { source: './in.zip' }, needs: [] },
          { id: 'cut', uses: 'split', with: { ratio: 0.8 }, needs: ['incoming'] },
          { id: 'eda', uses: 'report', with: {}, needs: ['incoming', 'cut'] },
        ],
      },
    });
  });

  it('accepts JSON too', () => {
    expect(check('{"name":"j","stages":[{"id":"a","uses":"report"}]}').ok).toBe(true);
  });

  it('names the path of a bad parameter', () => {
    const r = check(`
name: p
stages:
  - { id: a, uses: import, with: { source: x } }
  - { id: b, uses: report, needs: [a] }
  - { id: c, uses: split, needs: [b], with: { ratio: "most" } }
`);
    expect(r).toEqual({ ok: false, error: ['stages[2].with.ratio: expected number'] });
  });

  it('reports an unknown stage, unknown needs, duplicate ids, unknown keys and a cycle, each with its path', () => {
    const r = check(`
name: p
stages:
  - { id: a, uses: nope }
  - { id: b, uses: report, needs: [ghost] }
  - { id: b, uses: report }
  - { id: c, uses: report, with: { extra: 1 } }
  - { id: d, uses: report, need: [a] }
`);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toEqual([
      'stages[4]: unknown key need',
    ]);
    const r2 = check(`
name: p
stages:
  - { id: a, uses: nope }
  - { id: b, uses: report, needs: [ghost] }
  - { id: b, uses: report }
  - { id: c, uses: report, with: { extra: 1 } }
`);
    expect(!r2.ok && r2.error).toEqual([
      'stages[2].id: "b" is already the id of stages[1]',
      'stages[0].uses: no stage named "nope"',
      'stages[1].needs[0]: no step has the id "ghost"',
      'stages[3].with: unknown key extra',
    ]);
    const r3 = check(`
name: p
stages:
  - { id: a, uses: report, needs: [c] }
  - { id: b, uses: report, needs: [a] }
  - { id: c, uses: report, needs: [b] }
  - { id: d, uses: report }
`);
    expect(!r3.ok && r3.error).toEqual(['stages: the needs form a cycle: a → b → c → a']);
  });

  it('reports a missing name, no stages and YAML syntax errors with their line', () => {
    expect(check('stages: []')).toEqual({ ok: false, error: ['name: expected string', 'stages: Too small: expected array to have >=1 items'] });
    const bad = check('name: p\nstages:\n  - id: a\n   uses: x\n');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error[0]).toMatch(/^line 4, column \d+: /);
  });

  it('finds cycles', () => {
    expect(findCycle([{ id: 'a', needs: ['a'] }])).toEqual(['a', 'a']);
    expect(findCycle([{ id: 'a', needs: [] }, { id: 'b', needs: ['a'] }])).toBeNull();
  });
});
