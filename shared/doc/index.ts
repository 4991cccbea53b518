// The document schema's public surface: import from here, never from Yjs maps directly.
export * from './schema.ts';
export * from './restore.ts';
export * from './annotations.ts';
export * from './comments.ts';
export * from './migrations.ts';
export * from './authorship.ts';
