CREATE INDEX `images_sha` ON `images` (`sha256`);--> statement-breakpoint
CREATE INDEX `images_thumb_sha` ON `images` (`thumb_sha256`);