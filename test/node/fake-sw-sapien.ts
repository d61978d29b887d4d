// A local stand-in for SW Sapien's REST API (and the SAT's ConsultaCFDIService that SW's SDKs call), on
// 127.0.0.1, speaking the paths and JSON shapes SW publishes (see src/pac/sw-sapien.ts). It stamps for real:
// TimbreFiscalDigital 1.1 signed with the sandbox PAC fixture key, so SelloSAT verifies with that certificate.
// Like a PAC it remembers every stamp by the CFDI's Sello, so a second submission gets the 307 answer.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cadenaOriginalTfd, attr, parseXml, timbrarCfdi } from '../../src/cfdi';

/** What the next stamp or cancel request gets instead of the normal answer; consumed in order. */
export type Comportamiento =
  /** answer this status and JSON body, without stamping */
  | { tipo: 'http'; status: number; cuerpo?: unknown }
  /** never answer (the client must time out) */
  | { tipo: 'colgar' }
  /** stamp (recorded), then never answer */
  | { tipo: 'timbrarYColgar' }
  /** stamp (recorded), then drop the connection without answering */
  | { tipo: 'timbrarYCortar' };

export interface Solicitud {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** the `xml` field of a multipart stamp request */
  xml?: string;
  /** the status answered (undefined when the request was left hanging or cut) */
  status?: number;
}

export interface Timbrado {
  uuid: string;
  rfcEmisor: string;
  rfcReceptor: string;
  total: string;
  datos: Record<string, string>;
  estado: 'Vigente' | 'Cancelado';
  estatusCancelacion?: string;
}

export interface OpcionesFake {
  user: string;
  password: string;
  /** SAT-style sandbox key and its NoCertificado */
  llave: CryptoKey;
  noCertificadoSAT: string;
  /** accepted without authentication, never expires (SW's "token infinito") */
  tokenInfinito?: string;
  tokenTtlSeg?: number;
  /** HTTP status of the 307 answer (the body is what matters) */
  status307?: number;
  ahora?: () => number;
}

const RFC_PROV_CERTIF = 'AAA010101AAA'; // fictitious: this fake is not a PAC
const MENSAJE_307 = '307. El comprobante contiene un timbre previo.';

const json = (res: ServerResponse, status: number, cuerpo: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(cuerpo));
};

const error = (message: string, messageDetail: string | null = null) => ({ message, messageDetail, data: null, status: 'error' });

/** FechaTimbrado is the SAT's local time in central Mexico, without offset. */
function fechaMexico(ms: number): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'America/Mexico_City',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
    .format(new Date(ms))
    .replace(' ', 'T');
}

export class FakeSwSapien {
  readonly solicitudes: Solicitud[] = [];
  /** stamps by the CFDI's Sello */
  readonly timbres = new Map<string, Timbrado>();
  /** cancellations wait for the receptor's acceptance (SAT "En proceso") */
  requiereAceptacion = false;
  autenticaciones = 0;
  private readonly tokens = new Map<string, number>();
  private readonly pendientes: Comportamiento[] = [];
  private readonly ahora: () => number;
  private server!: Server;
  url = '';

  private constructor(private readonly opts: OpcionesFake) {
    this.ahora = opts.ahora ?? Date.now;
  }

