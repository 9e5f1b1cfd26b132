CREATE TABLE `token_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`token_id` text NOT NULL,
	`token_name` text NOT NULL,
	`scopes` text NOT NULL,
	`expires_at` integer,
	`actor_kind` text NOT NULL,
	`actor_token_id` text,
	`actor_name` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `token_events_account` ON `token_events` (`account_id`,`id`);