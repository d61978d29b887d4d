// Progressive enhancement only (the form works without it): régimen options narrowed to the persona the RFC's
// length says, and uso CFDI options to those the chosen régimen admits. Served as a file: the CSP allows no inline script.
export const CLIENT_JS = `(() => {
  const rfc = document.getElementById('rfc');
  const regimen = document.getElementById('regimen_fiscal');
  const uso = document.getElementById('uso_cfdi');
  if (!rfc || !regimen || !uso) return;
  const persona = () => { const n = rfc.value.trim().length; return n === 12 ? 'm' : n === 13 ? 'f' : ''; };
  const filtrar = (select, ok) => {
    for (const o of select.options) {
      if (!o.value) continue;
      const visible = ok(o);
      o.hidden = !visible; o.disabled = !visible;
      if (!visible && o.selected) select.value = '';
    }
  };
  const actualizar = () => {
    const p = persona();
    filtrar(regimen, (o) => !p || o.dataset[p] === '1');
    const r = regimen.value;
    filtrar(uso, (o) => (!p || o.dataset[p] === '1') && (!r || (o.dataset.regimenes || '').split(' ').includes(r)));
  };
  rfc.addEventListener('input', actualizar);
  regimen.addEventListener('change', actualizar);
  actualizar();
})();`;
