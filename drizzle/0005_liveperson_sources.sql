CREATE TABLE `liveperson_sources` (
	`account_id` text PRIMARY KEY NOT NULL,
	`credentials` text NOT NULL,
	`state` text NOT NULL,
	`generation` integer NOT NULL,
	`backfill_from` text NOT NULL,
	`backfill_to` text NOT NULL,
	`next_day` text,
	`days_done` integer DEFAULT 0 NOT NULL,
	`imported_events` integer DEFAULT 0 NOT NULL,
	`skipped` text DEFAULT '{}' NOT NULL,
	`last_sync_at` integer,
	`last_error` text,
	`sync_queued_at` integer,
	`connected_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `liveperson_sources_state` ON `liveperson_sources` (`state`);