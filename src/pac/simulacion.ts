// The sandbox's failure triggers, as a client asks for them in the request header X-HexaFac-Simular (test mode
// only): comma-separated tokens, case-insensitive, e.g. `timeout-tras-timbrar, pac-caido=60`. They let a client
// drive on purpose the paths a real PAC takes only by accident. The sandbox PAC applies them (sandbox.ts,
// sandbox-cancelacion.ts); real PACs never see them.
import type { Simulacion } from './types';

export const ENCABEZADO_SIMULACION = 'X-HexaFac-Simular';

const MAX_CAIDA_SEGUNDOS = 3600;

/** Every trigger with what it does: the README and the OpenAPI description print this list. */
export const SIMULACIONES: readonly { token: string; descripcion: string }[] = [
  { token: 'timeout', descripcion: 'El PAC no responde (timeout) y no timbra: respuesta incierta; el siguiente envío timbra normalmente.' },
  {
    token: 'timeout-tras-timbrar',
    descripcion: 'El PAC timbra pero la respuesta se pierde: respuesta incierta; la consulta o el reenvío recuperan el mismo UUID.',
  },
  { token: 'error-5xx', descripcion: 'El PAC responde HTTP 500 sin timbrar: respuesta incierta; el siguiente envío timbra normalmente.' },
  { token: 'csd-revocado', descripcion: 'El PAC rechaza el CFDI con el código 304 del SAT (certificado revocado o caduco).' },
  { token: 'rechazo=<código>', descripcion: 'El PAC rechaza el CFDI con ese código de la matriz de errores del SAT (CFDI40xxx o CRP20xxx).' },
  {
    token: 'pac-caido=<segundos>',
    descripcion: `El primer PAC sandbox de la cuenta rechaza toda conexión durante 1 a ${MAX_CAIDA_SEGUNDOS} segundos, desde esta solicitud; el de respaldo sigue disponible.`,
  },
  {
    token: 'cancelacion=aceptada|rechazada|vencida',
    descripcion: 'La cancelación requiere aceptación del receptor, que la acepta, la rechaza o deja vencer el plazo de 72 horas (el SAT la cancela).',
  },
];

type Timbrado = NonNullable<Simulacion['timbrado']>;

const TIMBRADO_SIMPLE: Record<string, Timbrado> = {
  timeout: 'timeout',
  'timeout-tras-timbrar': 'timeout_tras_timbrar',
  'error-5xx': 'error_5xx',
  'csd-revocado': 'csd_revocado',
};
const CODIGO_RECHAZO = /^(CFDI40|CRP20)\d{3}$/;
const CANCELACIONES = ['aceptada', 'rechazada', 'vencida'] as const;

/** Reads X-HexaFac-Simular. An empty value asks for nothing. */
export function parseSimulacion(valor: string): { ok: true; simulacion: Simulacion } | { ok: false; message: string } {
  const simulacion: Simulacion = {};
  const fallo = (motivo: string) => ({
    ok: false as const,
    message: `${ENCABEZADO_SIMULACION}: ${motivo}. Valores válidos, separados por comas: ${SIMULACIONES.map((s) => s.token).join(', ')}.`,
  });
  for (const crudo of valor.split(',')) {
    const token = crudo.trim();
    if (!token) continue;
    const igual = token.indexOf('=');
    const nombre = (igual < 0 ? token : token.slice(0, igual)).trim().toLowerCase();
    const argumento = igual < 0 ? undefined : token.slice(igual + 1).trim().toLowerCase();
    const simple = argumento === undefined ? TIMBRADO_SIMPLE[nombre] : undefined;
    if (simple || nombre === 'rechazo') {
      if (simulacion.timbrado) return fallo('solo se admite una simulación de timbrado por solicitud');
      const codigo = argumento?.toUpperCase() ?? '';
      if (!simple && !CODIGO_RECHAZO.test(codigo)) return fallo(`"${token}" no es un código de la matriz de errores (CFDI40xxx o CRP20xxx)`);
      simulacion.timbrado = simple ?? { rechazo: codigo };
    } else if (nombre === 'pac-caido') {
      if (simulacion.pacCaidoSegundos !== undefined) return fallo('"pac-caido" aparece más de una vez');
      const segundos = /^\d{1,4}$/.test(argumento ?? '') ? Number(argumento) : NaN;
      if (!(segundos >= 1 && segundos <= MAX_CAIDA_SEGUNDOS)) return fallo(`"${token}" requiere de 1 a ${MAX_CAIDA_SEGUNDOS} segundos`);
      simulacion.pacCaidoSegundos = segundos;
    } else if (nombre === 'cancelacion') {
      if (simulacion.cancelacion) return fallo('"cancelacion" aparece más de una vez');
      const respuesta = CANCELACIONES.find((c) => c === argumento);
      if (!respuesta) return fallo(`"${token}" requiere aceptada, rechazada o vencida`);
      simulacion.cancelacion = respuesta;
    } else {
      return fallo(`"${token}" no es una simulación conocida`);
    }
  }
  return { ok: true, simulacion };
}
