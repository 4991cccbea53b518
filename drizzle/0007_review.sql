CREATE TABLE `approved_revisions` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`image_id` text NOT NULL,
	`project_id` text NOT NULL,
	`sha256` text NOT NULL,
	`update` blob NOT NULL,
	`state_vector` blob NOT NULL,
	`approved_by` text NOT NULL,
	`approved_at` integer NOT NULL,
	FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `approved_revisions_image_sha` ON `approved_revisions` (`image_id`,`sha256`);--> statement-breakpoint
CREATE INDEX `approved_revisions_project` ON `approved_revisions` (`project_id`,`image_id`,`seq`);--> statement-breakpoint
CREATE TABLE `review_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`image_id` text NOT NULL,
	`project_id` text NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`actor_id` text NOT NULL,
	`at` integer NOT NULL,
	`reason` text,
	`shape_id` text,
	FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_events_image` ON `review_events` (`image_id`,`id`);--> statement-breakpoint
CREATE INDEX `review_events_project` ON `review_events` (`project_id`,`id`);--> statement-breakpoint
CREATE TRIGGER `approved_revisions_immutable_update` BEFORE UPDATE ON `approved_revisions` BEGIN SELECT RAISE(ABORT, 'approved revisions are immutable'); END;--> statement-breakpoint
CREATE TRIGGER `approved_revisions_immutable_delete` BEFORE DELETE ON `approved_revisions` BEGIN SELECT RAISE(ABORT, 'approved revisions are immutable'); END;
