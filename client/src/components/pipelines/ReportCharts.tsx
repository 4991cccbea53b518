// A succeeded `report` job's output (shared/eda/report.ts) as the same SVG charts as a release's
// EDA (components/EdaCharts.tsx): class distribution, shapes per image, box sizes, aspect ratios,
// shapes per annotator, and the images without shapes.
import { Show } from 'solid-js';
import { ReportSchema, type Report } from '../../../../shared/eda/report.ts';
import { BarsChart, HistogramChart } from '../EdaCharts.tsx';

export function ReportCharts(props: { result: unknown }) {
  /** Output of another version of the stage may not parse: then only the raw output is shown. */
  const report = (): Report | null => {
    const r = ReportSchema.safeParse(props.result);
    return r.success ? r.data : null;
  };
  return (
    <Show when={report()}>
      {(r) => (
        <div class="report-charts" data-testid="report-charts">
          <p class="muted small">
            {r().images} images, {r().shapes} shapes, {r().tags} tags{r().unknownLabels ? `, ${r().unknownLabels} shapes with an unknown label` : ''}; {r().imagesWithoutShapes.count} images without shapes
            {r().imagesWithoutShapes.examples.length ? ` (e.g. ${r().imagesWithoutShapes.examples.slice(0, 3).join(', ')})` : ''}
          </p>
          <div class="chart-row">
            <BarsChart title="Shapes per class" testid="report-classes" bars={r().classes.map((c) => ({ label: c.name, value: c.shapes }))} empty="No class has a shape." />
            <BarsChart title="Shapes per annotator" testid="report-annotators" bars={r().annotators.map((a) => ({ label: a.username, value: a.shapes, color: '#1f8a4c' }))} empty="No shapes yet." />
            <HistogramChart title="Shapes per image" testid="report-per-image" h={r().shapesPerImage} color="#5b2ab5" />
            <HistogramChart title="Box size (√area, px)" testid="report-box-size" h={r().boxSize} color="#2f6fed" />
            <HistogramChart title="Aspect ratio (w / h)" testid="report-aspect" h={r().aspectRatio} color="#b7791f" />
          </div>
        </div>
      )}
    </Show>
  );
}
