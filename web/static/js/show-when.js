// Progressive enhancement only: a field that matters for some choices of another field is hidden for the
// others. data-show-when="field=a|b" shows it when that field's value is a or b; "field!=" when it is not empty.
// Without this script every field shows, and the server ignores the ones that do not apply.
function valueOf(form, name) {
  const field = form.elements.namedItem(name);
  if (!field) return '';
  return field.type === 'checkbox' ? (field.checked ? 'on' : '') : field.value;
}

function update(form) {
  for (const el of form.querySelectorAll('[data-show-when]')) {
    const rule = el.getAttribute('data-show-when');
    const negated = rule.includes('!=');
    const [name, values] = rule.split(negated ? '!=' : '=');
    const matches = values.split('|').includes(valueOf(form, name));
    // A field with an error stays in sight, whatever is chosen.
    el.hidden = !el.querySelector('.has-error') && (negated ? matches : !matches);
  }
}

for (const form of document.querySelectorAll('form[data-show-when-form]')) {
  update(form);
  form.addEventListener('change', () => update(form));
}
