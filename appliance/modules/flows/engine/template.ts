/** Variable names flows use: letters, digits and underscores, starting with a letter. */
export const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]{0,39})\}/g;

/** `${name}` replaced by the variable's value; an unset variable is empty (a caller never hears "${name}"). */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => vars[name] ?? '');
}

/** The variables a template reads, for the editor's hints. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}
