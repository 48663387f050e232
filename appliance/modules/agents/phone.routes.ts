import { Router, type Request } from 'express';
import { requireRole } from '../../http/middleware/auth.js';
import { SIP_PROXY_PATH } from '../../http/sip-proxy.js';
import type { BrowserPhoneAccess } from './browser-phone.js';

export interface PhoneRouteDeps {
  access: BrowserPhoneAccess;
  /** FreeSWITCH's $${domain}, or null when it is the switch's own address (sipIp auto) and unknown here. */
  domain: string | null;
  jssipVersion: string;
}

/** What the agent's browser phone registers with (GET /agent/phone). */
export interface BrowserPhoneSettings {
  wsPath: string;
  uri: string;
  authorizationUser: string;
  password: string;
  displayName: string;
  userAgent: string;
}

/**
 * /agent/phone (mounted before the workbench's /agent): the browser phone's account for the signed-in agent,
 * and /agent/phone-check, the device check before a shift.
 */
export function phoneRoutes(d: PhoneRouteDeps): Router {
  const r = Router();
  const roles = requireRole('agent', 'supervisor', 'admin');
  // CASE: with sipIp "auto" the domain is FreeSWITCH's own address; force-register-domain makes any host register there.
  const domainOf = (req: Request) => d.domain ?? req.hostname;

  r.get('/phone', roles, (req, res) => {
    // Holds a SIP password: no cache anywhere may keep it.
    res.set('Cache-Control', 'no-store');
    const a = d.access.forUser(req.user!.id);
    if ('status' in a) {
      res.status(403).json({ code: 'phone.not_allowed', message: a.reason });
      return;
    }
    const settings: BrowserPhoneSettings = {
      wsPath: SIP_PROXY_PATH,
      uri: `sip:${a.grant.extension}@${domainOf(req)}`,
      authorizationUser: a.grant.extension,
      password: a.grant.sipPassword,
      displayName: a.grant.displayName,
      userAgent: `Callbox Browser (JsSIP ${d.jssipVersion})`,
    };
    res.json(settings);
  });

  r.get('/phone-check', roles, (req, res) => {
    const a = d.access.forUser(req.user!.id);
    res.render('agent/phone-check', { title: 'Device check', layout: 'agent', user: req.user, phone: 'grant' in a ? { extension: a.grant.extension } : null, refused: 'status' in a ? a.reason : null });
  });
  return r;
}
