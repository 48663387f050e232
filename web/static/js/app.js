// Progressive enhancement only: every page works without this file.
document.addEventListener('click', (e) => {
  const toggle = e.target.closest('[data-menu-toggle]');
  if (!toggle) return;
  const nav = document.getElementById(toggle.getAttribute('aria-controls'));
  const open = nav.classList.toggle('open');
  toggle.setAttribute('aria-expanded', String(open));
});

// Forms that do something hard to undo ask first.
document.addEventListener('submit', (e) => {
  // A button may carry its own question (a second action of the form, through formaction).
  const message = e.submitter?.getAttribute('data-confirm') ?? e.target.getAttribute('data-confirm');
  if (message && !window.confirm(message)) e.preventDefault();
});

// A chosen CSV file is read into the text area it names, so the import is one ordinary form post.
document.addEventListener('change', (e) => {
  const input = e.target.closest('input[type=file][data-fill]');
  if (!input || !input.files[0]) return;
  input.files[0].text().then((text) => {
    document.getElementById(input.getAttribute('data-fill')).value = text;
  });
});
