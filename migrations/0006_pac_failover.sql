CREATE TABLE `hexafac_cancelaciones_recibidas` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`uuid` text NOT NULL,
	`rfc_emisor` text NOT NULL,
	`rfc_receptor` text NOT NULL,
	`total` text,
	`solicitada_at` text NOT NULL,
	`vence_at` text NOT NULL,
	`estado` text NOT NULL,
	`pac` text,
	`respondida_at` text,
	`acuse_key` text,
	`errores` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_cancelaciones_recibidas_uuid_uq` ON `hexafac_cancelaciones_recibidas` (`client_application_id`,`mode`,`uuid`);--> statement-breakpoint
CREATE INDEX `hexafac_cancelaciones_recibidas_list_idx` ON `hexafac_cancelaciones_recibidas` (`client_application_id`,`mode`,`estado`,`id`);--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `pacs` text;--> statement-breakpoint
ALTER TABLE `hexafac_facturas` ADD `pac` text;--> statement-breakpoint
ALTER TABLE `hexafac_facturas` ADD `pac_incierto` text;--> statement-breakpoint
ALTER TABLE `hexafac_facturas` ADD `simulacion` text;--> statement-breakpoint
ALTER TABLE `hexafac_facturas` ADD `sustituye_a` text;