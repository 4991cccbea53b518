// The repositories the services use, as one bundle, and the transaction boundary around them.
// Every adapter (SQLite today, PostgreSQL later) implements DataStore and passes
// repositoriesContract (repositories.contract.ts).
import type { TokenRepo, UserRepo } from './accounts.ts';
import type { AuditRepo } from './audit.ts';
import type { BlobMetaRepo, ImageRepo } from './images.ts';
import type { ClassRepo, MemberRepo, ProjectRepo } from './projects.ts';
import type { ReviewRepo } from './review.ts';

export interface Repositories {
  users: UserRepo;
  tokens: TokenRepo;
  projects: ProjectRepo;
  members: MemberRepo;
  classes: ClassRepo;
  images: ImageRepo;
  blobs: BlobMetaRepo;
  audit: AuditRepo;
  review: ReviewRepo;
}

export interface DataStore extends Repositories {
  /**
   * Runs `fn` as one transaction over the repositories it is given: all of its writes become
   * visible together when its promise resolves, none if it rejects. Transactions are serialised
   * against each other and against writes outside them, so a read-then-write inside one sees no
   * interleaved change (SQLite: BEGIN IMMEDIATE; PostgreSQL: SERIALIZABLE or row locks). A
   * transaction started inside another joins it. Keep I/O other than these repositories (files,
   * image decoding, hashing) out of `fn`: the store may hold its only writer while `fn` runs.
   */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Resolves when the store answers (GET /health). */
  ping(): Promise<void>;
}
