import { Router, type Request, type Response } from 'express';
import { ValidationError } from '../../errors.js';
import { mountCsv } from '../../http/csv-routes.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import { VIP_CSV_COLUMNS, type VipCallerService } from './vip-callers.service.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
const priorityOptions = Array.from({ length: 9 }, (_, i) => ({ value: String(9 - i), label: `${9 - i}${i === 0 ? ' (first)' : ''}` }));

/** /admin/vip-callers: numbers served first in every queue. Staff manage them. */
export function vipCallerRoutes(svc: VipCallerService): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor'));

  const index = (req: Request, res: Response, form: { values: Record<string, unknown>; errors?: Record<string, string> } = { values: { priority: '5' } }) => {
    const result = svc.list(req.query);
    res.render('admin/vip-callers/index', {
      title: 'VIP callers',
      result,
      values: form.values,
      errors: form.errors,
      priorityOptions,
      priorityFilter: priorityOptions.map((o) => ({ ...o, selected: String(result.filter.priority) === o.value })),
    });
  };

  r.get('/', (req, res) => index(req, res));

  r.post('/', (req, res) => {
    try {
      const v = svc.create(body(req), req.actor());
      req.flash('success', `${v.number} is served first, with priority ${v.priority}.`);
      res.redirect(303, '/admin/vip-callers');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      index(req, res, { values: body(req), errors: e.fields });
    }
  });

  mountCsv(r, {
    what: 'VIP callers',
    base: '/admin/vip-callers',
    filename: 'vip-callers.csv',
    columns: VIP_CSV_COLUMNS.join(','),
    example: '+4930123456,9,Key account: Acme',
    help: 'number and priority are required: the number as callers send it (digits, optionally after a +), the priority from 1 to 9 (9 first). note is optional. Numbers already on the list are refused; edit them here instead.',
    export: () => svc.exportCsv(),
    import: (text, actor) => ({ summary: `${svc.importCsv(text, actor)} VIP caller(s) imported.` }),
  });

  r.get('/:id', (req, res) => {
    const v = svc.get(idParam(req.params.id, 'VIP caller'));
    res.render('admin/vip-callers/show', { title: `VIP caller ${v.number}`, vip: v, values: { ...v, priority: String(v.priority) }, priorityOptions });
  });

  r.post('/:id', (req, res) => {
    const v = svc.get(idParam(req.params.id, 'VIP caller'));
    try {
      svc.update(v.id, body(req), req.actor());
      req.flash('success', 'VIP caller saved.');
      res.redirect(303, '/admin/vip-callers');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/vip-callers/show', { title: `VIP caller ${v.number}`, vip: v, values: body(req), errors: e.fields, priorityOptions });
    }
  });

  r.post('/:id/delete', (req, res) => {
    const v = svc.get(idParam(req.params.id, 'VIP caller'));
    svc.delete(v.id, req.actor());
    req.flash('success', `${v.number} is no longer a VIP caller.`);
    res.redirect(303, '/admin/vip-callers');
  });

  return r;
}
