import { Router, type Request } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import type { SkillService } from './skills.service.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

/** /admin/skills: what queues require of agents. Staff manage them. */
export function skillRoutes(svc: SkillService): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor'));

  r.get('/', (_req, res) => res.render('admin/skills/index', { title: 'Skills', skills: svc.list(), values: {} }));

  r.post('/', (req, res) => {
    try {
      const s = svc.create(body(req), req.actor());
      req.flash('success', `Skill ${s.name} added: give it to agents on their pages, and require it in queues.`);
      res.redirect(303, '/admin/skills');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/skills/index', { title: 'Skills', skills: svc.list(), values: body(req), errors: e.fields });
    }
  });

  r.get('/:id', (req, res) => {
    const s = svc.get(idParam(req.params.id, 'skill'));
    res.render('admin/skills/show', { title: `Skill ${s.name}`, skill: s, values: s, usedBy: svc.usersOf(s.id) });
  });

  r.post('/:id', (req, res) => {
    const s = svc.get(idParam(req.params.id, 'skill'));
    try {
      const after = svc.update(s.id, body(req), req.actor());
      req.flash('success', `Skill ${after.name} saved.`);
      res.redirect(303, '/admin/skills');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/skills/show', { title: `Skill ${s.name}`, skill: s, values: body(req), errors: e.fields, usedBy: svc.usersOf(s.id) });
    }
  });

  r.post('/:id/delete', (req, res) => {
    const s = svc.get(idParam(req.params.id, 'skill'));
    if (!unlessRefused(req, res, `/admin/skills/${s.id}`, () => svc.delete(s.id, req.actor()))) return;
    req.flash('success', `Skill ${s.name} deleted.`);
    res.redirect(303, '/admin/skills');
  });

  return r;
}
