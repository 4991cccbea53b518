// The built-in `release-report` stage: the EDA report of one release of the job's project (class
// distribution, shapes per image, box sizes and aspect ratios, shapes per annotator, per split),
// computed from the release's manifest and stored with it (server/services/release-report.ts). A
// release is immutable, so a report once stored is returned as it is. The release stage runs the
// same computation right after every cut; this stage is for releases cut before, and for pipelines.
import { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import type { ProjectId } from '../../../shared/ids.ts';
import { defineStage, StageError, type Stage } from '../../../shared/stage.ts';
import { computeReport, RELEASE_REPORT_STAGE } from '../../services/release-report.ts';
import type { ReleaseDeps } from '../../services/releases.ts';

export const ReleaseReportParams = z.strictObject({ release: z.string().min(1).max(80).default('latest') });

const Outcome = z.object({ number: z.number(), release: z.string(), created: z.boolean(), images: z.number(), shapes: z.number() });

export function releaseReportStage(deps: ReleaseDeps): Stage {
  return defineStage({
    name: RELEASE_REPORT_STAGE,
    version: 1,
    description: 'EDA report of a release (classes, box sizes, shapes per annotator, per split), stored with it',
    params: ReleaseReportParams,
    output: Outcome,
    cache: false,
    runsIn: 'server',
    maxAttempts: 2,
    async work(_input, ctx) {
      const projectId = ctx.job.projectId;
      if (!projectId) throw new StageError('a release-report job needs its project', { retryable: false });
      try {
        ctx.progress(0, `reading release ${ctx.params.release}`);
        const r = await computeReport(deps, projectId as ProjectId, ctx.params.release, { signal: ctx.signal });
        ctx.log.info(`${r.created ? 'computed' : 'already had'} the report of @${r.number}: ${r.report.all.images} images, ${r.report.all.shapes} shapes`);
        return { number: r.number, release: r.report.release, created: r.created, images: r.report.all.images, shapes: r.report.all.shapes };
      } catch (e) {
        if (e instanceof AppError && e.code !== 'internal') throw new StageError(e.message, { code: e.code, retryable: false });
        throw e;
      }
    },
  });
}

/** The module's URL, for the job's source hash. */
export const RELEASE_REPORT_STAGE_URL = import.meta.url;
