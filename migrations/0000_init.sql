CREATE TABLE `hexafac_admin_users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`password_salt` text NOT NULL,
	`password_iterations` integer NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`last_login_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_admin_users_email_unique` ON `hexafac_admin_users` (`email`);--> statement-breakpoint
CREATE TABLE `hexafac_api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`name` text NOT NULL,
	`mode` text NOT NULL,
	`prefix` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`last_used_at` text,
	`expires_at` text,
	`revoked_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_api_keys_token_hash_uq` ON `hexafac_api_keys` (`token_hash`);--> statement-breakpoint
CREATE INDEX `hexafac_api_keys_app_idx` ON `hexafac_api_keys` (`client_application_id`);--> statement-breakpoint
CREATE TABLE `hexafac_aplicaciones` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`origen_id` text NOT NULL,
	`documento_id` text NOT NULL,
	`tipo` text NOT NULL,
	`num_parcialidad` integer,
	`imp_saldo_ant` text NOT NULL,
	`importe` text NOT NULL,
	`imp_saldo_insoluto` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`origen_id`) REFERENCES `hexafac_facturas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`documento_id`) REFERENCES `hexafac_facturas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_aplicaciones_parcialidad_uq` ON `hexafac_aplicaciones` (`documento_id`,`tipo`,`num_parcialidad`);--> statement-breakpoint
CREATE INDEX `hexafac_aplicaciones_origen_idx` ON `hexafac_aplicaciones` (`origen_id`);--> statement-breakpoint
CREATE TABLE `hexafac_client_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'active' NOT NULL,
	`rfc` text NOT NULL,
	`razon_social` text NOT NULL,
	`regimen_fiscal` text NOT NULL,
	`lugar_expedicion` text NOT NULL,
	`csd_certificado` text,
	`csd_no_certificado` text,
	`csd_valido_hasta` text,
	`csd_llave_cifrada` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `hexafac_clientes` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`rfc` text NOT NULL,
	`nombre` text NOT NULL,
	`domicilio_fiscal` text NOT NULL,
	`regimen_fiscal` text NOT NULL,
	`uso_cfdi` text NOT NULL,
	`email` text,
	`deleted_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_clientes_rfc_uq` ON `hexafac_clientes` (`client_application_id`,`mode`,`rfc`) WHERE rfc NOT IN ('XAXX010101000','XEXX010101000') AND deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `hexafac_clientes_nombre_idx` ON `hexafac_clientes` (`client_application_id`,`mode`,`nombre`);--> statement-breakpoint
CREATE TABLE `hexafac_eventos` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`factura_id` text,
	`type` text NOT NULL,
	`status_anterior` text,
	`status_nuevo` text,
	`data` text NOT NULL,
	`despachado_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`factura_id`) REFERENCES `hexafac_facturas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hexafac_eventos_pendientes_idx` ON `hexafac_eventos` (`despachado_at`);--> statement-breakpoint
CREATE INDEX `hexafac_eventos_factura_idx` ON `hexafac_eventos` (`factura_id`,`id`);--> statement-breakpoint
CREATE INDEX `hexafac_eventos_app_idx` ON `hexafac_eventos` (`client_application_id`,`mode`,`id`);--> statement-breakpoint
CREATE TABLE `hexafac_facturas` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`tipo` text NOT NULL,
	`status` text NOT NULL,
	`serie` text NOT NULL,
	`folio` text NOT NULL,
	`cliente_id` text,
	`receptor_rfc` text NOT NULL,
	`receptor_nombre` text NOT NULL,
	`moneda` text NOT NULL,
	`metodo_pago` text,
	`subtotal` text NOT NULL,
	`total` text NOT NULL,
	`fecha` text NOT NULL,
	`datos` text NOT NULL,
	`uuid` text,
	`fecha_timbrado` text,
	`no_certificado_sat` text,
	`xml_key` text,
	`pdf_key` text,
	`errores` text,
	`intentos` integer DEFAULT 0 NOT NULL,
	`cancelacion_motivo` text,
	`cancelacion_folio_sustitucion` text,
	`acuse_key` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_facturas_folio_uq` ON `hexafac_facturas` (`client_application_id`,`mode`,`serie`,`folio`);--> statement-breakpoint
CREATE UNIQUE INDEX `hexafac_facturas_uuid_uq` ON `hexafac_facturas` (`client_application_id`,`mode`,`uuid`);--> statement-breakpoint
CREATE INDEX `hexafac_facturas_list_idx` ON `hexafac_facturas` (`client_application_id`,`mode`,`id`);--> statement-breakpoint
CREATE INDEX `hexafac_facturas_status_idx` ON `hexafac_facturas` (`client_application_id`,`mode`,`status`);--> statement-breakpoint
CREATE INDEX `hexafac_facturas_receptor_idx` ON `hexafac_facturas` (`client_application_id`,`mode`,`receptor_rfc`);--> statement-breakpoint
CREATE TABLE `hexafac_folios` (
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`serie` text NOT NULL,
	`ultimo` integer NOT NULL,
	PRIMARY KEY(`client_application_id`, `mode`, `serie`)
);
--> statement-breakpoint
CREATE TABLE `hexafac_idempotency_keys` (
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`response_status` integer,
	`response_body` text,
	`response_headers` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`client_application_id`, `mode`, `key`)
);
--> statement-breakpoint
CREATE TABLE `hexafac_webhook_configurations` (
	`id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
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
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hexafac_webhook_configurations_app_idx` ON `hexafac_webhook_configurations` (`client_application_id`,`mode`);