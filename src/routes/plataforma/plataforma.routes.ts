import { createRoute, z } from '@hono/zod-openapi';
import { SCOPES } from '../../lib/auth';
import { requirePlatformAuth, type PlatformScope } from '../../lib/auth-plataforma';
import { MODES } from '../../lib/mode';
import { errorResponses, IdempotencyHeadersSchema, jsonContent } from '../../lib/openapi';
import { listSchema, PaginationQuerySchema } from '../../lib/pagination';

// A platform's applications by API, with its hfx_plat_ key: the issuers it invoices for, their CSD, their keys and
// their series. Every {id} is one of the calling platform's applications; another platform's is a 404.

const tags = ['Plataforma'];

const seguridad = (scope: PlatformScope) => ({
  security: [{ platformAuth: [scope] }],
  middleware: [requirePlatformAuth(scope)] as [ReturnType<typeof requirePlatformAuth>],
});

const ejemplo = {
  id: '019a3c5e-7f10-7c3a-9d2e-5b7a1c0e4f21',
  platform_id: '019a3c5e-0000-7c3a-9d2e-5b7a1c0e4f00',
  name: 'Sucursal Pachuca',
  description: 'Tienda 14 del ERP',
  status: 'active',
  rfc: 'EKU9003173C9',
  razon_social: 'ESCUELA KEMPER URGATE',
  regimen_fiscal: '601',
  lugar_expedicion: '42501',
  series: { I: 'PAC', E: 'PNC' },
  csd: { rfc: 'EKU9003173C9', no_certificado: '30001000000500003416', valido_hasta: '2027-05-18T11:43:51.000Z', vigente: true },
  created_at: '2026-11-20T18:00:00.000Z',
  updated_at: '2026-11-20T18:00:00.000Z',
  links: {
    self: '/api/hexafac/v1/plataforma/aplicaciones/019a3c5e-7f10-7c3a-9d2e-5b7a1c0e4f21',
    csd: '/api/hexafac/v1/plataforma/aplicaciones/019a3c5e-7f10-7c3a-9d2e-5b7a1c0e4f21/csd',
    api_keys: '/api/hexafac/v1/plataforma/aplicaciones/019a3c5e-7f10-7c3a-9d2e-5b7a1c0e4f21/api-keys',
  },
};

const serie = () => z.string().max(25).describe('De 1 a 25 caracteres, una línea, sin `|` (el atributo Serie del CFDI).');

export const SeriesAplicacionSchema = z
  .strictObject({
    I: serie().optional().describe('Serie de las facturas (ingreso) que no indican una; sin ella, F.'),
    E: serie().optional().describe('Serie de las notas de crédito (egreso); sin ella, NC.'),
    P: serie().optional().describe('Serie de los complementos de pago; sin ella, CP.'),
    N: serie().optional().describe('Serie de los recibos de nómina; sin ella, N.'),
    T: serie().optional().describe('Serie de los traslados; sin ella, T.'),
  })
  .meta({ id: 'SeriesAplicacion', example: ejemplo.series });

export const CsdAplicacionSchema = z
  .object({
    rfc: z.string().describe('RFC del emisor, el del certificado.'),
    no_certificado: z.string().describe('Número de certificado (20 dígitos).'),
    valido_hasta: z.string().describe('Fin de la vigencia del certificado (ISO 8601).'),
    vigente: z.boolean().describe('Si hoy está dentro de su vigencia.'),
  })
  .meta({ id: 'CsdAplicacion', example: ejemplo.csd });

export const AplicacionPlataformaSchema = z
  .object({
    id: z.string(),
    platform_id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(['active', 'suspended']).describe('`suspended`: sus API keys reciben 401 `application_suspended`.'),
    rfc: z.string(),
    razon_social: z.string(),
    regimen_fiscal: z.string(),
    lugar_expedicion: z.string(),
    series: SeriesAplicacionSchema,
    csd: CsdAplicacionSchema.nullable().describe('El CSD cargado (nunca la llave ni su contraseña); null si aún no hay.'),
    created_at: z.string(),
    updated_at: z.string(),
    links: z.object({ self: z.string(), csd: z.string(), api_keys: z.string() }),
  })
  .meta({ id: 'AplicacionPlataforma', example: ejemplo });

const campos = {
  name: z.string().max(100).describe('Nombre para reconocerla (1–100 caracteres).').meta({ example: ejemplo.name }),
  description: z.string().max(500).describe('Opcional, hasta 500 caracteres.').meta({ example: ejemplo.description }),
  rfc: z.string().max(13).describe('RFC del emisor; no cambia una vez cargado su CSD.').meta({ example: ejemplo.rfc }),
  razon_social: z
    .string()
    .max(254)
    .describe('Como en la Constancia de Situación Fiscal, sin régimen societario; se guarda en mayúsculas.')
    .meta({ example: ejemplo.razon_social }),
  regimen_fiscal: z.string().max(10).describe('c_RegimenFiscal aplicable al tipo de persona del RFC.').meta({ example: ejemplo.regimen_fiscal }),
  lugar_expedicion: z.string().max(10).describe('Código postal de expedición (5 dígitos).').meta({ example: ejemplo.lugar_expedicion }),
};

