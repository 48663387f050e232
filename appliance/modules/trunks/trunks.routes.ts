import { Router, type Request } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam, listParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import type { TrunkService } from './trunks.service.js';
import { CODECS, DTMF_MODES, TRANSPORTS, type Trunk } from './trunks.types.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
const options = {
  authModes: [
    { value: 'ip', label: 'IP address (the carrier sends from known addresses)' },
    { value: 'registration', label: 'Registration (we sign in to the carrier)' },
  ],
  transports: TRANSPORTS.map((t) => ({ value: t, label: t.toUpperCase() })),
  dtmfModes: DTMF_MODES.map((d) => ({ value: d, label: d === 'rfc2833' ? 'RFC 2833 (telephone events)' : d === 'info' ? 'SIP INFO' : 'In-band (in the audio)' })),
  codecs: CODECS,
};
/** Form values from a trunk: lists as the text the form shows. */
const formValues = (t: Trunk) => ({ ...t, allowedCidrs: t.allowedCidrs.join(' '), password: '' });
const defaults = { authMode: 'ip', port: 5060, transport: 'udp', dtmfMode: 'rfc2833', maxCalls: 30, expirySeconds: 600, codecs: ['PCMU', 'PCMA'], isEnabled: true };
const formBody = (req: Request) => {
  const b = body(req);
  return { ...b, codecs: listParam(b.codecs) };
};

/** /admin/trunks: carrier connections with their live status. */
export function trunkRoutes(svc: TrunkService): Router {
  const r = Router();
  r.use(requireRole('admin'));

  r.get('/', (_req, res) => res.render('admin/trunks/index', { title: 'Trunks', trunks: svc.list() }));
  r.get('/new', (_req, res) => res.render('admin/trunks/form', { title: 'New trunk', values: defaults, isNew: true, ...options }));

  r.post('/', (req, res) => {
    try {
      const t = svc.create(body(req), req.actor());
      req.flash('success', `Trunk ${t.name} created; FreeSWITCH is being updated.`);
      res.redirect(303, `/admin/trunks/${t.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/trunks/form', { title: 'New trunk', values: formBody(req), errors: e.fields, isNew: true, ...options });
    }
  });

  r.get('/:id', (req, res) => {
    const trunk = svc.get(idParam(req.params.id, 'trunk'));
    res.render('admin/trunks/form', { title: trunk.name, trunk, values: formValues(trunk), ...options });
  });

  r.post('/:id', (req, res) => {
    const trunk = svc.get(idParam(req.params.id, 'trunk'));
    try {
      if (!unlessRefused(req, res, `/admin/trunks/${trunk.id}`, () => svc.update(trunk.id, body(req), req.actor()))) return;
      req.flash('success', 'Trunk saved; FreeSWITCH is being updated.');
      res.redirect(303, `/admin/trunks/${trunk.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/trunks/form', { title: trunk.name, trunk, values: formBody(req), errors: e.fields, ...options });
    }
  });

  r.post('/:id/delete', (req, res) => {
    const trunk = svc.get(idParam(req.params.id, 'trunk'));
    if (!unlessRefused(req, res, `/admin/trunks/${trunk.id}`, () => svc.delete(trunk.id, req.actor()))) return;
    req.flash('success', `Trunk ${trunk.name} deleted.`);
    res.redirect(303, '/admin/trunks');
  });

  return r;
}
