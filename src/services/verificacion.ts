// Verification of a CFDI a user received (POST /cfdi/verificar, the CLI's twin, the admin panel's page): the
// fiscal core does the checking; this decides which stamping certificates are trusted and turns an input that is
// no CFDI 4.0 at all into the one domain error.
import { pemToDer, RecibidoError, verificarRecibido, type VerificacionRecibido } from '../cfdi';
import type { Env } from '../env';
import { DomainError } from '../lib/errors';
import type { Mode } from '../lib/mode';

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates a SelloSAT is checked against: those the operator configures (CERTIFICADOS_TIMBRADO) and, for
 * test keys, the sandbox PAC's, whose stamps have no fiscal validity and so never count as genuine in live mode.
 */
export function certificadosTimbrado(env: Pick<Env, 'CERTIFICADOS_TIMBRADO' | 'SANDBOX_PAC_CERT_PEM'>, mode: Mode): Uint8Array[] {
  const pems = [...(env.CERTIFICADOS_TIMBRADO ?? '').matchAll(PEM)].map((m) => m[0]);
  if (mode === 'test' && env.SANDBOX_PAC_CERT_PEM) pems.push(env.SANDBOX_PAC_CERT_PEM);
  return pems.map(pemToDer);
}

/** Verifies a received CFDI; what is not a CFDI 4.0 (not XML, CFDI 3.3, another root) is a 422 that changes nothing. */
export async function verificarCfdi(env: Env, mode: Mode, xml: Uint8Array | string): Promise<VerificacionRecibido> {
  try {
    return await verificarRecibido(xml, { certificadosPac: certificadosTimbrado(env, mode) });
  } catch (e) {
    // the error's code in the API's lower case; each detail keeps the HFX code docs/reglas-sat.md lists
    if (e instanceof RecibidoError) throw new DomainError(e.code.slice(4).toLowerCase(), 'invalid', e.message, e.details);
    throw e;
  }
}
