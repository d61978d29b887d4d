import { describe, expect, it } from 'vitest';
import { api, createEmisor, expectError, facturaBase, insertarPendiente } from '../helpers';

// Shape errors read like the fiscal ones (src/lib/mensajes.ts): a bad body through the real Worker, the exact
// detail each field gets, with the codes clients rely on (HFX_CAMPO_REQUERIDO, HFX_CAMPO_DESCONOCIDO, HFX_FORMATO).

const { app, token } = await createEmisor();
const concepto = facturaBase().conceptos[0]!;
const conConcepto = (over: Record<string, unknown>) => facturaBase({ conceptos: [{ ...concepto, ...over }] });

const CASOS: [string, string, unknown, { path: string; message: string; code: string }][] = [
  ['a list given as text', '/facturas', facturaBase({ conceptos: 'x' }), { path: 'conceptos', message: 'Debe ser una lista.', code: 'HFX_FORMATO' }],
  ['an empty list', '/facturas', facturaBase({ conceptos: [] }), { path: 'conceptos', message: 'Debe tener al menos un elemento.', code: 'HFX_FORMATO' }],
  [
    'a decimal of the wrong type',
    '/facturas',
    conConcepto({ cantidad: true }),
    { path: 'conceptos[0].cantidad', message: 'Debe ser un número decimal, en texto o número, p. ej. "2" o "1.5".', code: 'HFX_FORMATO' },
  ],
  ['a text given as a number', '/facturas', conConcepto({ descripcion: 5 }), { path: 'conceptos[0].descripcion', message: 'Debe ser un texto.', code: 'HFX_FORMATO' }],
  ['an empty text', '/facturas', conConcepto({ descripcion: '' }), { path: 'conceptos[0].descripcion', message: 'No puede estar vacío.', code: 'HFX_FORMATO' }],
  ['a missing field', '/facturas', conConcepto({ descripcion: undefined }), { path: 'conceptos[0].descripcion', message: 'Campo obligatorio.', code: 'HFX_CAMPO_REQUERIDO' }],
  ['an unknown key', '/facturas', facturaBase({ confirmacion: 'x' }), { path: 'confirmacion', message: 'El campo confirmacion no existe en esta API.', code: 'HFX_CAMPO_DESCONOCIDO' }],
  ['a missing list outside the core', '/webhooks', { url: 'https://ejemplo.com/h' }, { path: 'events', message: 'Campo obligatorio.', code: 'HFX_CAMPO_REQUERIDO' }],
  ['a too long text', '/webhooks', { url: `https://ejemplo.com/${'a'.repeat(3000)}`, events: ['*'] }, { path: 'url', message: 'Admite hasta 2048 caracteres.', code: 'HFX_FORMATO' }],
];

describe('shape messages through the API', () => {
  it.each(CASOS)('%s', async (_, ruta, body, detalle) => {
    const err = await expectError(await api('POST', ruta, { token, body }), 422, 'validation_error');
    expect(err.details).toContainEqual(detalle);
    expect(JSON.stringify(err.details)).not.toMatch(/Demasiado|se esperaba|Entrada inválida/);
  });

  it('an enum names its values', async () => {
    const err = await expectError(await api('POST', '/webhooks', { token, body: { url: 'https://ejemplo.com/h', events: ['factura.inventada'] } }), 422);
    expect(err.details[0]).toMatchObject({ path: 'events[0]', code: 'HFX_FORMATO' });
    expect(err.details[0]!.message).toMatch(/^Debe ser uno de: factura\.timbrada, .*\*\.$/);
  });
});

describe('messages about a comprobante agree with it', () => {
  it('a pending one has no XML yet and cannot be cancelled', async () => {
    const id = await insertarPendiente(app.id);
    const xml = await expectError(await api('GET', `/facturas/${id}/xml`, { token }), 409, 'factura_no_timbrada');
    expect(xml.message).toBe('El comprobante está pendiente de timbrar: aún no tiene XML.');
    const cancelar = await expectError(await api('POST', `/facturas/${id}/cancelar`, { token, body: { motivo: '02' } }), 409, 'no_cancelable');
    expect(cancelar.message).toBe('El comprobante está pendiente de timbrar: solo un CFDI timbrado puede cancelarse.');
  });
});
