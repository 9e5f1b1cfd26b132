CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`retention_months` integer DEFAULT 13 NOT NULL,
	`audit_enabled_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`chain_seq` integer DEFAULT 0 NOT NULL,
	`chain_hash` text DEFAULT '0000000000000000000000000000000000000000000000000000000000000000' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`scopes` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	`last_used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_secret_hash` ON `api_tokens` (`secret_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_account` ON `api_tokens` (`account_id`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`seq` integer NOT NULL,
	`change_id` text NOT NULL,
	`object_type` text NOT NULL,
	`object_id` text NOT NULL,
	`object_name` text NOT NULL,
	`action` text NOT NULL,
	`element` text NOT NULL,
	`value_type` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`redacted` integer DEFAULT false NOT NULL,
	`occurred_at` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	`originator_id` text NOT NULL,
	`originator_name` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_account_seq` ON `audit_events` (`account_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_account_time` ON `audit_events` (`account_id`,`occurred_at`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_object_time` ON `audit_events` (`account_id`,`object_type`,`object_id`,`occurred_at`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_originator_time` ON `audit_events` (`account_id`,`originator_id`,`occurred_at`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_change` ON `audit_events` (`account_id`,`change_id`);--> statement-breakpoint
CREATE TABLE `change_requests` (
	`account_id` text NOT NULL,
	`change_id` text NOT NULL,
	`body_hash` text NOT NULL,
	`event_count` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `change_id`)
);
