// Progressive enhancement: the panel works without JavaScript; with it, secrets get a copy button.
export const CLIENT_JS = `
document.querySelectorAll('[data-copy]').forEach(function (btn) {
  var input = document.getElementById(btn.getAttribute('data-copy'));
  if (!input || !navigator.clipboard) return;
  btn.hidden = false;
  btn.addEventListener('click', function () {
    navigator.clipboard.writeText(input.value).then(function () {
      btn.textContent = 'Copiado';
      setTimeout(function () { btn.textContent = 'Copiar'; }, 2000);
    });
  });
});
document.querySelectorAll('[data-secret]').forEach(function (input) {
  input.addEventListener('focus', function () { input.select(); });
});
`;
