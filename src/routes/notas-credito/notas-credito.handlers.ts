import type { RouteHandler } from '@hono/zod-openapi';
import Decimal from 'decimal.js';
import { prepararComprobante, dec, formatear } from '../../cfdi';
import { getDb } from '../../db/client';
import type { AppEnv } from '../../lib/context';
import { DomainError, type ErrorDetail } from '../../lib/errors';
import { tenantOf } from '../../lib/tenancy';
import { buscarFacturas, impedimento, insertarAplicacion, saldos, type NuevaAplicacion } from '../../services/saldos';
import { aceptar } from '../facturas/aceptar';
import { detalle } from '../facturas/facturas.handlers';
import type { crear, obtener } from './notas-credito.routes';

// POST /notas-credito: the core builds the CFDI tipo E; here its relations are checked against the
// tenant's invoices and its total is spread over their balances (in the order related, each up to its
// saldo), written as aplicaciones in the same batch as the nota.

export const crearHandler: RouteHandler<typeof crear, AppEnv> = (c) =>
  aceptar(c, 'E', c.req.valid('json'), async (datos, emisor) => {
    const prep = prepararComprobante(datos, emisor, { tipo: 'E' });
    if (!prep.ok) return prep;
    const nota = prep.comprobante;
    const t = tenantOf(c);
    const db = getDb(c.env);

    const problemas: ErrorDetail[] = [];
    const relacionados: { uuid: string; path: string }[] = [];
    nota.cfdiRelacionados.forEach((rel, i) => {
      if (rel.tipoRelacion !== '01') {
        problemas.push({ path: `cfdi_relacionados[${i}].tipo_relacion`, message: 'Una nota de crédito se relaciona con tipo_relacion 01 (nota de crédito de los documentos relacionados).' });
      }
      rel.uuids.forEach((uuid, j) => {
        const path = `cfdi_relacionados[${i}].uuids[${j}]`;
        if (relacionados.some((r) => r.uuid === uuid)) problemas.push({ path, message: 'La factura ya está relacionada.' });
        else relacionados.push({ uuid, path });
      });
    });
    const encontradas = await buscarFacturas(db, t, relacionados.map((r) => r.uuid));
    // Related by the SAT's folio fiscal only (it goes in the XML), never by our id.
    const facturaDe = (uuid: string) => (encontradas.get(uuid)?.uuid === uuid ? encontradas.get(uuid) : undefined);
    for (const { uuid, path } of relacionados) {
      const f = facturaDe(uuid);
      const motivo = impedimento(f, nota.receptor.rfc) ?? (f && f.moneda !== nota.moneda ? `La factura está en ${f.moneda}; la nota de crédito, en ${nota.moneda}.` : undefined);
      if (motivo) problemas.push({ path, message: motivo });
    }
    if (problemas.length) throw DomainError.validation(problemas, 'Los CFDI relacionados no admiten esta nota de crédito.');

    const documentos = relacionados.map((r) => facturaDe(r.uuid)!);
    const estado = await saldos(db, t, documentos);
    const disponible = documentos.reduce((s, f) => s.plus(estado.get(f.id)!.insoluto), dec(0));
    const total = dec(nota.total);
    const decimales = estado.get(documentos[0]!.id)!.decimales;
    if (total.gt(disponible)) {
      throw new DomainError('excede_saldo', 'invalid',
        `El total de la nota de crédito (${nota.total} ${nota.moneda}) excede el saldo de las facturas relacionadas (${formatear(disponible, decimales)}).`,
        [
          { path: 'total', message: `Total ${nota.total}; saldo disponible ${formatear(disponible, decimales)}.` },
          ...relacionados.map(({ uuid, path }) => ({ path, message: `Saldo insoluto de ${uuid}: ${formatear(estado.get(facturaDe(uuid)!.id)!.insoluto, decimales)}.` })),
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
    return { ...prep, extra: (id: string) => filas.map((a) => insertarAplicacion(c.env.DB, t, id, a)) };
  }) as never;

export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) => c.json(await detalle(c, c.req.valid('param').id, 'E'), 200);
