import { z } from 'zod';

// What travels on the jobs queue: just enough to re-read the row; the row is the truth.
export const JobMessageSchema = z.object({
  kind: z.enum(['timbrar', 'cancelar', 'exportar', 'enviar']),
  id: z.string(),
  /** A job done in steps (exportar): the step this message asks for. */
  paso: z.number().int().nonnegative().optional(),
});
export type JobMessage = z.infer<typeof JobMessageSchema>;

/** Spent messages land here; its consumer ends the comprobante (`error` / `cancelacion_rechazada`). */
export const DEAD_LETTER_QUEUE = 'hexafac-facturas-dlq';

/** What a job tells the queue consumer: done (ack), or try the same message again later. */
export type JobResult = { action: 'ack' } | { action: 'retry'; delaySeconds: number };
