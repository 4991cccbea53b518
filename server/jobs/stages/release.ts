// The built-in `release` stage: cuts a release of the job's project from its approved revisions
// (server/services/releases.ts), as the user who started the job, then stores its EDA report
// (server/services/release-report.ts; a report that fails is logged, the release stands). Runs in the server process;
// never cached (the approved state moves under the same parameters). Bad requests (no approved
// image, a bad split) fail the job at once instead of being retried.
import { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import type { ProjectId, UserId } from '../../../shared/ids.ts';
import { defineStage, StageError, type Stage } from '../../../shared/stage.ts';
import { CutBody, type CutOutcome } from '../../../shared/api/releases.ts';
import { cutRelease, RELEASE_STAGE_NAME, type ReleaseDeps } from '../../services/releases.ts';
import { computeReport } from '../../services/release-report.ts';


const Outcome = z.object({ number: z.number(), id: z.string(), created: z.boolean(), included: z.number(), unreviewedEdits: z.number(), noRevision: z.number() });

export function releaseStage(deps: ReleaseDeps): Stage {
  return defineStage({
    name: RELEASE_STAGE_NAME,
    version: 1,
    description: 'Cuts a release from the approved revisions of the project',
    params: CutBody,
    output: Outcome,
    cache: false,
    runsIn: 'server',
    maxAttempts: 2,
    concurrency: 1,
    async work(_input, ctx): Promise<CutOutcome> {
      const { projectId, userId } = ctx.job;
      if (!projectId || !userId) throw new StageError('a release job needs its project and the user who started it', { retryable: false });
      try {
        const r = await cutRelease(deps, userId as UserId, projectId as ProjectId, { ...ctx.params, progress: ctx.progress, signal: ctx.signal });
        ctx.log.info(r.created ? `cut @${r.release.number} (${r.release.id})` : `the approved state is release @${r.release.number} already: no new number`);
        try {
          ctx.progress(0.95, `EDA report of @${r.release.number}`);
          await computeReport(deps, projectId as ProjectId, r.release.id, { signal: ctx.signal });
        } catch (e) {
          ctx.log.warn(`the EDA report of @${r.release.number} failed (run the release-report stage on it): ${e instanceof Error ? e.message : String(e)}`);
        }
        return { number: r.release.number, id: r.release.id, created: r.created, ...r.report };
      } catch (e) {
        if (e instanceof AppError && e.code !== 'internal' && e.code !== 'conflict') throw new StageError(e.message, { code: e.code, retryable: false });
        throw e;
      }
    },
  });
}

/** The module's URL, for the job's source hash. */
export const RELEASE_STAGE_URL = import.meta.url;