  static async iniciar(opts: OpcionesFake): Promise<FakeSwSapien> {
    const fake = new FakeSwSapien(opts);
    fake.server = createServer((req, res) => {
      fake.atender(req, res).catch((e: Error) => {
        if (!res.headersSent) json(res, 500, error('500 - Error interno del fake', e.message));
      });
    });
    await new Promise<void>((ok) => fake.server.listen(0, '127.0.0.1', ok));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The next stamp/cancel requests get these behaviours, in order; after them, normal answers. */
  siguiente(...c: Comportamiento[]): void {
    this.pendientes.push(...c);
  }

  /** SW forgets every temporary token (as when they expire): the next call with one gets 401. */
  expirarTokens(): void {
    this.tokens.clear();
  }

  get timbresEmitidos(): number {
    return this.timbres.size;
  }

  porUuid(uuid: string): Timbrado | undefined {
    for (const t of this.timbres.values()) if (t.uuid === uuid.toUpperCase()) return t;
    return undefined;
  }

  async cerrar(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  private async atender(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const cuerpo = Buffer.concat(chunks);
    const path = new URL(req.url ?? '/', this.url).pathname;
    const s: Solicitud = { method: req.method ?? '', path, headers: req.headers, body: cuerpo.toString('utf8') };
    this.solicitudes.push(s);
    res.on('finish', () => {
      s.status = res.statusCode;
    });
    if (req.method !== 'POST') return json(res, 405, error('Método no permitido'));
    if (path === '/v2/security/authenticate') return this.autenticar(s, res);
    if (path === '/ConsultaCFDIService.svc') return this.consultar(s, res);
    const cancelacion = /^\/cfdi33\/cancel\/([^/]+)\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (path !== '/cfdi33/stamp/v4' && !cancelacion) return json(res, 404, error('404 - Ruta no encontrada'));
    if (!this.autorizado(req)) return json(res, 401, error('Unauthorized', 'El token no es válido o expiró'));

    const c = this.pendientes.shift();
    if (c?.tipo === 'http') return json(res, c.status, c.cuerpo ?? error(`${c.status}`));
    if (c?.tipo === 'colgar') return;
    if (cancelacion) return this.cancelar(res, cancelacion.slice(1, 5).map((p) => p && decodeURIComponent(p)));

    const ct = req.headers['content-type'] ?? '';
    if (!ct.startsWith('multipart/form-data')) return json(res, 400, error('Content-Type inválido', 'Se espera multipart/form-data'));
    const xml: unknown = (await new Response(cuerpo, { headers: { 'content-type': ct } }).formData()).get('xml');
    s.xml = xml instanceof Blob ? await xml.text() : typeof xml === 'string' ? xml : undefined;
    const resultado = await this.timbrar(s.xml ?? '');
    if (c?.tipo === 'timbrarYColgar') return;
    if (c?.tipo === 'timbrarYCortar') {
      req.socket.destroy();
      return;
    }
    json(res, resultado.status, resultado.cuerpo);
  }

  private autenticar(s: Solicitud, res: ServerResponse): void {
    let creds: { user?: string; password?: string } = {};
    try {
      creds = JSON.parse(s.body);
    } catch {
      // an unreadable body is just a failed authentication
    }
    if (creds.user !== this.opts.user || creds.password !== this.opts.password) {
      return json(res, 400, error('AU2000 - El usuario y/o contraseña son inválidos, no se puede autenticar el servicio.'));
    }
    this.autenticaciones++;
    const token = `tok.${randomUUID()}`;
    const expiraSeg = Math.floor(this.ahora() / 1000) + (this.opts.tokenTtlSeg ?? 7200);
    this.tokens.set(token, expiraSeg * 1000);
    json(res, 200, { data: { token, expires_in: expiraSeg, tokeny_type: 'Bearer' }, status: 'success' });
  }

  private autorizado(req: IncomingMessage): boolean {
    const m = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    if (this.opts.tokenInfinito && m[1] === this.opts.tokenInfinito) return true;
    const expira = this.tokens.get(m[1]);
    return expira !== undefined && this.ahora() < expira;
  }

  private async timbrar(xml: string): Promise<{ status: number; cuerpo: unknown }> {
    let comprobante;
    try {
      comprobante = parseXml(xml);
    } catch (e) {
      return { status: 400, cuerpo: error('301 - La estructura del comprobante es incorrecta.', (e as Error).message) };
    }
    const sello = attr(comprobante, 'Sello');
    if (!sello) return { status: 400, cuerpo: error('302 - Sello mal formado o inválido.') };
    const previo = this.timbres.get(sello);
    if (previo) return { status: this.opts.status307 ?? 400, cuerpo: { message: MENSAJE_307, messageDetail: null, data: previo.datos, status: 'error' } };

    const uuid = randomUUID();
    const { xml: cfdi, timbre } = await timbrarCfdi(xml, {
      uuid,
      fechaTimbrado: fechaMexico(this.ahora()),
      rfcProvCertif: RFC_PROV_CERTIF,
      noCertificadoSAT: this.opts.noCertificadoSAT,
      llave: this.opts.llave,
    });
    const hijo = (local: string) => comprobante.children.find((c) => typeof c !== 'string' && c.local === local);
    const emisor = hijo('Emisor');
    const receptor = hijo('Receptor');
    const datos = {
      cfdi,
      cadenaOriginalSAT: cadenaOriginalTfd(cfdi),
      noCertificadoSAT: timbre.noCertificadoSAT,
      noCertificadoCFDI: attr(comprobante, 'NoCertificado') ?? '',
      uuid, // lower case, as in SW's published example; the XML carries it upper case
      selloSAT: timbre.selloSAT,
      selloCFDI: sello,
      fechaTimbrado: timbre.fechaTimbrado,
      qrCode: '', // SW sends a PNG of the verification QR; nothing here reads it
    };
    this.timbres.set(sello, {
      uuid: timbre.uuid,
      rfcEmisor: (emisor && typeof emisor !== 'string' && attr(emisor, 'Rfc')) || '',
      rfcReceptor: (receptor && typeof receptor !== 'string' && attr(receptor, 'Rfc')) || '',
      total: attr(comprobante, 'Total') ?? '',
      datos,
      estado: 'Vigente',
    });
    return { status: 200, cuerpo: { data: datos, status: 'success' } };
  }

  private cancelar(res: ServerResponse, [rfc, uuid, motivo, folioSustitucion]: (string | undefined)[]): void {
    if (!['01', '02', '03', '04'].includes(motivo ?? '')) return json(res, 400, error('CACFDI33 - Motivo de cancelación inválido.'));
    if (motivo === '01' && !folioSustitucion) return json(res, 400, error('CACFDI33 - El motivo 01 requiere folioSustitucion.'));
    const t = this.porUuid(uuid ?? '');
    // the SAT's EstatusUUID: 201 received, 202 already cancelled, 203 not the issuer's, 205 unknown
    const estatus = !t ? '205' : t.rfcEmisor !== rfc ? '203' : t.estado === 'Cancelado' ? '202' : '201';
    if (t && estatus === '201') {
      if (this.requiereAceptacion) t.estatusCancelacion = 'En proceso';
      else {
        t.estado = 'Cancelado';
        t.estatusCancelacion = 'Cancelado sin aceptación';
      }
    }
    const acuse =
      '<?xml version="1.0" encoding="utf-8"?>' +
      `<Acuse xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Fecha="${fechaMexico(this.ahora())}" RfcEmisor="${rfc}">` +
      `<Folios xmlns="http://cancelacfd.sat.gob.mx"><UUID>${(uuid ?? '').toUpperCase()}</UUID><EstatusUUID>${estatus}</EstatusUUID></Folios></Acuse>`;
    json(res, 200, { data: { acuse, uuid: { [(uuid ?? '').toUpperCase()]: estatus } }, status: 'success' });
  }

  /** The SAT's ConsultaCFDIService `Consulta` (SOAP 1.1), keyed by the expresionImpresa's id. */
  private consultar(s: Solicitud, res: ServerResponse): void {
    const expresion = /<expresionImpresa>([\s\S]*?)<\/expresionImpresa>/.exec(s.body)?.[1].replace(/&amp;/g, '&') ?? '';
    const params = new URLSearchParams(expresion.replace(/^\?/, ''));
    const t = this.porUuid(params.get('id') ?? '');
    const coincide = t && t.rfcEmisor === params.get('re') && t.rfcReceptor === params.get('rr') && t.total === params.get('tt');
    const estado = coincide ? t.estado : 'No Encontrado';
    const campos = coincide
      ? `<a:CodigoEstatus>S - Comprobante obtenido satisfactoriamente.</a:CodigoEstatus><a:EsCancelable>Cancelable sin aceptación</a:EsCancelable>` +
        `<a:Estado>${estado}</a:Estado><a:EstatusCancelacion>${t.estatusCancelacion ?? ''}</a:EstatusCancelacion>`
      : '<a:CodigoEstatus>N - 602: Comprobante no encontrado.</a:CodigoEstatus><a:EsCancelable/><a:Estado>No Encontrado</a:Estado><a:EstatusCancelacion/>';
    res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
    res.end(
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ConsultaResponse xmlns="http://tempuri.org/">' +
        '<ConsultaResult xmlns:a="http://schemas.datacontract.org/2004/07/Sat.Cfdi.Negocio.ConsultaCfdi.Servicio" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
        campos +
        '</ConsultaResult></ConsultaResponse></s:Body></s:Envelope>',
    );
  }
}
