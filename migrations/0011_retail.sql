CREATE TABLE `hexafac_envios` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`factura_id` text NOT NULL,
	`para` text NOT NULL,
	`cc` text,
	`automatico` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`message_id` text,
	`intentos` integer DEFAULT 0 NOT NULL,
	`error` text,
	`enviado_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hexafac_envios_factura_idx` ON `hexafac_envios` (`factura_id`,`id`);--> statement-breakpoint
CREATE INDEX `hexafac_envios_pendientes_idx` ON `hexafac_envios` (`updated_at`) WHERE status = 'pendiente';--> statement-breakpoint
CREATE TABLE `hexafac_recibos` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`folio` text NOT NULL,
	`external_id` text,
	`clave` text NOT NULL,
	`fecha` text NOT NULL,
	`forma_pago` text NOT NULL,
	`moneda` text NOT NULL,
	`datos` text NOT NULL,
	`subtotal` text NOT NULL,
	`descuento` text,
	`total_impuestos_trasladados` text,
	`total_impuestos_retenidos` text,
	`total` text NOT NULL,
	`vigente_hasta` text NOT NULL,
	`factura_id` text,
	`factura_global_id` text,
	`nota_credito_id` text,
	`cancelado_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_recibos_clave_uq` ON `hexafac_recibos` (`clave`);--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_recibos_folio_uq` ON `hexafac_recibos` (`client_application_id`,`mode`,`folio`);--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_recibos_external_uq` ON `hexafac_recibos` (`client_application_id`,`mode`,`external_id`) WHERE external_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `hexafac_recibos_list_idx` ON `hexafac_recibos` (`client_application_id`,`mode`,`id`);--> statement-breakpoint
CREATE INDEX `hexafac_recibos_global_idx` ON `hexafac_recibos` (`client_application_id`,`mode`,`status`,`fecha`);--> statement-breakpoint
CREATE INDEX `hexafac_recibos_factura_idx` ON `hexafac_recibos` (`factura_id`) WHERE factura_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `hexafac_recibos_global_factura_idx` ON `hexafac_recibos` (`factura_global_id`) WHERE factura_global_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `autofactura_slug` text;--> statement-breakpoint
ALTER TABLE `hexafac_client_applications` ADD `recibos_config` text;--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_client_applications_slug_uq` ON `hexafac_client_applications` (`autofactura_slug`);--> statement-breakpoint
ALTER TABLE `hexafac_facturas` ADD `origen` text;--> statement-breakpoint
ALTER TABLE `hexafac_facturas` ADD `enviar_a` text;