PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_doc_updates` (
	`id` integer PRIMARY KEY NOT NULL,
	`doc_name` text NOT NULL,
	`update` blob NOT NULL,
	`user_id` text,
	`created_at` integer NOT NULL,
	`compacted` integer DEFAULT false NOT NULL,
	`state_vector` blob,
	`schema_version` integer,
	`provenance` text
);
--> statement-breakpoint
INSERT INTO `__new_doc_updates`("id", "doc_name", "update", "user_id", "created_at", "compacted", "state_vector", "schema_version", "provenance") SELECT "id", "doc_name", "update", "user_id", "created_at", "compacted", "state_vector", "schema_version", "provenance" FROM `doc_updates`;--> statement-breakpoint
DROP TABLE `doc_updates`;--> statement-breakpoint
ALTER TABLE `__new_doc_updates` RENAME TO `doc_updates`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `doc_updates_doc` ON `doc_updates` (`doc_name`,`id`);