CREATE TABLE `destination_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`destination_id` text NOT NULL,
	`delivery_id` text NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`from_seq` integer,
	`through_seq` integer,
	`events` integer NOT NULL,
	`status` integer,
	`latency_ms` integer NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `destination_deliveries_destination` ON `destination_deliveries` (`destination_id`,`id`);--> statement-breakpoint
CREATE TABLE `destinations` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`url` text NOT NULL,
	`description` text,
	`filter` text DEFAULT '{}' NOT NULL,
	`secret_enc` text NOT NULL,
	`previous_secret_enc` text,
	`previous_secret_until` integer,
	`state` text DEFAULT 'active' NOT NULL,
	`delivered_through_seq` integer NOT NULL,
	`pending_id` text,
	`pending_through_seq` integer,
	`failures` integer DEFAULT 0 NOT NULL,
	`failing_since` integer,
	`next_attempt_at` integer,
	`lease_id` text,
	`lease_until` integer,
	`last_attempt_at` integer,
	`last_status` integer,
	`last_error` text,
	`last_delivered_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `destinations_account` ON `destinations` (`account_id`);