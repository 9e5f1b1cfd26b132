CREATE TABLE `access_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`at` integer NOT NULL,
	`token_id` text NOT NULL,
	`token_name` text NOT NULL,
	`kind` text NOT NULL,
	`query` text NOT NULL,
	`rows` integer
);
--> statement-breakpoint
CREATE INDEX `access_log_account` ON `access_log` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `checkpoints` (
	`account_id` text NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL,
	`signed_at` integer NOT NULL,
	`key_id` text NOT NULL,
	`signature` text NOT NULL,
	PRIMARY KEY(`account_id`, `seq`)
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `purged_through_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `purged_through_hash` text DEFAULT '0000000000000000000000000000000000000000000000000000000000000000' NOT NULL;