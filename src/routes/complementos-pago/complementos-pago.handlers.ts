import type { RouteHandler } from '@hono/zod-openapi';
import type Decimal from 'decimal.js';
import { prepararComprobante, dec, formatear, type Comprobante, type Emisor, impuestosDeDocumento, prepararComplementoPago, type ComplementoPagoInput, instanteDeFechaLocal, zonaHoraria, type ValidationIssue } from '../../cfdi';
import { getDb } from '../../db/client';
import type { AppEnv } from '../../lib/context';
import { DomainError } from '../../lib/errors';
import { tenantOf } from '../../lib/tenancy';
import type { Factura } from '../../services/estado';
import { buscarFacturas, impedimento, insertarAplicacion, saldos, type NuevaAplicacion } from '../../services/saldos';
import { aceptar } from '../facturas/aceptar';
import { detalle } from '../facturas/facturas.handlers';
import type { crear, obtener } from './complementos-pago.routes';
import type { ComplementoPagoCrear } from './complementos-pago.schemas';

// POST /complementos-pago: each referenced invoice is checked (tenant, PPD, vigente, receptor), its
// balances come from its payment history (src/services/saldos.ts), and its moneda, total, ObjetoImpDR
// and tax lines from the invoice rebuilt with the core from its stored `datos` (the same function and
// input that produced the stamped XML, so no R2 read and no XML parsing). The filled-in request is what
// the job stamps; each DoctoRelacionado becomes an aplicaciones row in the same batch.

type DocumentoPagado = ComplementoPagoCrear['pagos'][number]['documentos'][number];

/** The invoice's Comprobante as it was stamped: its own Fecha is "now" for the rebuild. */
function comprobanteDeFactura(f: Factura, emisor: Emisor): Comprobante {
  const ahora = instanteDeFechaLocal(f.fecha, zonaHoraria(emisor.lugarExpedicion));
  const prep = prepararComprobante({ ...f.datos, serie: f.serie, folio: f.folio, fecha: f.fecha }, emisor, { tipo: 'I', ahora });
  if (!prep.ok) throw new DomainError('factura_no_reconstruible', 'conflict', `No se pudieron leer los impuestos de la factura ${f.uuid}.`);
  return prep.comprobante;
}

