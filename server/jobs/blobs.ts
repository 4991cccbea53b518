// ctx.blobs over the blob store port.
import type { StageBlobs } from '../../shared/stage.ts';
import type { BlobStore } from '../ports/blob-store.ts';

export function stageBlobs(store: BlobStore): StageBlobs {
  return {
    async put(bytes) {
      return (await store.put(bytes)).sha256;
    },
    async get(sha256) {
      const stream = await store.get(sha256);
      if (!stream) return null;
      return new Uint8Array(await new Response(stream).arrayBuffer());
    },
  };
}
