CREATE INDEX `hexafac_facturas_pendientes_idx` ON `hexafac_facturas` (`updated_at`) WHERE status = 'pendiente';--> statement-breakpoint
CREATE INDEX `hexafac_facturas_cancelaciones_idx` ON `hexafac_facturas` (`cancelacion_revisar_at`) WHERE status = 'cancelacion_pendiente';--> statement-breakpoint
CREATE INDEX `hexafac_facturas_sin_archivar_idx` ON `hexafac_facturas` (`id`) WHERE xml_timbrado IS NOT NULL;--> statement-breakpoint
CREATE INDEX `hexafac_idempotency_keys_expira_idx` ON `hexafac_idempotency_keys` (`expires_at`);