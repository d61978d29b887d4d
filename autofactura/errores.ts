import { catalogs } from '../src/cfdi';
import type { DomainError } from '../src/lib/errors';
import { personaDe } from './catalogos';
import { CAMPOS, type Campo, type Datos, type Errores } from './pages/ticket';

// The service's validation errors (the fiscal core's, paths receptor.*) said to the person at the form: what is
// wrong with what they typed and what to do about it. A code without a friendlier wording keeps the core's
// message, which is already Spanish and names the value.

const persona = (rfc: string) => (personaDe(rfc) === 'moral' ? 'una persona moral (empresa)' : 'una persona física');

const REDACCION: Record<string, (d: Datos) => string> = {
  CFDI40147: () => 'Este código postal no existe en el catálogo del SAT. Escribe los 5 dígitos del código postal de tu Constancia de Situación Fiscal.',
  CFDI40157: () => 'Elige un régimen fiscal de la lista.',
  CFDI40158: (d) => `Este régimen no corresponde a ${persona(d.rfc)}. Elige el régimen que aparece en tu Constancia de Situación Fiscal.`,
  CFDI40160: () => 'Elige un uso del CFDI de la lista.',
  CFDI40161: (d) => {
    const uso = catalogs.usoCfdi(d.uso_cfdi);
    const aplica = personaDe(d.rfc) === 'moral' ? uso?.aplicaMoral : uso?.aplicaFisica;
    if (!aplica) return `El uso CFDI ${d.uso_cfdi} no aplica a ${persona(d.rfc)}. Elige otro uso.`;
    return `El uso CFDI ${d.uso_cfdi} no aplica al régimen ${d.regimen_fiscal}. Elige otro uso (por ejemplo S01, sin efectos fiscales) o revisa tu régimen.`;
  },
};

/** One message per field: `receptor.domicilio_fiscal` → domicilio_fiscal, `email` → email; anything else on top. */
export function erroresDe(e: DomainError, datos: Datos): Errores {
  const errores: Errores = {};
  for (const d of e.details) {
    const campo = d.path.replace(/^receptor\./, '').split(/[.[]/)[0] as Campo;
    const texto = (d.code && REDACCION[d.code]?.(datos)) || d.message;
    if ((CAMPOS as readonly string[]).includes(campo)) errores[campo] ??= texto;
    else errores.form ??= texto;
  }
  if (!Object.keys(errores).length) errores.form = e.message;
  return errores;
}
