import { Router, type NextFunction, type Request, type Response } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam, listParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import type { AgentMemberships } from '../agents/memberships.js';
import type { QueueService } from './queues.service.js';
import type { QueueSupervisors } from './supervisors.js';
import { describeDestination, formChoices, formValues, newFormChoices, newQueueValues, strategyName, strategyOptions, type QueueChoices } from './queues.view.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

/**
 * Only numeric ids are this router's: anything else (the live view at /admin/queues/live) is left to the
 * routers mounted after it, whatever order app.ts mounts them in.
 */
export const numericIdsOnly = (_req: Request, _res: Response, next: NextFunction, id: string) => next(/^\d+$/.test(id) ? undefined : 'router');

/** /admin/queues: the list with a short new form, and each queue's page (settings and members). Staff manage queues. */
export function queueRoutes(svc: QueueService, members: AgentMemberships, choices: QueueChoices, supervisors: QueueSupervisors): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor'));
  r.param('id', numericIdsOnly);

  const names = () => ({
    queue: new Map(svc.options().map((q) => [q.id, q.name])),
    flow: new Map(choices.flows().map((f) => [f.id, f.name])),
    extension: new Map(choices.extensions().map((e) => [e.id, `${e.number} · ${e.displayName}`])),
  });

  const index = (req: Request, res: Response, form: { values: Record<string, unknown>; errors?: Record<string, string> } = { values: newQueueValues }) => {
    const result = svc.list(req.query);
    const known = names();
    const skills = new Map(choices.skills().map((s) => [s.id, s.name]));
    res.render('admin/queues/index', {
      title: 'Queues',
      result: {
        ...result,
        items: result.items.map((q) => ({
          ...q,
          strategyName: strategyName(q.strategy),
          skillName: q.skillId ? (skills.get(q.skillId) ?? '?') : null,
          members: members.idsOf(q.id).length,
          overflowText: describeDestination(q.overflow, known),
        })),
      },
      strategyFilter: strategyOptions.map((o) => ({ value: o.value, label: o.label.split(':')[0], selected: o.value === result.filter.strategy })),
      values: form.values,
      errors: form.errors,
      ...newFormChoices(choices),
    });
  };

  const page = (
    res: Response,
    id: number,
    form: { values?: Record<string, unknown>; errors?: Record<string, string>; memberErrors?: Record<string, string>; memberValues?: Record<string, unknown>; supervisorErrors?: Record<string, string>; supervisorIds?: number[] } = {},
  ) => {
    const q = svc.get(id);
    const chosen = new Set(form.supervisorIds ?? supervisors.idsOf(id));
    const known = supervisors.choices();
    const list = members.of(id);
    const serving = new Set(list.map((m) => m.id));
    res.render('admin/queues/show', {
      title: q.name,
      queue: q,
      values: form.values ?? formValues(q),
      errors: form.errors,
      ...formChoices(choices, svc.options(), id),
      members: list.map((m) => ({
        ...m,
        positionValue: form.memberValues?.[`position_${m.id}`] ?? String(m.position),
        positionError: form.memberErrors?.[`position_${m.id}`] ?? null,
        level: q.skillId ? (m.skills.find((s) => s.skillId === q.skillId)?.level ?? null) : null,
        device: m.device.kind === 'extension' ? `extension ${m.device.extension}` : m.device.number,
      })),
      requiredSkill: q.skillId ? (choices.skills().find((s) => s.id === q.skillId)?.name ?? '?') : null,
      isSequential: q.strategy === 'sequential',
      agentOptions: [{ value: '', label: 'Choose an agent' }, ...choices.agents().filter((a) => !serving.has(a.id)).map((a) => ({ value: String(a.id), label: `${a.number} · ${a.name}` }))],
      memberErrors: form.memberErrors,
      memberValues: form.memberValues ?? {},
      usedBy: svc.usedBy(id),
      // Supervisors see the queue's call records: only an admin may change who they are.
      isAdmin: res.locals.currentUser?.role === 'admin',
      supervisorOptions: known.map((u) => ({ value: String(u.id), label: u.name, selected: chosen.has(u.id) })),
      supervisorNames: known.filter((u) => chosen.has(u.id)).map((u) => u.name),
      supervisorErrors: form.supervisorErrors,
    });
  };

  r.get('/', (req, res) => index(req, res));

  r.post('/', (req, res) => {
    try {
      const q = svc.create(body(req), req.actor());
      req.flash('success', `Queue ${q.name} created. Add its members and set how callers wait below.`);
      res.redirect(303, `/admin/queues/${q.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      index(req, res, { values: body(req), errors: e.fields });
    }
  });

  r.get('/:id', (req, res) => page(res, idParam(req.params.id, 'queue')));

  r.post('/:id', (req, res) => {
    const id = idParam(req.params.id, 'queue');
    try {
      const q = svc.update(id, body(req), req.actor());
      req.flash('success', `Queue ${q.name} saved.`);
      res.redirect(303, `/admin/queues/${id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      page(res, id, { values: body(req), errors: e.fields });
    }
  });

  r.post('/:id/delete', (req, res) => {
    const q = svc.get(idParam(req.params.id, 'queue'));
    if (!unlessRefused(req, res, `/admin/queues/${q.id}`, () => svc.delete(q.id, req.actor()))) return;
    req.flash('success', `Queue ${q.name} deleted.`);
    res.redirect(303, '/admin/queues');
  });

  r.post('/:id/members', (req, res) => {
    const id = idParam(req.params.id, 'queue');
    try {
      const m = members.add(id, body(req), req.actor());
      req.flash('success', `Agent ${m.number} (${m.name}) now serves this queue, at position ${m.position}.`);
      res.redirect(303, `/admin/queues/${id}#members`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      page(res, id, { memberErrors: e.fields, memberValues: body(req) });
    }
  });

  r.post('/:id/members/order', (req, res) => {
    const id = idParam(req.params.id, 'queue');
    try {
      members.order(id, body(req), req.actor());
      req.flash('success', 'Order saved.');
      res.redirect(303, `/admin/queues/${id}#members`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      page(res, id, { memberErrors: e.fields, memberValues: body(req) });
    }
  });

  r.post('/:id/supervisors', requireRole('admin'), (req, res) => {
    const id = svc.get(idParam(req.params.id, 'queue')).id;
    try {
      const ids = supervisors.set(id, body(req), req.actor());
      req.flash('success', ids.length ? `Supervisors saved: ${ids.length}.` : 'This queue has no supervisors now.');
      res.redirect(303, `/admin/queues/${id}#supervisors`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      page(res, id, { supervisorErrors: e.fields, supervisorIds: listParam(body(req).supervisorIds).map(Number) });
    }
  });

  r.post('/:id/members/:agent/delete', (req, res) => {
    const id = idParam(req.params.id, 'queue');
    const agentId = idParam(req.params.agent, 'agent');
    members.remove(id, agentId, req.actor());
    req.flash('success', 'The agent no longer serves this queue.');
    res.redirect(303, `/admin/queues/${id}#members`);
  });

  return r;
}
