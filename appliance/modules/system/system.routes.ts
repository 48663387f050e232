import { Router } from 'express';
import { homeFor, requireRole } from '../../http/middleware/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SessionService } from '../auth/sessions.service.js';
import type { UserService } from '../users/users.service.js';
import type { SystemService } from './system.service.js';
import type { User } from '../users/users.types.js';

/** Today's calls for the dashboard's tile, as the user may see them (the call records' figures). */
export type CallsToday = (user: User) => unknown;

/** The landing pages, the status page and the health check. */
export function systemRoutes(d: { system: SystemService; users: UserService; audit: AuditService; sessions: SessionService; callsToday?: CallsToday }): Router {
  const r = Router();

  r.get('/healthz', (_req, res) => {
    const h = d.system.health();
    res.status(h.database.ok ? 200 : 503).json(h);
  });

  r.get('/', (req, res) => {
    res.redirect(303, req.user ? homeFor(req.user.role) : '/login');
  });

  r.get('/admin', requireRole('admin', 'supervisor'), (req, res) => {
    const counts = d.users.countByRole();
    const isAdmin = req.user!.role === 'admin';
    res.render('admin/dashboard', {
      title: 'Dashboard',
      freeswitch: d.system.switchStatus(),
      health: d.system.health(),
      counts,
      signedIn: d.sessions.countSignedIn(),
      recent: isAdmin ? d.audit.list({}, 8).items : [],
      isAdmin,
      calls: d.callsToday?.(req.user!) ?? null,
    });
  });

  r.get('/admin/system', requireRole('admin'), (_req, res) => {
    res.render('admin/system/index', { title: 'System', s: d.system.details() });
  });

  return r;
}
