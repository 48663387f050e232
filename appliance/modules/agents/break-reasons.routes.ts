import { Router, type Request } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import type { BreakReasonService } from './break-reasons.service.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

/** /admin/break-reasons: what agents choose when they are not ready. Staff manage them. */
export function breakReasonRoutes(svc: BreakReasonService): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor'));

  r.get('/', (_req, res) => res.render('admin/break-reasons/index', { title: 'Break reasons', reasons: svc.list(), values: {} }));

  r.post('/', (req, res) => {
    try {
      const b = svc.create(body(req), req.actor());
      req.flash('success', `Break reason ${b.name} added: agents can choose it now.`);
      res.redirect(303, '/admin/break-reasons');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/break-reasons/index', { title: 'Break reasons', reasons: svc.list(), values: body(req), errors: e.fields });
    }
  });

  r.get('/:id', (req, res) => {
    const b = svc.get(idParam(req.params.id, 'break reason'));
    res.render('admin/break-reasons/show', { title: `Break reason ${b.name}`, reason: b, values: b });
  });

  r.post('/:id', (req, res) => {
    const b = svc.get(idParam(req.params.id, 'break reason'));
    try {
      if (!unlessRefused(req, res, `/admin/break-reasons/${b.id}`, () => svc.rename(b.id, body(req), req.actor()))) return;
      req.flash('success', 'Break reason renamed.');
      res.redirect(303, '/admin/break-reasons');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/break-reasons/show', { title: `Break reason ${b.name}`, reason: b, values: body(req), errors: e.fields });
    }
  });

  for (const [action, isEnabled] of [['enable', true], ['disable', false]] as const) {
    r.post(`/:id/${action}`, (req, res) => {
      const b = svc.get(idParam(req.params.id, 'break reason'));
      if (!unlessRefused(req, res, '/admin/break-reasons', () => svc.setEnabled(b.id, isEnabled, req.actor()))) return;
      req.flash('success', isEnabled ? `Agents can choose ${b.name} again.` : `${b.name} is no longer offered to agents.`);
      res.redirect(303, '/admin/break-reasons');
    });
  }

  r.post('/:id/delete', (req, res) => {
    const b = svc.get(idParam(req.params.id, 'break reason'));
    if (!unlessRefused(req, res, '/admin/break-reasons', () => svc.delete(b.id, req.actor()))) return;
    req.flash('success', `Break reason ${b.name} deleted.`);
    res.redirect(303, '/admin/break-reasons');
  });

  return r;
}
