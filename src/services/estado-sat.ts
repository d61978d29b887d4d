import type { Deps } from '../deps';
import { DomainError } from '../lib/errors';
import type { Tenant } from '../lib/tenancy';
import { ConsultaSatError, type EstadoCfdi } from '../pac/types';
import { cargarAplicacion, cargarComprobante, type Aplicacion } from './comprobantes';
import { elComprobanteEsta } from '../lib/mensajes';

/** What the SAT says of a tenant's stamped comprobante right now (ConsultaCFDIService; the sandbox in test mode). */
export async function consultarEstadoSat(deps: Deps, t: Tenant, idOrUuid: string, app?: Aplicacion) {
  const f = await cargarComprobante(deps, t, idOrUuid);
  if (!f.uuid) {
    throw new DomainError('sin_timbre', 'conflict', `${elComprobanteEsta(f.status)}: sin timbre no hay estado en el SAT.`, [
      { path: 'id', message: 'El comprobante no está timbrado.' },
    ]);
  }
  let estado: EstadoCfdi;
  try {
    estado = await deps.pacs.consultaSat(f.mode).consultar({
      rfcEmisor: (app ?? (await cargarAplicacion(deps, t))).rfc,
      rfcReceptor: f.receptor_rfc,
      total: f.total,
      uuid: f.uuid,
      cuenta: t.applicationId,
    });
  } catch (err) {
    if (!(err instanceof ConsultaSatError)) throw err;
    throw new DomainError('sat_no_disponible', 'unavailable', `El servicio de consulta del SAT no respondió; vuelve a intentarlo. (${err.message})`);
  }
  return {
    uuid: f.uuid,
    estado: estado.estado,
    es_cancelable: estado.esCancelable ?? null,
    estatus_cancelacion: estado.estatusCancelacion ?? null,
    validacion_efos: estado.validacionEfos ?? null,
    consultado_at: deps.clock().toISOString(),
  };
}
