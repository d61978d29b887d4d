import { z } from '@hono/zod-openapi';
import type { LoteFila } from '../services/lotes';
import { STATUS_DE_LOTE } from '../services/lotes';

// What the batch routes share (POST /lotes and POST /nominas run on one engine, src/services/lotes.ts): the per-status
// counts, an item's problem, and the summary every batch answers with.

export const DetalleSchema = z.object({ path: z.string(), message: z.string(), code: z.string().optional() });

export const porStatusSchema = (description: string) =>
  z.object(Object.fromEntries(STATUS_DE_LOTE.map((s) => [s, z.number().int()])) as Record<(typeof STATUS_DE_LOTE)[number], z.ZodNumber>).meta({ description });

/** What an item's own route would have answered, at its path in the batch's body. */
export const errorDeItemSchema = (description: string) => z.object({ code: z.string(), message: z.string(), details: z.array(DetalleSchema) }).meta({ description });

/** The summary fields of a batch, as listed and as its answer starts. */
export const resumenDeLote = (l: LoteFila, self: string) => ({
  id: l.id,
  total: l.total,
  aceptados: l.aceptados,
  rechazados: l.rechazados,
  completado_at: l.completado_at,
  created_at: l.created_at,
  links: { self },
});