export const crearHandler: RouteHandler<typeof crear, AppEnv> = (c) =>
  aceptar(c, 'P', c.req.valid('json'), async (datos, emisor) => {
    const body = datos as Omit<ComplementoPagoCrear, 'cliente_id'> & { receptor: ComplementoPagoInput['receptor'] };
    const t = tenantOf(c);
    const db = getDb(c.env);
    const referencia = (d: DocumentoPagado) => (d.uuid !== undefined ? { campo: 'uuid', valor: d.uuid } : { campo: 'id', valor: d.id! });

    // 1. Every reference is an invoice of this tenant that can take a payment from this receptor.
    const encontradas = await buscarFacturas(db, t, body.pagos.flatMap((p) => p.documentos.map((d) => referencia(d).valor)));
    const facturaDe = (d: DocumentoPagado) => {
      const { campo, valor } = referencia(d);
      const f = encontradas.get(valor);
      return f && (campo === 'uuid' ? f.uuid === valor.toUpperCase() : f.id === valor.toLowerCase()) ? f : undefined;
    };
    const errors: ValidationIssue[] = [];
    body.pagos.forEach((p, i) =>
      p.documentos.forEach((d, j) => {
        const f = facturaDe(d);
        const motivo = impedimento(f, body.receptor.rfc) ?? (f!.metodo_pago !== 'PPD' ? `La factura tiene método de pago ${f!.metodo_pago}; solo se pagan por complemento las PPD.` : undefined);
        if (motivo) errors.push({ path: `pagos[${i}].documentos[${j}].${referencia(d).campo}`, message: motivo });
      }),
    );
    if (errors.length) return { ok: false, errors };

    // 2. Balances: from the history, then advancing through this request (an invoice may be paid twice in it).
    const facturasPagadas = [...new Map(body.pagos.flatMap((p) => p.documentos.map((d) => facturaDe(d)!)).map((f) => [f.id, f])).values()];
    const estado = await saldos(db, t, facturasPagadas);
    const corriente = new Map(facturasPagadas.map((f) => [f.id, { saldo: estado.get(f.id)!.insoluto, parcialidad: estado.get(f.id)!.siguienteParcialidad }]));
    const impuestos = new Map(facturasPagadas.map((f) => [f.id, impuestosDeDocumento(comprobanteDeFactura(f, emisor))]));
    const pagados: Factura[][] = [];

    const pagos = body.pagos.map((p, i) => ({
      ...p,
      documentos: p.documentos.map((d, j) => {
        const ruta = `pagos[${i}].documentos[${j}]`;
        const f = facturaDe(d)!;
        const s = estado.get(f.id)!;
        const actual = corriente.get(f.id)!;
        const fmt = (x: Decimal) => formatear(x, s.decimales);
        const saldoAnt = actual.saldo;
        const pagado = d.imp_pagado === undefined ? saldoAnt : dec(d.imp_pagado);
        const excede = saldoAnt.lte(0) || pagado.gt(saldoAnt);
        if (saldoAnt.lte(0)) {
          errors.push({ path: `${ruta}.imp_pagado`, message: `La factura ${f.uuid} ya está saldada (saldo insoluto ${fmt(saldoAnt)}).` });
        } else if (excede) {
          errors.push({ path: `${ruta}.imp_pagado`, message: `El importe pagado (${d.imp_pagado}) excede el saldo insoluto de la factura (${fmt(saldoAnt)}).` });
        }
        if (d.imp_saldo_ant !== undefined && !dec(d.imp_saldo_ant).eq(saldoAnt)) {
          errors.push({ path: `${ruta}.imp_saldo_ant`, message: `El saldo anterior de la factura es ${fmt(saldoAnt)}, no ${d.imp_saldo_ant}.` });
        }
        if (d.num_parcialidad !== undefined && d.num_parcialidad !== actual.parcialidad) {
          errors.push({ path: `${ruta}.num_parcialidad`, message: `Este pago es la parcialidad ${actual.parcialidad} de la factura, no la ${d.num_parcialidad}.` });
        }
        (pagados[i] ??= [])[j] = f;
        const num_parcialidad = actual.parcialidad;
        // An overpayment is reported once: later payments of this invoice are checked against the same saldo.
        corriente.set(f.id, { saldo: excede ? saldoAnt : saldoAnt.minus(pagado), parcialidad: num_parcialidad + 1 });
        return {
          ...impuestos.get(f.id)!,
          uuid: f.uuid!,
          serie: f.serie,
          folio: f.folio,
          equivalencia: d.equivalencia,
          num_parcialidad,
          imp_saldo_ant: fmt(saldoAnt),
          imp_pagado: d.imp_pagado ?? fmt(pagado),
          imp_saldo_insoluto: d.imp_saldo_insoluto,
        };
      }),
    }));
    if (errors.length) return { ok: false, errors };

    // 3. The core computes and checks the rest (amounts, ImpuestosDR/P, Totales, equivalencias).
    const completo = { ...body, pagos };
    const prep = prepararComplementoPago(completo, emisor);
    if (!prep.ok) return prep;
    const filas: NuevaAplicacion[] = prep.pagos.pago.flatMap((pago, i) =>
      pago.doctoRelacionado.map((docto, j) => ({
        documento: estado.get(pagados[i]![j]!.id)!,
        tipo: 'pago' as const,
        numParcialidad: Number(docto.numParcialidad),
        impSaldoAnt: docto.impSaldoAnt,
        importe: docto.impPagado,
        impSaldoInsoluto: docto.impSaldoInsoluto,
      })),
    );
    return {
      ok: true,
      comprobante: prep.comprobante,
      datos: completo,
      extra: (id: string) => filas.map((a) => insertarAplicacion(c.env.DB, t, id, a)),
    };
  }) as never;

export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) => c.json(await detalle(c, c.req.valid('param').id, 'P'), 200);
