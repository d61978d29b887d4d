CREATE TABLE `hexafac_exportaciones` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`formato` text NOT NULL,
	`filtros` text NOT NULL,
	`status` text NOT NULL,
	`progreso` text,
	`archivo_key` text,
	`comprobantes` integer,
	`bytes` integer,
	`error` text,
	`completada_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hexafac_exportaciones_list_idx` ON `hexafac_exportaciones` (`client_application_id`,`mode`,`id`);--> statement-breakpoint
CREATE TABLE `hexafac_lotes` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`total` integer NOT NULL,
	`aceptados` integer NOT NULL,
	`rechazados` integer NOT NULL,
	`resultados_key` text,
	`completado_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hexafac_lotes_list_idx` ON `hexafac_lotes` (`client_application_id`,`mode`,`id`);--> statement-breakpoint
CREATE TABLE `hexafac_platform_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`platform_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`last_used_at` text,
	`expires_at` text,
	`revoked_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`platform_id`) REFERENCES `hexafac_platforms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_platform_keys_token_hash_uq` ON `hexafac_platform_keys` (`token_hash`);--> statement-breakpoint
CREATE INDEX `hexafac_platform_keys_platform_idx` ON `hexafac_platform_keys` (`platform_id`);--> statement-breakpoint
CREATE TABLE `hexafac_platform_webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`platform_id` text NOT NULL,
	`url` text NOT NULL,
	`description` text,
	`secret_cifrado` text NOT NULL,
	`secret_anterior_cifrado` text,
	`secret_anterior_expira` text,
	`events` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`deleted_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`platform_id`) REFERENCES `hexafac_platforms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hexafac_platform_webhooks_platform_idx` ON `hexafac_platform_webhooks` (`platform_id`);--> statement-breakpoint
CREATE TABLE `hexafac_platforms` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`plan` text DEFAULT 'plataforma' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
DROP INDEX `hexafac_facturas_folio_uq`;--> statement-breakpoint
ALTER TABLE `hexafac_facturas` ADD `lote_id` text;--> statement-breakpoint
ALTER TABLE `hexafac_facturas` ADD `lote_indice` integer;--> statement-breakpoint
CREATE INDEX `hexafac_facturas_lote_idx` ON `hexafac_facturas` (`lote_id`,`status`) WHERE lote_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_facturas_folio_uq` ON `hexafac_facturas` (`client_application_id`,`mode`,`serie`,`folio`) WHERE status <> 'borrador';--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `platform_id` text REFERENCES hexafac_platforms(id);--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `series` text;--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `plan` text DEFAULT 'estandar' NOT NULL;--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `csd_aviso` text;--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `logo_key` text;--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `logo_tipo` text;--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `color_primario` text;--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `pie_pagina` text;--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `marca_version` text;--> statement-breakpoint
CREATE INDEX `hexafac_client_applications_platform_idx` ON `hexafac_client_applications` (`platform_id`,`id`);--> statement-breakpoint
CREATE INDEX `hexafac_client_applications_csd_vence_idx` ON `hexafac_client_applications` (`csd_valido_hasta`);