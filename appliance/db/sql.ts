/** A LIKE pattern that finds `text` anywhere, with the user's % and _ taken literally (use with ESCAPE '\'). */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
