import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, IdempotencyHeadersSchema, jsonContent } from '../../lib/openapi';
import { listSchema, PaginationQuerySchema } from '../../lib/pagination';

const tags = ['Clientes'];

const ejemplo = {
  id: '019a3c5e-7f10-7c3a-9d2e-5b7a1c0e4f21',
  rfc: 'XOJI740919U48',
  nombre: 'INGRID XODAR JIMENEZ',
  domicilio_fiscal: '88965',
  regimen_fiscal: '612',
  uso_cfdi: 'G03',
  email: 'facturas@ejemplo.mx',
  created_at: '2026-11-20T18:00:00.000Z',
  updated_at: '2026-11-20T18:00:00.000Z',
};

const campos = {
  rfc: z
    .string({ error: 'El RFC es obligatorio.' })
    .max(20)
    .describe(
      'RFC del cliente: 12 caracteres persona moral, 13 persona física; se valida formato, fecha y dígito verificador. ' +
        'Se admiten los genéricos XAXX010101000 (público en general) y XEXX010101000 (extranjero), que pueden repetirse.',
    )
    .meta({ example: ejemplo.rfc }),
  nombre: z
    .string({ error: 'El nombre es obligatorio.' })
    .max(1000)
    .describe(
      'Nombre o razón social como en la constancia de situación fiscal, sin régimen societario (sin "S.A. DE C.V."); ' +
        'se guarda en mayúsculas y con un solo espacio entre palabras. Con XAXX010101000 debe ser PUBLICO EN GENERAL.',
    )
    .meta({ example: ejemplo.nombre }),
  domicilio_fiscal: z
    .string()
    .max(20)
    .describe(
      'Código postal del domicilio fiscal (5 dígitos), del catálogo c_CodigoPostal. ' +
        'Con un RFC genérico debe ser (y por omisión es) el lugar de expedición del emisor.',
    )
    .meta({ example: ejemplo.domicilio_fiscal }),
  regimen_fiscal: z
    .string()
    .max(10)
    .describe(
      'c_RegimenFiscal vigente y aplicable al tipo de persona del RFC (p. ej. 601 solo morales, 612 solo físicas). ' +
        'Con un RFC genérico debe ser (y por omisión es) 616.',
    )
    .meta({ example: ejemplo.regimen_fiscal }),
  uso_cfdi: z
    .string()
    .max(10)
    .describe(
      'c_UsoCFDI por omisión en las facturas del cliente; debe aplicar al tipo de persona y admitir su régimen fiscal. ' +
        'Si se omite: G03 cuando el régimen lo admite, si no S01; con RFC genérico, S01.',
    )
    .meta({ example: ejemplo.uso_cfdi }),
  email: z.string().max(1000).describe('Correo para enviar las facturas (opcional).').meta({ format: 'email', example: ejemplo.email }),
};

// Unknown fields are refused, so a misspelt one (say `regimen`) cannot silently take a default.
const sinCamposDesconocidos = {
  error: (iss: { code?: string; keys?: string[] }) =>
    iss.code === 'unrecognized_keys' ? `Campos no reconocidos: ${(iss.keys ?? []).join(', ')}.` : undefined,
};

export const ClienteSchema = z
  .object({
    id: z.string().meta({ example: ejemplo.id }),
    rfc: z.string().meta({ example: ejemplo.rfc }),
    nombre: z.string().meta({ example: ejemplo.nombre }),
    domicilio_fiscal: z.string().meta({ example: ejemplo.domicilio_fiscal }),
    regimen_fiscal: z.string().meta({ example: ejemplo.regimen_fiscal }),
    uso_cfdi: z.string().meta({ example: ejemplo.uso_cfdi }),
    email: z.string().nullable().meta({ example: ejemplo.email }),
    created_at: z.string().meta({ example: ejemplo.created_at }),
    updated_at: z.string().meta({ example: ejemplo.updated_at }),
  })
  .meta({ id: 'Cliente', example: ejemplo });

export const ClienteNuevoSchema = z
  .strictObject(
    {
      rfc: campos.rfc,
      nombre: campos.nombre,
      domicilio_fiscal: campos.domicilio_fiscal.optional(),
      regimen_fiscal: campos.regimen_fiscal.optional(),
      uso_cfdi: campos.uso_cfdi.optional(),
      email: campos.email.nullable().optional(),
    },
    sinCamposDesconocidos,
  )
  .meta({
    id: 'ClienteNuevo',
    example: {
      rfc: 'EKU9003173C9',
      nombre: 'Escuela  Kemper   Urgate',
      domicilio_fiscal: '42501',
      regimen_fiscal: '601',
      email: 'contabilidad@kemper.mx',
    },
  });

