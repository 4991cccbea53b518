CREATE TABLE `release_gates` (
	`project_id` text PRIMARY KEY NOT NULL,
	`validate` text,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	`last_report` text,
	`last_report_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
