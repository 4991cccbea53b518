import { describe, expect, it } from 'vitest';
import { layoutPipeline, NODE } from './pipeline-layout.ts';

const cols = (l: ReturnType<typeof layoutPipeline>) => Object.fromEntries(l.nodes.map((n) => [n.stepId, [n.column, n.row]]));

describe('layoutPipeline', () => {
  it('puts each step one column after the longest chain it needs, rows in file order', () => {
    const l = layoutPipeline({
      steps: [
        { stepId: 'import', needs: [] },
        { stepId: 'check', needs: ['import'] },
        { stepId: 'eda', needs: ['check'] },
        { stepId: 'coco', needs: ['check'] },
        { stepId: 'release', needs: ['import', 'eda'] },
      ],
    });
    expect(cols(l)).toEqual({ import: [0, 0], check: [1, 0], eda: [2, 0], coco: [2, 1], release: [3, 0] });
    expect(l.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['import>check', 'check>eda', 'check>coco', 'import>release', 'eda>release']);
    expect(l.width).toBe(2 * NODE.pad + 4 * NODE.width + 3 * NODE.gapX);
    expect(l.height).toBe(2 * NODE.pad + 2 * NODE.height + NODE.gapY);
  });

  it('draws an edge from the parent’s right side to the child’s left side', () => {
    const l = layoutPipeline({ steps: [{ stepId: 'a', needs: [] }, { stepId: 'b', needs: ['a'] }] });
    const [a, b] = l.nodes;
    expect(l.edges[0].d).toMatch(new RegExp(`^M${a.x + NODE.width},${a.y + NODE.height / 2} C.* ${b.x},${b.y + NODE.height / 2}$`));
  });

  it('ignores unknown needs and survives a cycle and an empty pipeline', () => {
    expect(cols(layoutPipeline({ steps: [{ stepId: 'a', needs: ['ghost'] }] }))).toEqual({ a: [0, 0] });
    const cyc = layoutPipeline({ steps: [{ stepId: 'a', needs: ['b'] }, { stepId: 'b', needs: ['a'] }] });
    expect(cyc.nodes).toHaveLength(2);
    expect(layoutPipeline({ steps: [] })).toEqual({ nodes: [], edges: [], width: 0, height: 0 });
  });
});
