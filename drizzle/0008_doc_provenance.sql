ALTER TABLE `approved_revisions` ADD `provenance` text;--> statement-breakpoint
ALTER TABLE `doc_updates` ADD `provenance` text;