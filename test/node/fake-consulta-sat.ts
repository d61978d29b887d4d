// A local stand-in for the SAT's ConsultaCFDIService on 127.0.0.1. It replays the SAT's envelopes
// (test/fixtures/sat/consulta, README there) and judges the expresión impresa the way the SAT was seen to:
// a malformed one, or one whose data do not match the CFDI, gets 601; an unknown UUID gets 602.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Decimal from 'decimal.js';
import { escapeAttr, parseXml } from '../../src/cfdi';
import { buscarLocal, textoDe } from '../../src/pac/soap';

const fixture = (f: string) => readFileSync(path.resolve(__dirname, '../fixtures/sat/consulta', f), 'utf8');
const VIGENTE = fixture('respuesta-vigente.xml');
const N601 = fixture('respuesta-601.xml');
const N602 = fixture('respuesta-602.xml');
const FALLA_ACCION = fixture('falla-accion.xml');
const FALLA_INTERNA = fixture('falla-interna.xml');
const PAGINA_503 = fixture('falla-503.html');

const ACCION = 'http://tempuri.org/IConsultaCFDIService/Consulta';
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;
const RFC = /^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$/;
const TOTAL = /^\d{1,18}(\.\d{1,6})?$/;
// the QR's full text is accepted too (phpcfdi sends it so)
const INICIO = /^(?:https:\/\/verificacfdi\.facturaelectronica\.sat\.gob\.mx\/default\.aspx)?\?/;

/** What the SAT knows of one CFDI, by its UUID. */
export interface CfdiRegistrado {
  rfcEmisor: string;
  rfcReceptor: string;
  /** the Comprobante's Total */
  total: string;
  /** when given, an `fe` in the expresión must be its last 8 characters */
  sello?: string;
  estado: 'Vigente' | 'Cancelado';
  esCancelable?: string;
  estatusCancelacion?: string;
  validacionEfos?: string;
}

/** What the next requests get instead of the SAT's answer; consumed in order. */
export type Falla =
  /** never answer (the client must time out) */
  | 'colgar'
  /** 500 with WCF's internal-error fault */
  | 'error500'
  /** 503 with the HTML page IIS serves while the service is down */
  | 'html503'
  /** 200 with the answer cut in half */
  | 'truncada';

export interface SolicitudConsulta {
  headers: IncomingMessage['headers'];
  body: string;
  /** the expresionImpresa's text, XML-decoded */
  expresion?: string;
}

export class FakeConsultaSat {
  readonly solicitudes: SolicitudConsulta[] = [];
  private readonly registro = new Map<string, CfdiRegistrado>();
  private readonly fallas: Falla[] = [];
  private server!: Server;
  /** the service's URL (…/ConsultaCFDIService.svc) */
  url = '';

  static async iniciar(): Promise<FakeConsultaSat> {
    const fake = new FakeConsultaSat();
    fake.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = fake.atender(req, Buffer.concat(chunks).toString('utf8'));
        if (!r) return;
        res.writeHead(r.status, { 'Content-Type': r.tipo });
        res.end(r.cuerpo);
      });
    });
    await new Promise<void>((ok) => fake.server.listen(0, '127.0.0.1', ok));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/ConsultaCFDIService.svc`;
    return fake;
  }

  registrar(uuid: string, cfdi: CfdiRegistrado): void {
    this.registro.set(uuid.toUpperCase(), cfdi);
  }

  siguiente(...f: Falla[]): void {
    this.fallas.push(...f);
  }

  async cerrar(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  /** null: leave the request hanging */
  private atender(req: IncomingMessage, body: string): { status: number; tipo: string; cuerpo: string } | null {
    const s: SolicitudConsulta = { headers: req.headers, body };
    this.solicitudes.push(s);
    const xml = (status: number, cuerpo: string) => ({ status, tipo: 'text/xml; charset=utf-8', cuerpo });
    const falla = this.fallas.shift();
    if (falla === 'colgar') return null;
    if (falla === 'error500') return xml(500, FALLA_INTERNA);
    if (falla === 'html503') return { status: 503, tipo: 'text/html; charset=us-ascii', cuerpo: PAGINA_503 };
    if (falla === 'truncada') return xml(200, VIGENTE.slice(0, VIGENTE.length / 2));
    // WCF dispatches on the SOAPAction: anything else is a ContractFilter fault
    if (req.method !== 'POST' || String(req.headers.soapaction ?? '').replace(/^"|"$/g, '') !== ACCION) return xml(500, FALLA_ACCION);

    let expresionImpresa;
    try {
      expresionImpresa = buscarLocal(parseXml(body), 'expresionImpresa');
    } catch {
      return xml(400, '');
    }
    s.expresion = expresionImpresa ? textoDe(expresionImpresa) : '';
    const p = parametros(s.expresion);
    if (!p) return xml(200, N601);
    const cfdi = this.registro.get(p.id.toUpperCase());
    if (!cfdi) return xml(200, N602);
    const coincide =
      p.re === cfdi.rfcEmisor &&
      p.rr === cfdi.rfcReceptor &&
      // the SAT compares amounts, not their spelling (3248.0 is 3248.00): exactly, as decimals
      new Decimal(p.tt).eq(cfdi.total) &&
      (p.fe === undefined || cfdi.sello === undefined || p.fe === cfdi.sello.slice(-8));
    return xml(200, coincide ? respuesta(cfdi) : N601);
  }
}

/** The expresión's fields, or null when it is not one the SAT would read. */
function parametros(expresion: string): { id: string; re: string; rr: string; tt: string; fe?: string } | null {
  const inicio = INICIO.exec(expresion);
  if (!inicio) return null;
  const campos = new Map<string, string>();
  // an RFC's "&" arrives as "&amp;": only a bare "&" separates fields
  for (const par of expresion.slice(inicio[0].length).split(/&(?!amp;)/)) {
    const [k, v] = par.split(/=(.*)/s);
    if (campos.has(k) || v === undefined) return null;
    campos.set(k, v.replace(/&amp;/g, '&'));
  }
  const [id, re, rr, tt, fe] = ['id', 're', 'rr', 'tt', 'fe'].map((k) => campos.get(k));
  if (campos.size !== (fe === undefined ? 4 : 5) || !id || !re || !rr || !tt) return null;
  if (!UUID.test(id) || !RFC.test(re) || !RFC.test(rr) || !TOTAL.test(tt)) return null;
  return { id, re, rr, tt, fe };
}

/** The real answer with this CFDI's values in its fields. */
function respuesta(cfdi: CfdiRegistrado): string {
  const valores: Record<string, string> = {
    EsCancelable: cfdi.esCancelable ?? '',
    Estado: cfdi.estado,
    EstatusCancelacion: cfdi.estatusCancelacion ?? '',
    ValidacionEFOS: cfdi.validacionEfos ?? '200',
  };
  return VIGENTE.replace(/<a:(\w+)(?:\/>|>[^<]*<\/a:\1>)/g, (original, nombre: string) =>
    nombre in valores ? (valores[nombre] ? `<a:${nombre}>${escapeAttr(valores[nombre])}</a:${nombre}>` : `<a:${nombre}/>`) : original,
  );
}
