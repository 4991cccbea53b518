// Shape provenance (`GET /api/projects/:id/images/:imageId/provenance`): for every shape of an
// image's current annotations, who created it and who last changed it, as the server recorded the
// senders of the updates (shared/doc/provenance.ts), with the people's names.
import type { ImageId, UserId } from '../ids.ts';

/** A person as provenance names them; null where the server itself wrote (imports, stages) or nothing is known. */
export interface PersonRef {
  id: UserId;
  username: string;
}

export interface ShapeProvenanceItem {
  shapeId: string;
  createdBy: PersonRef | null;
  changedBy: PersonRef | null;
}

export interface ImageProvenance {
  imageId: ImageId;
  /** One item per shape present now, by shape id. */
  items: ShapeProvenanceItem[];
}
