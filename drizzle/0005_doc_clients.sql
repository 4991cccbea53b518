CREATE TABLE `doc_clients` (
	`doc_name` text NOT NULL,
	`client_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`doc_name`, `client_id`)
);
