ALTER TABLE `doc_updates` ADD `state_vector` blob;--> statement-breakpoint
ALTER TABLE `doc_updates` ADD `schema_version` integer;