export const AplicacionNuevaSchema = z
  .strictObject({ ...campos, description: campos.description.optional(), series: SeriesAplicacionSchema.optional() })
  .meta({
    id: 'AplicacionNueva',
    example: { name: ejemplo.name, rfc: ejemplo.rfc, razon_social: 'Escuela Kemper Urgate', regimen_fiscal: '601', lugar_expedicion: '42501', series: { I: 'PAC' } },
  });

export const AplicacionCambiosSchema = z
  .strictObject({
    name: campos.name.optional(),
    description: campos.description.nullable().optional(),
    rfc: campos.rfc.optional(),
    razon_social: campos.razon_social.optional(),
    regimen_fiscal: campos.regimen_fiscal.optional(),
    lugar_expedicion: campos.lugar_expedicion.optional(),
    series: SeriesAplicacionSchema.nullable().optional().describe('Reemplaza las series por omisión; null las quita todas.'),
  })
  .meta({ id: 'AplicacionCambios', example: { name: 'Sucursal Centro', series: { I: 'C', P: 'CP' } } });

const base64 = (que: string) =>
  z
    .string()
    .max(90_000)
    .regex(/^[A-Za-z0-9+/=\s]*$/, 'Debe ser base64.')
    .describe(`El archivo ${que} en base64.`);

/** The start of the SAT's test CSD (EKU9003173C9) and its password: the docs' example, the whole files in a real call. */
export const EJEMPLO_CSD = { cer_base64: 'MIIFsDCCA5igAwIBAgIUMzAwMDEwMDAwMDA1MDAwMDM0MTY=', key_base64: 'MIIFDjBABgkqhkiG9w0BBQ0wMzAbBgkqhkiG9w0BBQww', password: '12345678a' };

export const CsdJsonSchema = z
  .strictObject({
    cer_base64: base64('.cer (certificado del CSD, DER)'),
    key_base64: base64('.key (llave privada PKCS#8 cifrada)'),
    password: z.string().max(256).describe('La contraseña de la llave privada: se usa una vez y no se guarda ni se registra.'),
  })
  .meta({ id: 'CsdBase64', example: EJEMPLO_CSD });

const archivo = (que: string) =>
  z
    .instanceof(File)
    .optional()
    .openapi({ type: 'string', format: 'binary', description: `El archivo ${que}.` });

export const CsdMultipartSchema = z
  .object({
    cer: archivo('.cer del CSD'),
    key: archivo('.key del CSD'),
    password: z.string().max(256).optional().describe('La contraseña de la llave privada: se usa una vez y no se guarda ni se registra.'),
  })
  .meta({ id: 'CsdArchivos' });

const ApiKeyPlataformaSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    mode: z.enum(MODES),
    prefix: z.string().describe('El inicio del token, para reconocerla.'),
    scopes: z.array(z.string()),
    expires_at: z.string().nullable(),
    last_used_at: z.string().nullable().describe('Último uso, con precisión de un minuto.'),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({
    id: 'ApiKeyAplicacion',
    example: {
      id: '019a3c5f-1111-7c3a-9d2e-5b7a1c0e4f21',
      name: 'Punto de venta',
      mode: 'test',
      prefix: 'hfx_test_Ab3dE',
      scopes: ['facturas:read', 'facturas:write'],
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
      created_at: '2026-11-20T18:00:00.000Z',
    },
  });

export const ApiKeyCreadaSchema = ApiKeyPlataformaSchema.extend({
  token: z.string().describe('El token completo: se muestra solo en esta respuesta; se guarda solo su SHA-256.'),
}).meta({ id: 'ApiKeyAplicacionCreada' });

export const ApiKeyNuevaSchema = z
  .strictObject({
    name: z.string().max(100).describe('Para reconocerla (1–100 caracteres).'),
    mode: z.enum(MODES).describe('`test`: sandbox; `live`: producción.'),
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length).describe('Al menos uno.'),
    expires: z.string().max(40).optional().describe('AAAA-MM-DD (válida hasta el fin de ese día UTC) o un instante RFC 3339; sin él, no expira.'),
  })
  .meta({ id: 'ApiKeyNueva', example: { name: 'Punto de venta', mode: 'test', scopes: ['facturas:read', 'facturas:write'] } });

