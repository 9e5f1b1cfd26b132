-- Search and facets (issue 12), written by hand: drizzle-kit cannot generate virtual tables
-- or triggers. Keep statement breakpoints: wrangler and the test runner split on them.
--
-- Case-insensitive element filter: the same keyset order as audit_events_account_time,
-- compared with COLLATE NOCASE (ASCII folding, as SQLite's lower()).
CREATE INDEX `audit_events_element_time` ON `audit_events` (`account_id`, `element` COLLATE NOCASE, `occurred_at`, `seq`);
--> statement-breakpoint
-- q= of 3+ characters: a trigram index over the searched columns, its content read from
-- audit_events by rowid (external content), without positions (detail=none: a term is
-- looked up as the AND of its trigrams, then every candidate row is checked with the exact
-- instr() condition, so results are those of the scan). `wrangler d1 export` refuses
-- databases with virtual tables: see docs/OPERATIONS.md (backup, restore, rebuild).
CREATE VIRTUAL TABLE `events_fts` USING fts5(
	`object_name`, `element`, `old_value`, `new_value`, `originator_name`,
	content='audit_events', content_rowid='rowid',
	tokenize='trigram case_sensitive 0', detail=none, columnsize=0
);
--> statement-breakpoint
INSERT INTO `events_fts`(`events_fts`) VALUES('rebuild');
--> statement-breakpoint
CREATE TRIGGER `audit_events_fts_insert` AFTER INSERT ON `audit_events` BEGIN
	INSERT INTO `events_fts`(rowid, `object_name`, `element`, `old_value`, `new_value`, `originator_name`)
	VALUES (new.rowid, new.`object_name`, new.`element`, new.`old_value`, new.`new_value`, new.`originator_name`);
END;
--> statement-breakpoint
-- Events are append-only; the retention purge deletes them.
CREATE TRIGGER `audit_events_fts_delete` AFTER DELETE ON `audit_events` BEGIN
	INSERT INTO `events_fts`(`events_fts`, rowid, `object_name`, `element`, `old_value`, `new_value`, `originator_name`)
	VALUES ('delete', old.rowid, old.`object_name`, old.`element`, old.`old_value`, old.`new_value`, old.`originator_name`);
END;
--> statement-breakpoint
-- Nothing updates events; should anything (a repair by hand), the index follows.
CREATE TRIGGER `audit_events_fts_update` AFTER UPDATE ON `audit_events` BEGIN
	INSERT INTO `events_fts`(`events_fts`, rowid, `object_name`, `element`, `old_value`, `new_value`, `originator_name`)
	VALUES ('delete', old.rowid, old.`object_name`, old.`element`, old.`old_value`, old.`new_value`, old.`originator_name`);
	INSERT INTO `events_fts`(rowid, `object_name`, `element`, `old_value`, `new_value`, `originator_name`)
	VALUES (new.rowid, new.`object_name`, new.`element`, new.`old_value`, new.`new_value`, new.`originator_name`);
END;
