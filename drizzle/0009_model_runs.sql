CREATE TABLE `model_run_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`text` text NOT NULL,
	`by` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `model_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `model_run_notes_run` ON `model_run_notes` (`run_id`,`id`);--> statement-breakpoint
CREATE TABLE `model_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`release_id` text NOT NULL,
	`model` text NOT NULL,
	`version` text NOT NULL,
	`metrics` text NOT NULL,
	`params` text NOT NULL,
	`code` text,
	`split` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`release_id`) REFERENCES `releases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `model_runs_project` ON `model_runs` (`project_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `model_runs_release` ON `model_runs` (`release_id`);--> statement-breakpoint
CREATE TRIGGER `model_runs_immutable_update` BEFORE UPDATE ON `model_runs` BEGIN SELECT RAISE(ABORT, 'model runs are immutable'); END;--> statement-breakpoint
CREATE TRIGGER `model_runs_immutable_delete` BEFORE DELETE ON `model_runs` BEGIN SELECT RAISE(ABORT, 'model runs are immutable'); END;--> statement-breakpoint
CREATE TRIGGER `model_run_notes_immutable_update` BEFORE UPDATE ON `model_run_notes` BEGIN SELECT RAISE(ABORT, 'run notes are append-only'); END;--> statement-breakpoint
CREATE TRIGGER `model_run_notes_immutable_delete` BEFORE DELETE ON `model_run_notes` BEGIN SELECT RAISE(ABORT, 'run notes are append-only'); END;
