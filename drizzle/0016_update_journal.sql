CREATE TABLE `update_journal` (
	`id` integer PRIMARY KEY NOT NULL,
	`flushed_seq` integer NOT NULL
);