export const FolioSiguienteSchema = z
  .strictObject({
    siguiente: z.number().int().min(1).max(1_000_000_000_000).describe('El folio que tomará el siguiente comprobante de la serie que no indique uno.'),
    mode: z.enum(MODES).optional().describe('Solo ese modo; sin él, ambos.'),
  })
  .meta({ id: 'FolioSiguiente', example: { siguiente: 1001, mode: 'live' } });

export const FolioFijadoSchema = z
  .object({
    serie: z.string(),
    siguiente: z.object({ test: z.number().int().optional(), live: z.number().int().optional() }).describe('Por modo, el folio siguiente.'),
  })
  .meta({ id: 'FolioFijado', example: { serie: 'PAC', siguiente: { live: 1001 } } });

const IdParams = z.object({
  id: z.string().max(64).meta({ param: { name: 'id', in: 'path' }, example: ejemplo.id, description: 'Id de la aplicación.' }),
});
const KeyParams = IdParams.extend({
  key_id: z.string().max(64).meta({ param: { name: 'key_id', in: 'path' }, example: '019a3c5f-1111-7c3a-9d2e-5b7a1c0e4f21', description: 'Id de la API key.' }),
});
const SerieParams = IdParams.extend({
  serie: z.string().max(25).meta({ param: { name: 'serie', in: 'path' }, example: 'PAC', description: 'La serie (1–25 caracteres).' }),
});

const ListaQuery = PaginationQuerySchema.extend({
  status: z.enum(['active', 'suspended']).optional().meta({ description: 'Solo las de ese estado.' }),
});

const jsonBody = <T extends z.ZodType>(schema: T, description: string) => ({ body: { ...jsonContent(schema, description), required: true } });

