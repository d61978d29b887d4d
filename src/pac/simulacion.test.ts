import { describe, expect, it } from 'vitest';
import { parseSimulacion, SIMULACIONES } from './simulacion';

// X-HexaFac-Simular: what each token asks for, and what the parser refuses.

describe('parseSimulacion', () => {
  it('reads each token, case-insensitive, with spaces around commas', () => {
    expect(parseSimulacion('')).toEqual({ ok: true, simulacion: {} });
    expect(parseSimulacion('timeout')).toEqual({ ok: true, simulacion: { timbrado: 'timeout' } });
    expect(parseSimulacion('Timeout-Tras-Timbrar')).toEqual({ ok: true, simulacion: { timbrado: 'timeout_tras_timbrar' } });
    expect(parseSimulacion('error-5xx')).toEqual({ ok: true, simulacion: { timbrado: 'error_5xx' } });
    expect(parseSimulacion('CSD-REVOCADO')).toEqual({ ok: true, simulacion: { timbrado: 'csd_revocado' } });
    expect(parseSimulacion('rechazo=cfdi40108')).toEqual({ ok: true, simulacion: { timbrado: { rechazo: 'CFDI40108' } } });
    expect(parseSimulacion('rechazo=CRP20101')).toEqual({ ok: true, simulacion: { timbrado: { rechazo: 'CRP20101' } } });
    expect(parseSimulacion(' timeout , pac-caido=60 , cancelacion=Vencida ')).toEqual({
      ok: true,
      simulacion: { timbrado: 'timeout', pacCaidoSegundos: 60, cancelacion: 'vencida' },
    });
    expect(parseSimulacion('pac-caido=1,cancelacion=aceptada')).toMatchObject({ simulacion: { pacCaidoSegundos: 1, cancelacion: 'aceptada' } });
    expect(parseSimulacion('pac-caido=3600,cancelacion=rechazada')).toMatchObject({ simulacion: { pacCaidoSegundos: 3600, cancelacion: 'rechazada' } });
  });

  const MALOS: [string, RegExp][] = [
    ['timeout,error-5xx', /una simulación de timbrado/],
    ['timeout,timeout', /una simulación de timbrado/],
    ['csd-revocado,rechazo=CFDI40101', /una simulación de timbrado/],
    ['rechazo=CFDI4010', /matriz de errores/],
    ['rechazo=NOM101', /matriz de errores/],
    ['rechazo', /matriz de errores/],
    ['pac-caido=0', /1 a 3600/],
    ['pac-caido=3601', /1 a 3600/],
    ['pac-caido=1.5', /1 a 3600/],
    ['pac-caido=5=6', /1 a 3600/],
    ['pac-caido', /1 a 3600/],
    ['pac-caido=5,pac-caido=10', /más de una vez/],
    ['cancelacion=tal-vez', /aceptada, rechazada o vencida/],
    ['cancelacion=aceptada,cancelacion=rechazada', /más de una vez/],
    ['timeout=5', /no es una simulación conocida/],
    ['lento', /no es una simulación conocida/],
  ];
  for (const [valor, motivo] of MALOS) {
    it(`refuses "${valor}", listing the valid triggers`, () => {
      const r = parseSimulacion(valor);
      if (r.ok) throw new Error(`accepted ${valor}`);
      expect(r.message).toMatch(motivo);
      expect(r.message).toMatch(/^X-HexaFac-Simular: /);
      for (const s of SIMULACIONES) expect(r.message).toContain(s.token);
    });
  }

  it('SIMULACIONES describes every trigger in one line', () => {
    expect(SIMULACIONES.map((s) => s.token.split('=')[0])).toEqual([
      'timeout',
      'timeout-tras-timbrar',
      'error-5xx',
      'csd-revocado',
      'rechazo',
      'pac-caido',
      'cancelacion',
    ]);
    for (const s of SIMULACIONES) expect(s.descripcion).not.toMatch(/\n/);
  });
});
