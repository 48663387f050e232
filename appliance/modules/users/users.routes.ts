import { Router, type Request } from 'express';
import { AppError, ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import type { UserService } from './users.service.js';
import { ROLES } from './users.types.js';

const roleOptions = ROLES.map((r) => ({ value: r, label: r[0]!.toUpperCase() + r.slice(1) }));
const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

/** /admin/users: admins manage accounts. */
export function userRoutes(users: UserService): Router {
  const r = Router();
  r.use(requireRole('admin'));

  r.get('/', (req, res) => {
    const result = users.list(req.query);
    res.render('admin/users/index', { title: 'Users', result, roleOptions });
  });

  r.get('/new', (_req, res) => {
    res.render('admin/users/new', { title: 'New user', values: { role: 'agent' }, roleOptions });
  });

  r.post('/', async (req, res) => {
    try {
      const user = await users.create(body(req), req.actor(), { mustChangePassword: body(req).mustChangePassword === 'on' });
      req.flash('success', `User ${user.username} created.`);
      res.redirect(303, `/admin/users/${user.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/users/new', { title: 'New user', values: body(req), errors: e.fields, roleOptions });
    }
  });

  r.get('/:id', (req, res) => {
    const user = users.get(idParam(req.params.id, 'user'));
    res.render('admin/users/show', { title: user.username, user, values: user, roleOptions, isSelf: user.id === req.user!.id });
  });

  r.post('/:id', (req, res) => {
    const user = users.get(idParam(req.params.id, 'user'));
    try {
      users.update(user.id, body(req), req.actor());
      req.flash('success', `User ${user.username} saved.`);
      res.redirect(303, `/admin/users/${user.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/users/show', { title: user.username, user, values: { ...user, ...body(req) }, errors: e.fields, roleOptions, isSelf: user.id === req.user!.id });
    }
  });

  for (const [action, disable] of [['disable', true], ['enable', false]] as const) {
    r.post(`/:id/${action}`, (req, res) => {
      const id = idParam(req.params.id, 'user');
      try {
        const user = users.setDisabled(id, disable, req.actor());
        req.flash('success', `User ${user.username} ${disable ? 'disabled; their sessions were ended' : 'enabled'}.`);
      } catch (e) {
        if (!(e instanceof AppError) || e.status !== 409) throw e;
        req.flash('error', e.message);
      }
      res.redirect(303, `/admin/users/${id}`);
    });
  }

  r.post('/:id/reset-password', async (req, res) => {
    const { user, temporaryPassword } = await users.resetPassword(idParam(req.params.id, 'user'), req.actor());
    // Shown once, never stored in a flash message or cached.
    res.set('Cache-Control', 'no-store');
    res.render('admin/users/password-reset', { title: `New password for ${user.username}`, user, temporaryPassword });
  });

  return r;
}
