CREATE TABLE `hexafac_admin_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`admin_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`admin_id`) REFERENCES `hexafac_admin_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hexafac_admin_sessions_admin_idx` ON `hexafac_admin_sessions` (`admin_id`);--> statement-breakpoint
ALTER TABLE `hexafac_facturas` ADD `xml_timbrado` text;