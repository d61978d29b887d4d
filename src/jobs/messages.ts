import { z } from 'zod';

// What travels on the stamping queue: just enough to re-read the row; the row is the truth.
export const FacturaMensajeSchema = z.object({
  kind: z.enum(['timbrar', 'cancelar']),
  id: z.string(),
});
export type FacturaMensaje = z.infer<typeof FacturaMensajeSchema>;
