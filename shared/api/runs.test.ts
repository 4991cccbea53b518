// The run request schema: metrics are numbers or per-class maps of numbers; anything else is
// refused with the path of the offending field.
import { describe, expect, it } from 'vitest';
import { metricNumber, RunBody } from './runs.ts';

const base = { model: 'yolo', version: '1', release: 2, metrics: { mAP: 0.5, ap: { car: 0.6, person: 0.4 } } };
const pathOf = (v: unknown) => {
  const r = RunBody.safeParse(v);
  return r.success ? null : r.error.issues[0].path.join('.');
};

describe('RunBody', () => {
  it('accepts numbers and per-class maps, and a release by number, alias or id', () => {
    expect(RunBody.parse(base)).toEqual(base);
    expect(RunBody.parse({ ...base, release: 'latest', code: 'abc1234', split: 'test', params: { lr: 0.01 } }).release).toBe('latest');
    expect(RunBody.parse({ ...base, release: 'a'.repeat(64) }).release).toHaveLength(64);
  });

  it('names the field that is not a number', () => {
    expect(pathOf({ ...base, metrics: { mAP: '0.5' } })).toBe('metrics.mAP');
    expect(pathOf({ ...base, metrics: { ap: { car: 'high' } } })).toMatch(/^metrics\.ap/);
    expect(pathOf({ ...base, metrics: { ap: { car: { deeper: 1 } } } })).toMatch(/^metrics\.ap/);
    expect(pathOf({ ...base, metrics: { mAP: null } })).toBe('metrics.mAP');
    expect(pathOf({ ...base, metrics: [1, 2] })).toBe('metrics');
    expect(pathOf({ ...base, release: 0 })).toBe('release');
    expect(pathOf({ ...base, code: 'not a sha' })).toBe('code');
    expect(pathOf({ ...base, surprise: 1 })).toBe('');
    expect(pathOf({ ...base, model: undefined })).toBe('model');
  });

  it('JSON has no NaN or Infinity, and the schema refuses them from code too', () => {
    expect(pathOf({ ...base, metrics: { mAP: Number.NaN } })).toBe('metrics.mAP');
    expect(pathOf({ ...base, metrics: { mAP: Number.POSITIVE_INFINITY } })).toBe('metrics.mAP');
  });
});

describe('metricNumber', () => {
  it('is the number, or the mean of a per-class map', () => {
    expect(metricNumber(base.metrics, 'mAP')).toBe(0.5);
    expect(metricNumber(base.metrics, 'ap')).toBeCloseTo(0.5);
    expect(metricNumber(base.metrics, 'missing')).toBeNull();
  });
});
