import type { Context } from 'hono';
import { type ValidationIssue, type Comprobante, type Emisor } from '../../cfdi';
import { getDb } from '../../db/client';
import type { AppEnv } from '../../lib/context';
import { DomainError } from '../../lib/errors';
import { withIdempotency } from '../../lib/idempotency';
import { tenantOf } from '../../lib/tenancy';
import { resolverReceptor } from '../../services/clientes';
import { aceptarComprobante, emisorDe, encolarTimbrado, issuesToDetails, type Aceptacion, type TipoComprobante } from '../../services/facturas';

// The accepting half shared by POST /facturas, /notas-credito and /complementos-pago:
// idempotency → receptor (inline or cliente_id) → the core's full validation → row + folio + queue → 202.

type Preparar = (
  datos: Record<string, unknown>,
  emisor: Emisor,
) => Promise<
  | { ok: true; comprobante: Comprobante; datos?: Record<string, unknown>; extra?: Aceptacion['extra'] }
  | { ok: false; errors: ValidationIssue[] }
>;

export function aceptar(c: Context<AppEnv>, tipo: TipoComprobante, body: Record<string, unknown>, preparar: Preparar): Promise<Response> {
  return withIdempotency(c, body, async () => {
    const t = tenantOf(c);
    const db = getDb(c.env);
    const { cliente_id: clienteId, ...datos } = body as { cliente_id?: string } & Record<string, unknown>;
    if (clienteId !== undefined && datos.receptor !== undefined) {
      throw DomainError.validation([{ path: 'cliente_id', message: 'Indica `receptor` o `cliente_id`, no ambos.' }]);
    }
    if (clienteId === undefined && datos.receptor === undefined) {
      throw DomainError.validation([{ path: 'receptor', message: 'Indica `receptor` o `cliente_id`.' }]);
    }
    if (clienteId !== undefined) {
      const { cliente_id: _, ...receptor } = await resolverReceptor(db, t, clienteId);
      // Pagos always use CP01, whatever the cliente's default.
      datos.receptor = tipo === 'P' ? { ...receptor, uso_cfdi: 'CP01' } : receptor;
    }
    const app = c.get('application');
    if (!app.csd_certificado) {
      throw new DomainError('csd_no_configurado', 'invalid', 'La aplicación no tiene un CSD cargado; súbelo en el panel de administración.', [
        { path: 'emisor', message: 'Falta el CSD del emisor.' },
      ]);
    }
    const prep = await preparar(datos, emisorDe(app));
    if (!prep.ok) throw DomainError.validation(issuesToDetails(prep.errors), 'El comprobante no cumple las reglas del SAT.');
    const factura = await aceptarComprobante(c.env, t, { tipo, datos: prep.datos ?? datos, comprobante: prep.comprobante, clienteId, extra: prep.extra });
    c.executionCtx.waitUntil(encolarTimbrado(c.env, factura.id));
    const self = `${new URL(c.req.url).origin}${c.req.path.replace(/\/$/, '')}/${factura.id}`;
    c.header('Location', self);
    return c.json({ id: factura.id, status: 'pendiente' as const, links: { self } }, 202);
  });
}
