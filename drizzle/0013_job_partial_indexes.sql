DROP INDEX `jobs_idempotency`;--> statement-breakpoint
DROP INDEX `jobs_cache`;--> statement-breakpoint
DROP INDEX `jobs_run`;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_idempotency` ON `jobs` (`idempotency_key`) WHERE "jobs"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX `jobs_cache` ON `jobs` (`cache_key`) WHERE "jobs"."state" = 'succeeded' and "jobs"."cache_key" is not null;--> statement-breakpoint
CREATE INDEX `jobs_run` ON `jobs` (`run_id`) WHERE "jobs"."run_id" is not null;