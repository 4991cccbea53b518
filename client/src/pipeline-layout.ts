// A layered layout for a pipeline run's DAG (small graphs: a handful to a few dozen steps): each
// step's column is the length of the longest chain of steps it needs, rows keep the pipeline
// file's order within a column, edges are cubic curves from a parent's right side to a child's left.
export interface LayoutInput {
  steps: readonly { stepId: string; needs: readonly string[] }[];
}

export interface LaidOutNode {
  stepId: string;
  column: number;
  row: number;
  x: number;
  y: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  /** SVG path data. */
  d: string;
}

export interface Layout {
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  width: number;
  height: number;
}

export const NODE = { width: 168, height: 52, gapX: 56, gapY: 18, pad: 8 } as const;

/** Needs that name no step are ignored; the server has refused cycles, but one would not loop here. */
export function layoutPipeline(g: LayoutInput): Layout {
  const byId = new Map(g.steps.map((s) => [s.stepId, s]));
  const column = new Map<string, number>();
  const visiting = new Set<string>();
  const columnOf = (id: string): number => {
    const known = column.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const parents = byId.get(id)!.needs.filter((n) => byId.has(n));
    const c = parents.length ? Math.max(...parents.map(columnOf)) + 1 : 0;
    visiting.delete(id);
    column.set(id, c);
    return c;
  };
  const rows = new Map<number, number>();
  const nodes: LaidOutNode[] = g.steps.map((s) => {
    const c = columnOf(s.stepId);
    const row = rows.get(c) ?? 0;
    rows.set(c, row + 1);
    return { stepId: s.stepId, column: c, row, x: NODE.pad + c * (NODE.width + NODE.gapX), y: NODE.pad + row * (NODE.height + NODE.gapY) };
  });
  const at = new Map(nodes.map((n) => [n.stepId, n]));
  const edges: LaidOutEdge[] = g.steps.flatMap((s) =>
    s.needs.filter((n) => at.has(n)).map((n) => {
      const a = at.get(n)!;
      const b = at.get(s.stepId)!;
      const x1 = a.x + NODE.width;
      const y1 = a.y + NODE.height / 2;
      const x2 = b.x;
      const y2 = b.y + NODE.height / 2;
      const mid = (x1 + x2) / 2;
      return { from: n, to: s.stepId, d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` };
    }),
  );
  const columns = nodes.length ? Math.max(...nodes.map((n) => n.column)) + 1 : 0;
  const maxRows = Math.max(0, ...rows.values());
  return {
    nodes,
    edges,
    width: columns ? 2 * NODE.pad + columns * NODE.width + (columns - 1) * NODE.gapX : 0,
    height: maxRows ? 2 * NODE.pad + maxRows * NODE.height + (maxRows - 1) * NODE.gapY : 0,
  };
}
