// The SAT's status service (ConsultaCFDIService, SOAP 1.1 on WCF): what the SAT says of one CFDI, asked by
// its expresión impresa. Sources: the service's WSDL (eclipxe13/CfdiUtils, ConsultaCFDIServiceSAT.svc.xml,
// removed in b0f1ed6), phpcfdi/sat-estado-cfdi and phpcfdi/cfdi-expresiones (the live-tested expresión).
import { escapeAttr } from '../cfdi';
import { urlVerificacionSat } from '../cfdi';
import type { Canal } from './http';
import { buscarLocal, campo, falla, leerSoap, llamarSoap, sobre } from './soap';
import { ConsultaSatError, type ConsultaCfdi, type ConsultaSat, type EstadoCfdi } from './types';

export const CONSULTA_SAT_URL = 'https://consultaqr.facturaelectronica.sat.gob.mx/ConsultaCFDIService.svc';
/**
 * The SAT's test instance of the same service, the one PAC test setups point at: phpcfdi/sat-estado-cfdi
 * (src/Contracts/Constants.php, WEBSERVICE_URI_DEVELOPMENT) and SW's lunasoft/sw-sdk-php (Tests/SatQueryTests.php).
 */
export const CONSULTA_SAT_PRUEBAS_URL = 'https://pruebacfdiconsultaqr.cloudapp.net/ConsultaCFDIService.svc';

const ACCION = 'http://tempuri.org/IConsultaCFDIService/Consulta';

export interface ConsultaSatOptions {
  url?: string;
  fetch?: typeof fetch;
  /** default 15 s */
  timeoutMs?: number;
}

const ESTADOS: Record<string, EstadoCfdi['estado']> = { Vigente: 'vigente', Cancelado: 'cancelado', 'No Encontrado': 'no_encontrado' };

/**
 * `?id=…&re=…&rr=…&tt=…&fe=…`: the QR's text of the CFDI 4.0 (Anexo 20) from the `?` on, so both follow one
 * rule. An `&` in an RFC stays `&amp;` inside the expresión (phpcfdi/cfdi-expresiones 3.1.0 found the SAT
 * wants the XML form, not `%26`); `tt` is the Total without non-significant zeros ("3248.00" → "3248.0").
 * Without a sello there is no `fe`.
 */
export function expresionImpresa(c: ConsultaCfdi): string {
  const qr = urlVerificacionSat({ uuid: c.uuid, rfcEmisor: c.rfcEmisor, rfcReceptor: c.rfcReceptor, total: c.total, sello: c.sello ?? '' });
  const expresion = qr.slice(qr.indexOf('?'));
  return c.sello ? expresion : expresion.replace(/&fe=$/, '');
}

export class ConsultaSatService implements ConsultaSat {
  private readonly url: string;
  private readonly canal: Canal;

  constructor(opts: ConsultaSatOptions = {}) {
    this.url = opts.url ?? CONSULTA_SAT_URL;
    this.canal = { fetch: opts.fetch, timeoutMs: opts.timeoutMs ?? 15_000 };
  }

  async consultar(c: ConsultaCfdi): Promise<EstadoCfdi> {
    const expresion = expresionImpresa(c);
    const cuerpo = `<Consulta xmlns="http://tempuri.org/"><expresionImpresa>${escapeAttr(expresion)}</expresionImpresa></Consulta>`;
    const r = await llamarSoap(this.canal, this.url, ACCION, sobre(cuerpo));
    if (!r.ok) throw new ConsultaSatError([r.error]);
    const xml = leerSoap(r.texto);
    if (r.status !== 200) {
      throw new ConsultaSatError([{ code: `HTTP${r.status}`, message: falla(xml) ?? (r.texto.trim().slice(0, 300) || `HTTP ${r.status}`) }]);
    }
    const resultado = xml && buscarLocal(xml, 'ConsultaResult');
    const codigo = campo(resultado, 'CodigoEstatus');
    if (!resultado || !codigo) throw new ConsultaSatError([{ code: 'respuesta_invalida', message: 'El SAT no devolvió un ConsultaResult legible' }]);

    const rechazo = /^N - (\d+)/.exec(codigo)?.[1];
    if (rechazo === '602') return { estado: 'no_encontrado' };
    // 601 also answers a well-formed expresión whose data do not match the CFDI (CfdiUtils' live test with a
    // changed total): either way what we sent is wrong, and asking again will not help
    if (rechazo) throw new ConsultaSatError([{ code: rechazo, message: `${codigo} (${expresion})` }]);
    const estadoSat = campo(resultado, 'Estado') ?? '';
    const estado = ESTADOS[estadoSat];
    if (!codigo.startsWith('S - ') || !estado) {
      throw new ConsultaSatError([{ code: 'respuesta_invalida', message: `Respuesta inesperada del SAT: ${codigo} / ${estadoSat}` }]);
    }
    // WCF writes an absent value as an empty element (or i:nil): leave it out
    const esCancelable = campo(resultado, 'EsCancelable');
    const estatusCancelacion = campo(resultado, 'EstatusCancelacion');
    const validacionEfos = campo(resultado, 'ValidacionEFOS');
    return {
      estado,
      ...(esCancelable ? { esCancelable } : {}),
      ...(estatusCancelacion ? { estatusCancelacion } : {}),
      ...(validacionEfos ? { validacionEfos } : {}),
    };
  }
}