export const crear = createRoute({
  method: 'post',
  path: '/plataforma/aplicaciones',
  operationId: 'crearAplicacionPlataforma',
  tags,
  summary: 'Crea una aplicación (un emisor) de la plataforma',
  description:
    'Valida el RFC, la razón social, el régimen fiscal (aplicable al tipo de persona), el código postal y las series, y reporta todos los ' +
    'problemas a la vez. Después se sube su CSD (`PUT …/csd`) y se crean sus API keys (`POST …/api-keys`).',
  ...seguridad('aplicaciones:write'),
  request: { headers: IdempotencyHeadersSchema, ...jsonBody(AplicacionNuevaSchema, 'El emisor.') },
  responses: {
    201: jsonContent(AplicacionPlataformaSchema, 'La aplicación creada (en `Location`).'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const listar = createRoute({
  method: 'get',
  path: '/plataforma/aplicaciones',
  operationId: 'listarAplicacionesPlataforma',
  tags,
  summary: 'Lista las aplicaciones de la plataforma',
  description: 'De la más reciente a la más antigua, paginadas con `cursor`; `status` filtra.',
  ...seguridad('aplicaciones:read'),
  request: { query: ListaQuery },
  responses: {
    200: jsonContent(listSchema(AplicacionPlataformaSchema).meta({ id: 'AplicacionPlataformaLista' }), 'Una página de aplicaciones.'),
    ...errorResponses(401, 403, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/plataforma/aplicaciones/{id}',
  operationId: 'obtenerAplicacionPlataforma',
  tags,
  summary: 'Consulta una aplicación de la plataforma',
  ...seguridad('aplicaciones:read'),
  request: { params: IdParams },
  responses: {
    200: jsonContent(AplicacionPlataformaSchema, 'La aplicación.'),
    ...errorResponses(401, 403, 404),
  },
});

export const actualizar = createRoute({
  method: 'patch',
  path: '/plataforma/aplicaciones/{id}',
  operationId: 'actualizarAplicacionPlataforma',
  tags,
  summary: 'Modifica una aplicación de la plataforma',
  description:
    'Solo cambian los campos enviados, pero se valida el emisor resultante completo. El RFC no puede cambiar una vez cargado un CSD ' +
    '(el certificado lo nombra). Los comprobantes ya emitidos no cambian.',
  ...seguridad('aplicaciones:write'),
  request: { params: IdParams, ...jsonBody(AplicacionCambiosSchema, 'Los campos a cambiar.') },
  responses: {
    200: jsonContent(AplicacionPlataformaSchema, 'La aplicación modificada.'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 422),
  },
});

export const suspender = createRoute({
  method: 'post',
  path: '/plataforma/aplicaciones/{id}/suspender',
  operationId: 'suspenderAplicacionPlataforma',
  tags,
  summary: 'Suspende una aplicación',
  description: 'Sus API keys dejan de funcionar de inmediato (401 `application_suspended`); nada se borra.',
  ...seguridad('aplicaciones:write'),
  request: { params: IdParams },
  responses: {
    200: jsonContent(AplicacionPlataformaSchema, 'La aplicación suspendida.'),
    // No body is read, but one is still checked on the way in (size, Content-Type), and so is the id's length.
    ...errorResponses(401, 403, 404, 413, 415, 422),
  },
});

export const reactivar = createRoute({
  method: 'post',
  path: '/plataforma/aplicaciones/{id}/reactivar',
  operationId: 'reactivarAplicacionPlataforma',
  tags,
  summary: 'Reactiva una aplicación suspendida',
  description: 'Sus API keys vigentes vuelven a funcionar.',
  ...seguridad('aplicaciones:write'),
  request: { params: IdParams },
  responses: {
    200: jsonContent(AplicacionPlataformaSchema, 'La aplicación activa.'),
    // No body is read, but one is still checked on the way in (size, Content-Type), and so is the id's length.
    ...errorResponses(401, 403, 404, 413, 415, 422),
  },
});

export const subirCsd = createRoute({
  method: 'put',
  path: '/plataforma/aplicaciones/{id}/csd',
  operationId: 'subirCsdAplicacionPlataforma',
  tags,
  summary: 'Carga (o reemplaza) el CSD de la aplicación',
  description:
    'Como `multipart/form-data` (campos `cer`, `key`, `password`) o como JSON con los archivos en base64. Se comprueba que sea un CSD ' +
    '(no la e.firma/FIEL), del RFC del emisor, vigente, que la llave corresponda al certificado y que la contraseña la abra; cada ' +
    'problema en su campo (422). La llave se guarda cifrada; la contraseña no se guarda ni se registra, y la respuesta no trae ninguna.',
  ...seguridad('aplicaciones:write'),
  request: {
    params: IdParams,
    body: {
      content: {
        'multipart/form-data': { schema: CsdMultipartSchema },
        'application/json': { schema: CsdJsonSchema },
      },
      description: 'El certificado, la llave privada y su contraseña.',
      required: false,
    },
  },
  responses: {
    200: jsonContent(CsdAplicacionSchema, 'El CSD cargado.'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 422),
  },
});

export const crearApiKey = createRoute({
  method: 'post',
  path: '/plataforma/aplicaciones/{id}/api-keys',
  operationId: 'crearApiKeyAplicacionPlataforma',
  tags,
  summary: 'Crea una API key de la aplicación',
  description: 'El token (`hfx_test_…` o `hfx_live_…`) viene solo en esta respuesta (y en su repetición con la misma Idempotency-Key).',
  ...seguridad('aplicaciones:write'),
  request: { params: IdParams, headers: IdempotencyHeadersSchema, ...jsonBody(ApiKeyNuevaSchema, 'La API key.') },
  responses: {
    201: jsonContent(ApiKeyCreadaSchema, 'La API key, con su token por única vez.'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const listarApiKeys = createRoute({
  method: 'get',
  path: '/plataforma/aplicaciones/{id}/api-keys',
  operationId: 'listarApiKeysAplicacionPlataforma',
  tags,
  summary: 'Lista las API keys de la aplicación',
  description: 'De la más reciente a la más antigua, revocadas y expiradas incluidas; nunca los tokens.',
  ...seguridad('aplicaciones:read'),
  request: { params: IdParams },
  responses: {
    200: jsonContent(z.object({ data: z.array(ApiKeyPlataformaSchema) }).meta({ id: 'ApiKeyAplicacionLista' }), 'Las API keys.'),
    ...errorResponses(401, 403, 404),
  },
});

export const revocarApiKey = createRoute({
  method: 'delete',
  path: '/plataforma/aplicaciones/{id}/api-keys/{key_id}',
  operationId: 'revocarApiKeyAplicacionPlataforma',
  tags,
  summary: 'Revoca una API key de la aplicación',
  description: 'Deja de funcionar de inmediato (401 `api_key_revoked`). Una ya revocada responde 404.',
  ...seguridad('aplicaciones:write'),
  request: { params: KeyParams },
  responses: {
    204: { description: 'Revocada.' },
    ...errorResponses(401, 403, 404),
  },
});

export const fijarFolio = createRoute({
  method: 'put',
  path: '/plataforma/aplicaciones/{id}/folios/{serie}',
  operationId: 'fijarFolioAplicacionPlataforma',
  tags,
  summary: 'Fija el siguiente folio de una serie',
  description:
    'Para continuar la numeración de otro sistema: el siguiente comprobante de la serie que no indique folio toma `siguiente`. ' +
    'El contador solo avanza: un `siguiente` que no sea mayor que un folio ya asignado es un 409 `folio_retrocede` y nada cambia. ' +
    'Con `mode` se fija solo en ese modo; sin él, en ambos.',
  ...seguridad('aplicaciones:write'),
  request: { params: SerieParams, ...jsonBody(FolioSiguienteSchema, 'El siguiente folio.') },
  responses: {
    200: jsonContent(FolioFijadoSchema, 'El contador movido.'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});
