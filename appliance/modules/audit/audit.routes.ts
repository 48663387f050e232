import { Router } from 'express';
import { requireRole } from '../../http/middleware/auth.js';
import type { AuditService } from './audit.service.js';

/** /admin/audit: who changed what, newest first, filterable. */
export function auditRoutes(audit: AuditService): Router {
  const r = Router();
  r.use(requireRole('admin'));
  r.get('/', (req, res) => {
    const result = audit.list(req.query);
    res.render('admin/audit/index', { title: 'Audit log', result, actions: audit.actions() });
  });
  return r;
}
