CREATE TABLE `job_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`at` integer NOT NULL,
	`stream` text NOT NULL,
	`line` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `job_logs_job` ON `job_logs` (`job_id`,`id`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`stage` text NOT NULL,
	`project_id` text,
	`run_id` text,
	`step_id` text,
	`params` text,
	`input` text,
	`state` text NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`run_after` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`backoff_ms` integer NOT NULL,
	`backoff_max_ms` integer NOT NULL,
	`lease_token` text,
	`lease_expires_at` integer,
	`worker_id` text,
	`cancel_requested` integer DEFAULT false NOT NULL,
	`progress` real DEFAULT 0 NOT NULL,
	`progress_message` text DEFAULT '' NOT NULL,
	`result` text,
	`errors` text DEFAULT '[]' NOT NULL,
	`idempotency_key` text,
	`stage_version` text,
	`stage_source_sha` text,
	`cache_key` text,
	`cached_from` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `jobs_ready` ON `jobs` ("priority" desc,`run_after`) WHERE "jobs"."state" = 'queued';--> statement-breakpoint
CREATE INDEX `jobs_lease` ON `jobs` (`lease_expires_at`) WHERE "jobs"."state" = 'running';--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_idempotency` ON `jobs` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `jobs_cache` ON `jobs` (`cache_key`) WHERE "jobs"."state" = 'succeeded';--> statement-breakpoint
CREATE INDEX `jobs_project` ON `jobs` (`project_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_run` ON `jobs` (`run_id`);--> statement-breakpoint
CREATE TABLE `pipeline_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`spec` text NOT NULL,
	`status` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pipeline_runs_project` ON `pipeline_runs` (`project_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `pipeline_steps` (
	`run_id` text NOT NULL,
	`step_id` text NOT NULL,
	`position` integer NOT NULL,
	`uses` text NOT NULL,
	`needs` text NOT NULL,
	`status` text NOT NULL,
	`job_id` text,
	PRIMARY KEY(`run_id`, `step_id`),
	FOREIGN KEY (`run_id`) REFERENCES `pipeline_runs`(`id`) ON UPDATE no action ON DELETE no action
);
