ALTER TABLE `hexafac_facturas` ADD `datos_key` text;--> statement-breakpoint
ALTER TABLE `hexafac_facturas` ADD `transicion_id` text;