// Dataset releases, the pure part: manifest, splits, diff, notes and the manifest → dataset bridge.
export * from './manifest.ts';
export * from './splits.ts';
export * from './diff.ts';
export * from './notes.ts';
export * from './parse.ts';
export * from './dataset.ts';
