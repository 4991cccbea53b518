// Test stage: always fails with an error that retrying cannot fix.
import { z } from 'zod';
import { defineStage, StageError } from '../../../shared/stage.ts';

export default defineStage({
  name: 'fail',
  version: 1,
  output: z.null(),
  work() {
    throw new StageError('fail: this stage always fails', { code: 'test', retryable: false });
  },
});
