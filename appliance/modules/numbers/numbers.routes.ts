import { Router, type Request } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { mountCsv } from '../../http/csv-routes.js';
import { idParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import type { NumberService } from './numbers.service.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

export interface NumberChoices {
  trunks(): { id: number; name: string }[];
  extensions(): { id: number; number: string; displayName: string }[];
}

/** /admin/numbers: the numbers callers dial, and where their calls go. */
export function numberRoutes(svc: NumberService, choices: NumberChoices): Router {
  const r = Router();
  r.use(requireRole('admin'));
  const view = () => {
    const trunks = choices.trunks();
    const extensions = choices.extensions();
    return {
      trunkOptions: trunks.map((t) => ({ value: String(t.id), label: t.name })),
      extensionOptions: [{ value: '', label: 'Choose an extension' }, ...extensions.map((e) => ({ value: String(e.id), label: `${e.number} · ${e.displayName}` }))],
      destinationOptions: [
        { value: 'extension', label: 'An extension' },
        { value: 'hangup', label: 'Hang up (refuse the call)' },
      ],
      hasTrunks: trunks.length > 0,
      names: { trunk: new Map(trunks.map((t) => [t.id, t.name])), extension: new Map(extensions.map((e) => [e.id, `${e.number} · ${e.displayName}`])) },
    };
  };

  r.get('/', (_req, res) => {
    const v = view();
    const numbers = svc.list().map((n) => ({ ...n, trunkName: v.names.trunk.get(n.trunkId) ?? '?', destination: n.destinationKind === 'extension' ? `Extension ${v.names.extension.get(n.destinationExtensionId!) ?? '?'}` : 'Hang up' }));
    res.render('admin/numbers/index', { title: 'Numbers', numbers, hasTrunks: v.hasTrunks });
  });

  mountCsv(r, {
    what: 'numbers',
    base: '/admin/numbers',
    filename: 'numbers.csv',
    columns: 'number,trunk,destination,inbound',
    example: '+4930123456,Carrier A,1001,yes',
    export: () => svc.exportCsv(),
    import: (text, actor) => ({ summary: `${svc.importCsv(text, actor)} number(s) imported.` }),
  });

  r.get('/new', (_req, res) => res.render('admin/numbers/form', { title: 'New number', values: { isInbound: true, destinationKind: 'extension' }, isNew: true, ...view() }));

  r.post('/', (req, res) => {
    try {
      const n = svc.create(body(req), req.actor());
      req.flash('success', `Number ${n.number} added; FreeSWITCH is being updated.`);
      res.redirect(303, '/admin/numbers');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/numbers/form', { title: 'New number', values: body(req), errors: e.fields, isNew: true, ...view() });
    }
  });

  r.get('/:id', (req, res) => {
    const n = svc.get(idParam(req.params.id, 'number'));
    res.render('admin/numbers/form', { title: n.number, number: n, values: { ...n, trunkId: String(n.trunkId), destinationExtensionId: n.destinationExtensionId ? String(n.destinationExtensionId) : '' }, ...view() });
  });

  r.post('/:id', (req, res) => {
    const n = svc.get(idParam(req.params.id, 'number'));
    try {
      svc.update(n.id, body(req), req.actor());
      req.flash('success', 'Number saved; FreeSWITCH is being updated.');
      res.redirect(303, '/admin/numbers');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/numbers/form', { title: n.number, number: n, values: body(req), errors: e.fields, ...view() });
    }
  });

  r.post('/:id/delete', (req, res) => {
    const n = svc.get(idParam(req.params.id, 'number'));
    if (!unlessRefused(req, res, `/admin/numbers/${n.id}`, () => svc.delete(n.id, req.actor()))) return;
    req.flash('success', `Number ${n.number} deleted.`);
    res.redirect(303, '/admin/numbers');
  });

  return r;
}
