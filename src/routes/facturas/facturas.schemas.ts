import { z } from '@hono/zod-openapi';
import { FacturaInputSchema } from '../../cfdi';
import { FACTURA_STATUSES } from '../../db/schema';

// Shared by facturas, notas de crédito and complementos de pago.

export const IdParamsSchema = z.object({
  id: z.string().meta({ description: 'Id de HexaFac (UUIDv7) o folio fiscal (UUID del SAT).', example: '019ab1c2-0000-7000-8000-000000000001' }),
});

export const ReceptorPorCliente = {
  cliente_id: z.string().optional().meta({ description: 'Id de un cliente guardado (en lugar de `receptor`).', example: '019ab1c2-0000-7000-8000-0000000000c1' }),
};

export const FacturaCrearSchema = FacturaInputSchema.extend({
  receptor: FacturaInputSchema.shape.receptor.optional(),
  ...ReceptorPorCliente,
}).meta({ id: 'FacturaNueva' });

export const FacturaSchema = z
  .object({
    id: z.string(),
    tipo: z.enum(['I', 'E', 'P']),
    status: z.enum(FACTURA_STATUSES),
    mode: z.enum(['test', 'live']),
    serie: z.string().meta({ example: 'F' }),
    folio: z.string().meta({ example: '1' }),
    uuid: z.string().nullable().meta({ example: '5FB2822E-396D-4725-8521-CDC4BDD20CCF' }),
    fecha: z.string().meta({ example: '2026-11-25T10:00:00' }),
    fecha_timbrado: z.string().nullable(),
    no_certificado_sat: z.string().nullable(),
    receptor: z.object({ rfc: z.string(), nombre: z.string() }),
    cliente_id: z.string().nullable(),
    moneda: z.string(),
    metodo_pago: z.string().nullable(),
    subtotal: z.string().meta({ example: '1000.00' }),
    total: z.string().meta({ example: '1160.00' }),
    errores: z.array(z.object({ code: z.string(), message: z.string() })),
    cancelacion: z
      .object({ motivo: z.string(), folio_sustitucion: z.string().nullable(), acuse: z.string().nullable() })
      .nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    links: z.object({ self: z.string(), xml: z.string().optional(), pdf: z.string().optional() }),
  })
  .meta({ id: 'Factura' });

export const EventoSchema = z.object({
  id: z.string(),
  type: z.string().meta({ example: 'factura.timbrada' }),
  status_anterior: z.string().nullable(),
  status_nuevo: z.string().nullable(),
  created_at: z.string(),
});

const importe = (example: string) => z.string().meta({ example });

export const SaldoSchema = z
  .object({
    total: importe('1160.00'),
    pagado: importe('580.00').meta({ description: 'Suma de lo pagado por complementos de pago vigentes o en timbrado.' }),
    acreditado: importe('0.00').meta({ description: 'Suma de lo aplicado por notas de crédito vigentes o en timbrado.' }),
    saldo_insoluto: importe('580.00').meta({ description: 'total − pagado − acreditado, en la moneda de la factura.' }),
    pagos: z.array(
      z.object({
        complemento_id: z.string(),
        uuid: z.string().nullable(),
        num_parcialidad: z.number().int(),
        imp_saldo_ant: importe('1160.00'),
        imp_pagado: importe('580.00'),
        imp_saldo_insoluto: importe('580.00'),
        status: z.enum(FACTURA_STATUSES),
      }),
    ),
    notas_credito: z.array(
      z.object({
        nota_credito_id: z.string(),
        uuid: z.string().nullable(),
        imp_saldo_ant: importe('1160.00'),
        importe: importe('116.00'),
        imp_saldo_insoluto: importe('1044.00'),
        status: z.enum(FACTURA_STATUSES),
      }),
    ),
  })
  .meta({ id: 'Saldo', description: 'Solo facturas PPD: su saldo y los pagos y notas de crédito que se le aplican (los rechazados no aparecen; los cancelados no cuentan).' });

export const AplicacionSchema = z
  .object({
    factura_id: z.string(),
    uuid: z.string(),
    num_parcialidad: z.number().int().nullable(),
    imp_saldo_ant: importe('1160.00'),
    importe: importe('580.00'),
    imp_saldo_insoluto: importe('580.00'),
  })
  .meta({ id: 'Aplicacion', description: 'Lo que un complemento de pago o una nota de crédito aplica a una factura.' });

export const FacturaDetalleSchema = FacturaSchema.extend({
  historial: z.array(EventoSchema),
  saldo: SaldoSchema.optional(),
  aplicaciones: z.array(AplicacionSchema).optional().meta({ description: 'Solo notas de crédito y complementos de pago.' }),
}).meta({ id: 'FacturaDetalle' });

export const AceptadaSchema = z
  .object({
    id: z.string(),
    status: z.literal('pendiente'),
    links: z.object({ self: z.string() }),
  })
  .meta({ id: 'ComprobanteAceptado' });

export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .meta({ description: 'Misma clave y mismo cuerpo → la respuesta original; otra solicitud con la misma clave → 409. Vigencia 24 h.', example: 'pedido-1234' }),
});
