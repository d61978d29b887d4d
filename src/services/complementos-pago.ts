import type Decimal from 'decimal.js';
import {
  dec,
  formatear,
  impuestosDeDocumento,
  instanteDeFechaLocal,
  prepararComplementoPago,
  prepararComprobante,
  zonaHoraria,
  type Comprobante,
  type ComplementoPagoEntrada,
  type Emisor,
  type PagoEntrada,
  type ValidationIssue,
} from '../cfdi';
import type { Deps } from '../deps';
import { DomainError } from '../lib/errors';
import { tenantDb, type Tenant } from '../lib/tenancy';
import { datosDe } from './comprobantes';
import { aceptar, type OpcionesAceptar, type Solicitud, type TipoEmision } from './emision';
import type { Factura } from './estado';
import { buscarFacturas, impedimento, insertarAplicacion, saldos, type NuevaAplicacion } from './saldos';

// Complementos de pago (CFDI tipo P with Pagos 2.0): each referenced invoice is checked (tenant, PPD,
// vigente, receptor), its balances come from its payment history (saldos.ts), and its moneda, total,
// ObjetoImpDR and tax lines from the invoice rebuilt with the core from its stored request (the same
// function and input that produced the stamped XML, so no XML is read). The filled-in request is what the
// job stamps; each DoctoRelacionado becomes an aplicaciones row in the same batch.

/** A paid invoice as a client names it: a reference plus what the client wants to state (checked). */
export interface DocumentoPagado {
  uuid?: string;
  id?: string;
  equivalencia?: string | number;
  num_parcialidad?: number;
  imp_saldo_ant?: string | number;
  imp_pagado?: string | number;
  imp_saldo_insoluto?: string | number;
}

interface SolicitudPago {
  receptor: ComplementoPagoEntrada['receptor'];
  pagos: (Omit<PagoEntrada, 'documentos'> & { documentos: DocumentoPagado[] })[];
}

/** The invoice's Comprobante as it was stamped: its own Fecha is "now" for the rebuild. */
export async function comprobanteDeFactura(deps: Deps, f: Factura, emisor: Emisor): Promise<Comprobante> {
  const ahora = instanteDeFechaLocal(f.fecha, zonaHoraria(emisor.lugarExpedicion));
  const prep = prepararComprobante({ ...(await datosDe(deps, f)), serie: f.serie, folio: f.folio, fecha: f.fecha }, emisor, { tipo: 'I', ahora });
  if (!prep.ok) throw new DomainError('factura_no_reconstruible', 'conflict', `No se pudieron leer los impuestos de la factura ${f.uuid}.`);
  return prep.comprobante;
}

const referencia = (d: DocumentoPagado) => (d.uuid !== undefined ? { campo: 'uuid', valor: d.uuid } : { campo: 'id', valor: d.id! });

export const COMPLEMENTO_PAGO: TipoEmision = {
  tipo: 'P',
  operacion: 'complementos-pago.crear',
  seriePorOmision: 'CP',
  // Pagos always use CP01, whatever the cliente's default.
  receptorDeCliente: (r) => ({ ...r, uso_cfdi: 'CP01' }),
  async preparar(deps, t, datos, emisor) {
    const body = datos as unknown as SolicitudPago;

    // 1. Every reference is an invoice of this tenant that can take a payment from this receptor.
    const encontradas = await buscarFacturas(deps, t, body.pagos.flatMap((p) => p.documentos.map((d) => referencia(d).valor)));
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
        if (motivo) errors.push({ path: `pagos[${i}].documentos[${j}].${referencia(d).campo}`, message: motivo, code: 'HFX_DOCUMENTO_INVALIDO' });
      }),
    );
    if (errors.length) return { ok: false, errors };

    // 2. Balances: from the history, then advancing through this request (an invoice may be paid twice in it).
    const facturasPagadas = [...new Map(body.pagos.flatMap((p) => p.documentos.map((d) => facturaDe(d)!)).map((f) => [f.id, f])).values()];
    const estado = await saldos(deps, t, facturasPagadas);
    const corriente = new Map(facturasPagadas.map((f) => [f.id, { saldo: estado.get(f.id)!.insoluto, parcialidad: estado.get(f.id)!.siguienteParcialidad }]));
    const impuestos = new Map(
      await Promise.all(facturasPagadas.map(async (f) => [f.id, impuestosDeDocumento(await comprobanteDeFactura(deps, f, emisor))] as const)),
    );
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
          errors.push({ path: `${ruta}.imp_pagado`, message: `La factura ${f.uuid} ya está saldada (saldo insoluto ${fmt(saldoAnt)}).`, code: 'HFX_EXCEDE_SALDO' });
        } else if (excede) {
          errors.push({ path: `${ruta}.imp_pagado`, message: `El importe pagado (${d.imp_pagado}) excede el saldo insoluto de la factura (${fmt(saldoAnt)}).`, code: 'HFX_EXCEDE_SALDO' });
        }
        if (d.imp_saldo_ant !== undefined && !dec(d.imp_saldo_ant).eq(saldoAnt)) {
          errors.push({ path: `${ruta}.imp_saldo_ant`, message: `El saldo anterior de la factura es ${fmt(saldoAnt)}, no ${d.imp_saldo_ant}.`, code: 'HFX_SALDO_ANTERIOR' });
        }
        if (d.num_parcialidad !== undefined && d.num_parcialidad !== actual.parcialidad) {
          errors.push({ path: `${ruta}.num_parcialidad`, message: `Este pago es la parcialidad ${actual.parcialidad} de la factura, no la ${d.num_parcialidad}.`, code: 'HFX_PARCIALIDAD' });
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
    const completo = { ...datos, pagos };
    const prep = prepararComplementoPago(completo, emisor, { ahora: deps.clock() });
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
      extra: (id: string) => filas.map((a) => insertarAplicacion(tenantDb(deps, t).d1, t, id, a)),
      ...(prep.advertencias ? { advertencias: prep.advertencias } : {}),
    };
  },
};

export const aceptarComplementoPago = (deps: Deps, t: Tenant, solicitud: Solicitud, opts?: OpcionesAceptar) =>
  aceptar(deps, t, COMPLEMENTO_PAGO, solicitud, opts);
