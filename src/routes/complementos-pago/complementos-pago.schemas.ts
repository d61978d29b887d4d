import { z } from '@hono/zod-openapi';
import { ComplementoPagoInputSchema } from '../../cfdi';
import { ReceptorPorCliente } from '../facturas/facturas.schemas';

// The request of POST /complementos-pago: the core's input (src/cfdi/pagos.ts) where each paid document
// is only a reference plus what the client wants to state; HexaFac fills in the rest from the invoice.

const PagoCore = ComplementoPagoInputSchema.shape.pagos.element;
const DocumentoCore = PagoCore.shape.documentos.element;

export const DocumentoPagadoSchema = z
  .object({
    uuid: DocumentoCore.shape.uuid.optional().describe('Folio fiscal (UUID) de la factura PPD que se paga.'),
    id: z.string().optional().describe('O bien el id de HexaFac de la factura.').meta({ example: '019ab1c2-0000-7000-8000-000000000001' }),
    equivalencia: DocumentoCore.shape.equivalencia,
    num_parcialidad: DocumentoCore.shape.num_parcialidad
      .optional()
      .describe('Se calcula del historial de pagos de la factura si se omite (la siguiente); si se da, debe coincidir.'),
    imp_saldo_ant: DocumentoCore.shape.imp_saldo_ant
      .optional()
      .describe('Se calcula (total − pagos − notas de crédito vigentes) si se omite; si se da, debe coincidir.'),
    imp_pagado: DocumentoCore.shape.imp_pagado.optional().describe('Importe pagado, en la moneda de la factura; si se omite, todo su saldo.'),
    imp_saldo_insoluto: DocumentoCore.shape.imp_saldo_insoluto,
  })
  .refine((d) => (d.uuid === undefined) !== (d.id === undefined), { message: 'Indica `uuid` o `id` de la factura (uno solo).', path: ['uuid'] })
  .describe(
    'Factura PPD que cubre este pago. Serie, folio, moneda, total, ObjetoImpDR e impuestos se toman de la factura; ' +
      'los ImpuestosDR se prorratean a lo pagado.',
  );

export const ComplementoPagoCrearSchema = ComplementoPagoInputSchema.extend({
  receptor: ComplementoPagoInputSchema.shape.receptor.optional(),
  ...ReceptorPorCliente,
  pagos: z.array(PagoCore.extend({ documentos: z.array(DocumentoPagadoSchema).min(1) })).min(1),
}).meta({ id: 'ComplementoPagoNuevo' });

export type ComplementoPagoCrear = z.infer<typeof ComplementoPagoCrearSchema>;
