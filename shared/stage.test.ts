// StageError across copies of this module: the bundled server and a user stage loaded from
// source each hold one, so `instanceof StageError` and isStageError look at the error's shape.
import { expect, it } from 'vitest';
import { isStageError, StageError } from './stage.ts';

/** A StageError made by another copy of shared/stage.ts. */
class OtherCopy extends Error {
  readonly code = 'test';
  readonly retryable = false;
  override name = 'StageError';
}

it("recognises any copy's StageError by its shape, and nothing else", () => {
  const mine = new StageError('x', { code: 'c', retryable: false });
  expect(isStageError(mine)).toBe(true);
  expect(mine instanceof StageError).toBe(true);
  expect(isStageError(new OtherCopy('y'))).toBe(true);
  expect(new OtherCopy('y') instanceof StageError).toBe(true);
  expect(isStageError(new Error('plain'))).toBe(false);
  expect(new Error('plain') instanceof StageError).toBe(false);
  expect(isStageError({ name: 'StageError', code: 'c', retryable: true, message: 'not an Error' })).toBe(false);
  expect(isStageError(Object.assign(new Error('no retryable'), { name: 'StageError', code: 'c' }))).toBe(false);
});

it('keeps instanceof of a subclass ordinary', () => {
  class Timeout extends StageError {}
  expect(new Timeout('t') instanceof Timeout).toBe(true);
  expect(new Timeout('t') instanceof StageError).toBe(true);
  expect(new StageError('s') instanceof Timeout).toBe(false);
});
