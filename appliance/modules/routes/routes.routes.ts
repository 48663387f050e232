import { Router, type Request } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam, listParam } from '../../http/params.js';
import type { RouteService } from './routes.service.js';
import type { OutboundRoute } from './routes.types.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

export interface RouteChoices {
  trunks(): { id: number; name: string }[];
  numbers(): { id: number; number: string }[];
}

/** /admin/routes: outbound routes, the outbound policy, and the calls it refused. */
export function routeRoutes(svc: RouteService, choices: RouteChoices): Router {
  const r = Router();
  r.use(requireRole('admin'));
  const options = () => ({
    trunkOptions: choices.trunks().map((t) => ({ value: String(t.id), label: t.name })),
    numberOptions: [{ value: '', label: 'Choose a number' }, ...choices.numbers().map((n) => ({ value: String(n.id), label: n.number }))],
    classOptions: [
      { value: 'local', label: 'Local' },
      { value: 'national', label: 'National' },
      { value: 'international', label: 'International' },
    ],
  });
  const routeValues = (x: OutboundRoute) => ({ ...x, trunkIds: x.trunkIds.map(String), callerIdNumberId: String(x.callerIdNumberId) });
  const formBody = (req: Request) => {
    const b = body(req);
    return { ...b, trunkIds: listParam(b.trunkIds) };
  };
  const index = (extra: object) => {
    const trunks = new Map(choices.trunks().map((t) => [t.id, t.name]));
    const policy = svc.policy();
    return {
      title: 'Outbound routes',
      routes: svc.list().map((x) => ({ ...x, trunkNames: x.trunkIds.map((id) => trunks.get(id) ?? '?').join(' → ') })),
      policy,
      policyValues: { ...policy, premiumPrefixes: policy.premiumPrefixes.join(' '), emergencyNumbers: policy.emergencyNumbers.join(' ') },
      blocked: svc.recentBlocked(),
      ...extra,
    };
  };

  r.get('/', (_req, res) => res.render('admin/routes/index', index({})));

  r.post('/policy', (req, res) => {
    try {
      svc.setPolicy(body(req), req.actor());
      req.flash('success', 'Outbound policy saved; FreeSWITCH is being updated.');
      res.redirect(303, '/admin/routes');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/routes/index', index({ policyValues: body(req), errors: e.fields }));
    }
  });

  r.get('/new', (_req, res) => res.render('admin/routes/form', { title: 'New outbound route', values: { position: svc.list().length + 1, strip: 0, callClass: 'national', isEnabled: true, trunkIds: [] }, isNew: true, ...options() }));

  r.post('/', (req, res) => {
    try {
      const x = svc.create(body(req), req.actor());
      req.flash('success', `Route ${x.name} created; FreeSWITCH is being updated.`);
      res.redirect(303, '/admin/routes');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/routes/form', { title: 'New outbound route', values: formBody(req), errors: e.fields, isNew: true, ...options() });
    }
  });

  r.get('/:id', (req, res) => {
    const x = svc.get(idParam(req.params.id, 'route'));
    res.render('admin/routes/form', { title: x.name, route: x, values: routeValues(x), ...options() });
  });

  r.post('/:id', (req, res) => {
    const x = svc.get(idParam(req.params.id, 'route'));
    try {
      svc.update(x.id, body(req), req.actor());
      req.flash('success', 'Route saved; FreeSWITCH is being updated.');
      res.redirect(303, '/admin/routes');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/routes/form', { title: x.name, route: x, values: formBody(req), errors: e.fields, ...options() });
    }
  });

  r.post('/:id/delete', (req, res) => {
    const x = svc.get(idParam(req.params.id, 'route'));
    svc.delete(x.id, req.actor());
    req.flash('success', `Route ${x.name} deleted.`);
    res.redirect(303, '/admin/routes');
  });
  return r;
}
