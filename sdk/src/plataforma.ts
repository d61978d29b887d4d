import type { Query, Transport } from './client.js';
import { List } from './pagination.js';
import type { CreateOptions } from './resources.js';
import type { BodyOf, PaginationParams, QueryOf, ResponseOf } from './types.js';

// What a platform (hfx_plat_… key) does by API: its applications (issuers), their CSD, keys, series and folios.

export type AplicacionPlataforma = ResponseOf<'/plataforma/aplicaciones/{id}', 'get'>;
export type AplicacionNueva = BodyOf<'/plataforma/aplicaciones', 'post'>;
export type AplicacionCambios = BodyOf<'/plataforma/aplicaciones/{id}', 'patch'>;
export type AplicacionesListParams = PaginationParams & Pick<QueryOf<'/plataforma/aplicaciones', 'get'>, 'status'>;
export type CsdAplicacion = ResponseOf<'/plataforma/aplicaciones/{id}/csd', 'put'>;
export type ApiKeyNueva = BodyOf<'/plataforma/aplicaciones/{id}/api-keys', 'post'>;
/** A new key of an application, with its token: shown only in this answer. */
export type ApiKeyAplicacionCreada = ResponseOf<'/plataforma/aplicaciones/{id}/api-keys', 'post'>;
export type ApiKeyAplicacion = ResponseOf<'/plataforma/aplicaciones/{id}/api-keys', 'get'> extends { data: (infer K)[] } ? K : Record<string, unknown>;
export type FolioSiguiente = BodyOf<'/plataforma/aplicaciones/{id}/folios/{serie}', 'put'>;
export type FolioFijado = ResponseOf<'/plataforma/aplicaciones/{id}/folios/{serie}', 'put'>;

/** The CSD's files as bytes (read from disk or an upload) and the key's password, used once and never stored. */
export interface ArchivosCsd {
  cer: Uint8Array;
  key: Uint8Array;
  password: string;
}

const seg = encodeURIComponent;

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

class ApiKeysDeAplicacion {
  constructor(private readonly t: Transport) {}

  /** Mints a key of the application (`mode` test or live); `token` comes only in this answer. */
  create(applicationId: string, body: ApiKeyNueva, options: CreateOptions = {}): Promise<ApiKeyAplicacionCreada> {
    return this.t.create(`/plataforma/aplicaciones/${seg(applicationId)}/api-keys`, body, options);
  }

  /** Its keys, newest first, revoked and expired ones too; never their tokens. */
  async list(applicationId: string): Promise<ApiKeyAplicacion[]> {
    const r = await this.t.json<{ data: ApiKeyAplicacion[] }>({ method: 'GET', path: `/plataforma/aplicaciones/${seg(applicationId)}/api-keys` });
    return r.data;
  }

  revoke(applicationId: string, keyId: string): Promise<void> {
    return this.t.json({ method: 'DELETE', path: `/plataforma/aplicaciones/${seg(applicationId)}/api-keys/${seg(keyId)}` });
  }
}

export class Aplicaciones {
  readonly keys: ApiKeysDeAplicacion;

  constructor(private readonly t: Transport) {
    this.keys = new ApiKeysDeAplicacion(t);
  }

  create(body: AplicacionNueva, options: CreateOptions = {}): Promise<AplicacionPlataforma> {
    return this.t.create('/plataforma/aplicaciones', body, options);
  }

  list(params: AplicacionesListParams = {}): List<AplicacionPlataforma> {
    return new List(this.t, '/plataforma/aplicaciones', params as Query);
  }

  retrieve(id: string): Promise<AplicacionPlataforma> {
    return this.t.json({ method: 'GET', path: `/plataforma/aplicaciones/${seg(id)}` });
  }

  /** Only the given fields change; the RFC cannot once a CSD is loaded. */
  update(id: string, body: AplicacionCambios): Promise<AplicacionPlataforma> {
    return this.t.json({ method: 'PATCH', path: `/plataforma/aplicaciones/${seg(id)}`, body });
  }

  /** Its keys stop at once (401 application_suspended). */
  suspend(id: string): Promise<AplicacionPlataforma> {
    return this.t.json({ method: 'POST', path: `/plataforma/aplicaciones/${seg(id)}/suspender`, safeToRepeat: true });
  }

  reactivate(id: string): Promise<AplicacionPlataforma> {
    return this.t.json({ method: 'POST', path: `/plataforma/aplicaciones/${seg(id)}/reactivar`, safeToRepeat: true });
  }

  /** Loads (or replaces) the application's CSD; checked as the admin panel checks it. Answers the certificate, never the key. */
  uploadCsd(id: string, archivos: ArchivosCsd): Promise<CsdAplicacion> {
    const body = { cer_base64: base64(archivos.cer), key_base64: base64(archivos.key), password: archivos.password };
    return this.t.json({ method: 'PUT', path: `/plataforma/aplicaciones/${seg(id)}/csd`, body });
  }

  /** The next folio a serie gives (both modes, or `mode`'s); the counter only moves forward (409 folio_retrocede). */
  setFolio(id: string, serie: string, body: FolioSiguiente): Promise<FolioFijado> {
    return this.t.json({ method: 'PUT', path: `/plataforma/aplicaciones/${seg(id)}/folios/${seg(serie)}`, body });
  }
}

/** `new HexaFac('hfx_plat_…', opts).platform`: what a platform key operates. */
export class Plataforma {
  readonly applications: Aplicaciones;

  constructor(t: Transport) {
    this.applications = new Aplicaciones(t);
  }
}