export const ClienteCambiosSchema = z
  .strictObject(
    {
      rfc: campos.rfc.optional(),
      nombre: campos.nombre.optional(),
      domicilio_fiscal: campos.domicilio_fiscal.optional(),
      regimen_fiscal: campos.regimen_fiscal.optional(),
      uso_cfdi: campos.uso_cfdi.optional(),
      email: campos.email.nullable().optional().describe('Correo para enviar las facturas; null lo borra.'),
    },
    sinCamposDesconocidos,
  )
  .meta({ id: 'ClienteCambios', example: { regimen_fiscal: '626', uso_cfdi: 'G01' } });

const IdParams = z.object({
  id: z
    .string()
    .max(64)
    .meta({ param: { name: 'id', in: 'path' }, example: ejemplo.id, description: 'Id del cliente.' }),
});

const ListaQuery = PaginationQuerySchema.extend({
  q: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .optional()
    .meta({ description: 'Busca por prefijo del RFC o por parte del nombre, sin distinguir mayúsculas.', example: 'KEMPER' }),
});

export const listar = createRoute({
  method: 'get',
  path: '/clientes',
  operationId: 'listarClientes',
  tags,
  summary: 'Lista los clientes',
  description: 'Del más reciente al más antiguo, paginados con `cursor`; `q` filtra por prefijo de RFC o parte del nombre.',
  security: [{ bearerAuth: ['clientes:read'] }],
  middleware: [requireAuth('clientes:read')] as const,
  request: { query: ListaQuery },
  responses: {
    200: jsonContent(listSchema(ClienteSchema).meta({ id: 'ClienteLista' }), 'Una página de clientes.'),
    ...errorResponses(401, 403, 422),
  },
});

export const crear = createRoute({
  method: 'post',
  path: '/clientes',
  operationId: 'crearCliente',
  tags,
  summary: 'Registra un cliente',
  description:
    'Valida el RFC (longitud, formato, fecha y dígito verificador; el detalle dice qué regla falló), el nombre, el código postal ' +
    '(solo formato: el catálogo c_CodigoPostal no está disponible), el régimen fiscal y el uso de CFDI, y reporta todos los problemas a la vez. ' +
    'Un RFC no genérico solo puede registrarse una vez por aplicación y modo (409 `cliente_duplicado`).',
  security: [{ bearerAuth: ['clientes:write'] }],
  middleware: [requireAuth('clientes:write')] as const,
  request: { headers: IdempotencyHeadersSchema, body: { ...jsonContent(ClienteNuevoSchema, 'El cliente.'), required: true } },
  responses: {
    201: jsonContent(ClienteSchema, 'El cliente registrado.'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/clientes/{id}',
  operationId: 'obtenerCliente',
  tags,
  summary: 'Consulta un cliente',
  security: [{ bearerAuth: ['clientes:read'] }],
  middleware: [requireAuth('clientes:read')] as const,
  request: { params: IdParams },
  responses: {
    200: jsonContent(ClienteSchema, 'El cliente.'),
    ...errorResponses(401, 403, 404),
  },
});

export const actualizar = createRoute({
  method: 'patch',
  path: '/clientes/{id}',
  operationId: 'actualizarCliente',
  tags,
  summary: 'Modifica un cliente',
  description:
    'Solo cambian los campos enviados, pero se valida el cliente resultante completo: p. ej. cambiar el régimen fiscal a uno que no admite ' +
    'el uso de CFDI guardado es un 422 que señala ambos campos. Las facturas ya emitidas no cambian.',
  security: [{ bearerAuth: ['clientes:write'] }],
  middleware: [requireAuth('clientes:write')] as const,
  request: { params: IdParams, body: { ...jsonContent(ClienteCambiosSchema, 'Los campos a cambiar.'), required: true } },
  responses: {
    200: jsonContent(ClienteSchema, 'El cliente modificado.'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const eliminar = createRoute({
  method: 'delete',
  path: '/clientes/{id}',
  operationId: 'eliminarCliente',
  tags,
  summary: 'Elimina un cliente',
  description:
    'Si alguna factura (o nota de crédito o complemento de pago) hace referencia al cliente, la baja es lógica: se conserva para el ' +
    'historial de esas facturas. Si no, se borra definitivamente. En ambos casos después responde 404 y su RFC queda libre para otro cliente.',
  security: [{ bearerAuth: ['clientes:write'] }],
  middleware: [requireAuth('clientes:write')] as const,
  request: { params: IdParams },
  responses: {
    204: { description: 'Cliente eliminado.' },
    ...errorResponses(401, 403, 404),
  },
});
