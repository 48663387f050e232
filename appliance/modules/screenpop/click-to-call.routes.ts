import { Router, type Request, type Response } from 'express';
import type { ClickToCallService } from './click-to-call.service.js';

/**
 * POST /api/click-to-call: token auth only. It is mounted before the session and CSRF middleware, so a cookie
 * neither helps nor hurts: a CRM server sends `Authorization: Bearer <token>` and a JSON or form body.
 */
export function clickToCallApiRoutes(calls: ClickToCallService): Router {
  const r = Router();
  r.post('/', async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    const result = await calls.call(req.get('authorization'), req.body, { ip: req.ip ?? '' });
    res.status(202).json({ callId: result.callId });
  });
  return r;
}
