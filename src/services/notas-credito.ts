import Decimal from 'decimal.js';
import { dec, formatear, prepararComprobante } from '../cfdi';
import type { Deps } from '../deps';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { tenantDb, type Tenant } from '../lib/tenancy';
import { aceptar, type OpcionesAceptar, type Solicitud, type TipoEmision } from './emision';
import { buscarFacturas, impedimento, insertarAplicacion, saldos, type NuevaAplicacion } from './saldos';

// Notas de crédito (CFDI de egreso, tipo E): the core builds the CFDI; here its relations are checked
// against the tenant's invoices and its total is spread over their balances (in the order related, each
// up to its saldo), written as aplicaciones in the same batch as the nota.

export const NOTA_CREDITO: TipoEmision = {
  tipo: 'E',
  operacion: 'notas-credito.crear',
  seriePorOmision: 'NC',
  async preparar(deps, t, datos, emisor) {
    const prep = prepararComprobante(datos, emisor, { tipo: 'E', ahora: deps.clock() });
    if (!prep.ok) return prep;
    const nota = prep.comprobante;

    const problemas: ErrorDetail[] = [];
    const relacionados: { uuid: string; path: string }[] = [];
    nota.cfdiRelacionados.forEach((rel, i) => {
      if (rel.tipoRelacion !== '01') {
        problemas.push({
          path: `cfdi_relacionados[${i}].tipo_relacion`,
          message: 'Una nota de crédito se relaciona con tipo_relacion 01 (nota de crédito de los documentos relacionados).',
          code: 'HFX_RELACION_NOTA',
        });
      }
      rel.uuids.forEach((uuid, j) => {
        const path = `cfdi_relacionados[${i}].uuids[${j}]`;
        if (relacionados.some((r) => r.uuid === uuid)) problemas.push({ path, message: 'La factura ya está relacionada.', code: 'HFX_DOCUMENTO_REPETIDO' });
        else relacionados.push({ uuid, path });
      });
    });
    // the core only warns about an egreso without relation (the SAT allows it); this route credits invoices
    if (!relacionados.length) {
      problemas.push({ path: 'cfdi_relacionados', message: 'Una nota de crédito relaciona al menos una factura timbrada (tipo_relacion 01).', code: 'HFX_RELACION_NOTA' });
    }
    const encontradas = await buscarFacturas(deps, t, relacionados.map((r) => r.uuid));
    // Related by the SAT's folio fiscal only (it goes in the XML), never by our id.
    const facturaDe = (uuid: string) => (encontradas.get(uuid)?.uuid === uuid ? encontradas.get(uuid) : undefined);
    for (const { uuid, path } of relacionados) {
      const f = facturaDe(uuid);
      const motivo = impedimento(f, nota.receptor.rfc) ?? (f && f.moneda !== nota.moneda ? `La factura está en ${f.moneda}; la nota de crédito, en ${nota.moneda}.` : undefined);
      if (motivo) problemas.push({ path, message: motivo, code: 'HFX_DOCUMENTO_INVALIDO' });
    }
    if (problemas.length) throw DomainError.validation(problemas, 'Los CFDI relacionados no admiten esta nota de crédito.');

    const documentos = relacionados.map((r) => facturaDe(r.uuid)!);
    const estado = await saldos(deps, t, documentos);
    const disponible = documentos.reduce((s, f) => s.plus(estado.get(f.id)!.insoluto), dec(0));
    const total = dec(nota.total);
    const decimales = estado.get(documentos[0]!.id)!.decimales;
    if (total.gt(disponible)) {
      throw new DomainError(
        'excede_saldo',
        'invalid',
        `El total de la nota de crédito (${nota.total} ${nota.moneda}) excede el saldo de las facturas relacionadas (${formatear(disponible, decimales)}).`,
        [
          { path: 'total', message: `Total ${nota.total}; saldo disponible ${formatear(disponible, decimales)}.`, code: 'HFX_EXCEDE_SALDO' },
          ...relacionados.map(({ uuid, path }) => ({
            path,
            message: `Saldo insoluto de ${uuid}: ${formatear(estado.get(facturaDe(uuid)!.id)!.insoluto, decimales)}.`,
            code: 'HFX_EXCEDE_SALDO',
          })),
        ],
      );
    }

    let resto: Decimal = total;
    const filas: NuevaAplicacion[] = [];
    for (const f of documentos) {
      const s = estado.get(f.id)!;
      const importe = Decimal.min(resto, s.insoluto);
      if (importe.lte(0)) continue;
      resto = resto.minus(importe);
      filas.push({
        documento: s,
        tipo: 'nota_credito',
        numParcialidad: null,
        impSaldoAnt: formatear(s.insoluto, decimales),
        importe: formatear(importe, decimales),
        impSaldoInsoluto: formatear(s.insoluto.minus(importe), decimales),
      });
    }
    return { ...prep, extra: (id: string) => filas.map((a) => insertarAplicacion(tenantDb(deps, t).d1, t, id, a)) };
  },
};

export const aceptarNotaCredito = (deps: Deps, t: Tenant, solicitud: Solicitud, opts?: OpcionesAceptar) =>
  aceptar(deps, t, NOTA_CREDITO, solicitud, opts);
