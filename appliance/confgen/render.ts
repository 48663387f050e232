import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { freeswitchConfDir } from '../paths.js';
import type { ConfModel } from './model.js';

export const TEMPLATE_DIR = join(freeswitchConfDir, 'templates');

/** A private Handlebars instance for XML: strict (a missing field throws), never shared with the console. */
const hbs = Handlebars.create();

let compiled: { path: string; template: Handlebars.TemplateDelegate }[] | undefined;
function templates() {
  compiled ??= (readdirSync(TEMPLATE_DIR, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.hbs'))
    .sort()
    .map((f) => ({
      path: f.slice(0, -4).replaceAll('\\', '/'),
      template: hbs.compile(readFileSync(join(TEMPLATE_DIR, f), 'utf8'), { strict: true, noEscape: false }),
    }));
  return compiled;
}

export class RenderError extends Error {
  override name = 'RenderError';
}

/**
 * Render every template to a map of relative path → content, and check each file is well-formed XML.
 * Throws RenderError naming the file; nothing is written here.
 */
export function renderTree(model: ConfModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of templates()) {
    let text: string;
    try {
      text = t.template(model);
    } catch (e) {
      throw new RenderError(`${t.path}: ${(e as Error).message}`);
    }
    // Included fragments may hold several elements; wrap them to check, as FreeSWITCH's include does.
    const check = XMLValidator.validate(text.startsWith('<?xml') ? text : `<wrap>${text}</wrap>`);
    if (check !== true) throw new RenderError(`${t.path}: not well-formed XML: ${check.err.msg} (line ${check.err.line})`);
    out.set(t.path, text);
  }
  return out;
}

