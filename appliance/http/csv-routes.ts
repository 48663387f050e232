import type { Request, Response, Router } from 'express';
import { ImportRejected } from '../csv.js';
import type { Actor } from '../modules/users/users.types.js';

/**
 * CSV export and import pages for a list: GET export.csv, GET/POST import. The import takes the file's text
 * (pasted, or read from a chosen file by the page's script) and either imports every row or none, showing each
 * problem by line. Register before any '/:id' route.
 */
export function mountCsv(
  r: Router,
  o: {
    what: string;
    base: string;
    filename: string;
    columns: string;
    example: string;
    /** What the columns mean, when the names do not say enough. */
    help?: string;
    export(): string;
    import(text: string, actor: Actor): { summary: string; created?: { label: string; secret: string }[] };
  },
): void {
  r.get('/export.csv', (_req: Request, res: Response) => {
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="${o.filename}"`);
    res.send(o.export());
  });
  const page = (res: Response, extra: object, status = 200) =>
    res.status(status).render('admin/import', { title: `Import ${o.what}`, what: o.what, base: o.base, columns: o.columns, example: o.example, help: o.help, ...extra });
  r.get('/import', (_req, res) => page(res, {}));
  r.post('/import', (req, res) => {
    const text = String((req.body as Record<string, unknown> | undefined)?.csv ?? '');
    try {
      const result = o.import(text, req.actor());
      res.set('Cache-Control', 'no-store');
      page(res, { result });
    } catch (e) {
      if (!(e instanceof ImportRejected)) throw e;
      page(res, { problems: e.problems, csv: text }, 422);
    }
  });
}
