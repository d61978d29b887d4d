CREATE TABLE `hexafac_recibos_nomina` (
	`factura_id` text PRIMARY KEY NOT NULL,
	`client_application_id` text NOT NULL,
	`mode` text NOT NULL,
	`curp` text NOT NULL,
	`num_empleado` text NOT NULL,
	`tipo_nomina` text NOT NULL,
	`fecha_pago` text NOT NULL,
	`fecha_inicial_pago` text NOT NULL,
	`fecha_final_pago` text NOT NULL,
	`total_percepciones` text NOT NULL,
	`total_deducciones` text NOT NULL,
	`total_otros_pagos` text NOT NULL,
	`neto` text NOT NULL,
	FOREIGN KEY (`factura_id`) REFERENCES `hexafac_facturas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_application_id`) REFERENCES `hexafac_client_applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hexafac_recibos_nomina_curp_idx` ON `hexafac_recibos_nomina` (`client_application_id`,`mode`,`curp`);--> statement-breakpoint
CREATE INDEX `hexafac_recibos_nomina_periodo_idx` ON `hexafac_recibos_nomina` (`client_application_id`,`mode`,`fecha_final_pago`);--> statement-breakpoint
ALTER TABLE `hexafac_lotes` ADD `clase` text DEFAULT 'lote' NOT NULL;--> statement-breakpoint
ALTER TABLE `hexafac_lotes` ADD `periodo` text;