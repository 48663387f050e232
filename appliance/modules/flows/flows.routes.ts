import { Router, type Request, type Response } from 'express';
import { NotFoundError, ValidationError } from '../../errors.js';
import { sendAudio } from '../../http/audio.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import { FlowInvalidError, type FlowService } from './flows.service.js';
import { httpNodes, readSimulatorForm, readSimulatorJson, resultView, simulatorValues, zoneOptions } from './flows.simulate.js';
import { editorView, extensionOptions, FALLBACK_OPTIONS, graphSvg, type EditorForms, type FlowChoices } from './flows.view.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** Node ids are the engine's short ids (n1, n2 …); anything else is a page that does not exist. */
function nodeParam(raw: string | string[] | undefined): string {
  const s = Array.isArray(raw) ? raw[0] : raw;
  if (!s || !/^n\d{1,6}$/.test(s)) throw new NotFoundError('flow.node_not_found', { node: s }, { message: 'No such node in this flow.' });
  return s;
}

/**
 * /admin/flows: the list, the editor (settings, nodes, problems, versions) and the simulator. Supervisors may
 * look and simulate (a simulation changes nothing); only admins change flows.
 */
export function flowRoutes(svc: FlowService, choices: FlowChoices, clock: { now(): number }): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor'));
  const admin = requireRole('admin');

  const list = (req: Request, res: Response, form: { values: Record<string, unknown>; errors?: Record<string, string> } = { values: { fallbackKind: 'hangup' } }) => {
    const q = text(req.query.q).trim();
    const flows = svc.list().filter((f) => !q || f.name.toLowerCase().includes(q.toLowerCase()));
    res.render('admin/flows/index', {
      title: 'Flows',
      flows,
      q,
      canEdit: req.user?.role === 'admin',
      values: form.values,
      errors: form.errors,
      fallbackOptions: FALLBACK_OPTIONS,
      extensionOptions: extensionOptions(choices, form.values.fallbackExtensionId).map(({ value, label }) => ({ value, label })),
    });
  };

  const editor = (req: Request, res: Response, id: number, forms: EditorForms = {}, extra: Record<string, unknown> = {}) => {
    const flow = svc.get(id);
    const summary = svc.summary(id);
    const view = editorView(flow, { problems: svc.problems(id), versions: svc.versions(id), runs: svc.runs.recent(id, 20), lookups: svc.lookups, published: svc.latestPublished(id), isChanged: summary.isChanged, usedBy: summary.usedBy }, choices, forms);
    res.render('admin/flows/editor', { ...view, canEdit: req.user?.role === 'admin', ...extra });
  };

  /** Make a change; a refused form re-renders the editor with what was posted and what is wrong. */
  const change = (req: Request, res: Response, id: number, form: (errors: Record<string, string>) => EditorForms, done: () => string, run: () => void) => {
    try {
      if (!unlessRefused(req, res, `/admin/flows/${id}`, run)) return;
      req.flash('success', done());
      res.redirect(303, `/admin/flows/${id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      editor(req, res, id, form(e.fields));
    }
  };

  r.get('/', (req, res) => list(req, res));

  r.post('/', admin, (req, res) => {
    try {
      const f = svc.create(body(req), req.actor());
      req.flash('success', `Flow ${f.name} created: a greeting, then hang up. Build it out below.`);
      res.redirect(303, `/admin/flows/${f.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      list(req, res, { values: body(req), errors: e.fields });
    }
  });

  // What a flow says, rendered as a call would hear it, for the simulator's players. The prompt library checks the
  // voice, rate and volume; the text is bounded like a node's.
  r.get('/speech', async (req, res) => {
    const t = text(req.query.text).trim();
    if (!t || t.length > 1000) throw new ValidationError('flow.speech_text', { text: 'Text of 1 to 1,000 characters.' }, 'Nothing to say.');
    sendAudio(res, await choices.speak({ text: t, voice: text(req.query.voice), rate: Number(req.query.rate), volume: Number(req.query.volume) }));
  });

  r.get('/:id', (req, res) => editor(req, res, idParam(req.params.id, 'flow')));

  r.post('/:id/info', admin, (req, res) => {
    const id = idParam(req.params.id, 'flow');
    change(req, res, id, (errors) => ({ info: { values: body(req), errors } }), () => 'Flow saved.', () => svc.updateInfo(id, body(req), req.actor()));
  });

  r.post('/:id/settings', admin, (req, res) => {
    const id = idParam(req.params.id, 'flow');
    change(req, res, id, (errors) => ({ settings: { values: body(req), errors } }), () => 'Settings saved in the draft.', () => svc.updateSettings(id, body(req), req.actor()));
  });

  r.post('/:id/nodes', admin, (req, res) => {
    const id = idParam(req.params.id, 'flow');
    let added = '';
    change(req, res, id, (errors) => ({ add: { values: body(req), errors } }), () => `Node ${added} added: fill it in below.`, () => {
      added = svc.addNode(id, { kind: body(req).kind, from: body(req).from }, req.actor()).node;
    });
  });

  r.post('/:id/nodes/:node', admin, (req, res) => {
    const id = idParam(req.params.id, 'flow');
    const node = nodeParam(req.params.node);
    change(req, res, id, (errors) => ({ node: { id: node, values: body(req), errors } }), () => `Node ${node} saved in the draft.`, () => svc.updateNode(id, node, body(req), req.actor()));
  });

  r.post('/:id/nodes/:node/delete', admin, (req, res) => {
    const id = idParam(req.params.id, 'flow');
    const node = nodeParam(req.params.node);
    if (!unlessRefused(req, res, `/admin/flows/${id}`, () => svc.deleteNode(id, node, req.actor()))) return;
    req.flash('success', `Node ${node} deleted; branches that led to it are now open.`);
    res.redirect(303, `/admin/flows/${id}`);
  });

  r.post('/:id/publish', admin, (req, res) => {
    const id = idParam(req.params.id, 'flow');
    try {
      const v = svc.publish(id, req.actor());
      req.flash('success', `Version ${v.version} published: new calls run it now.`);
      res.redirect(303, `/admin/flows/${id}`);
    } catch (e) {
      if (!(e instanceof FlowInvalidError)) throw e;
      res.status(422);
      editor(req, res, id, {}, { publishError: `Not published: ${e.fields._form ?? e.message} Calls keep running the last published version.` });
    }
  });

  r.post('/:id/discard', admin, (req, res) => {
    const id = idParam(req.params.id, 'flow');
    if (!unlessRefused(req, res, `/admin/flows/${id}`, () => svc.discardDraft(id, req.actor()))) return;
    req.flash('success', 'Draft changes discarded: the draft is the published version again.');
    res.redirect(303, `/admin/flows/${id}`);
  });

  r.post('/:id/delete', admin, (req, res) => {
    const id = idParam(req.params.id, 'flow');
    const name = svc.get(id).name;
    if (!unlessRefused(req, res, `/admin/flows/${id}`, () => svc.delete(id, req.actor()))) return;
    req.flash('success', `Flow ${name} deleted.`);
    res.redirect(303, '/admin/flows');
  });

  const simulator = (res: Response, id: number, values: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const flow = svc.get(id);
    const versions = svc.versions(id);
    const v = text(values.version);
    const def = v && versions.some((x) => String(x.version) === v) ? svc.version(id, Number(v)).definition : flow.draft;
    res.render('admin/flows/simulate', {
      title: `Simulate ${flow.name}`,
      flow,
      values,
      graph: graphSvg(def, svc.lookups, []),
      timezones: zoneOptions(text(values.timezone)),
      versionOptions: [{ value: '', label: 'The draft', selected: v === '' }, ...[...versions].reverse().map((x) => ({ value: String(x.version), label: `Version ${x.version}`, selected: String(x.version) === v }))],
      httpNodes: httpNodes(def).map((n) => ({ id: n.id, name: n.name, statusName: `http_${n.id}_status`, bodyName: `http_${n.id}_body`, status: text(values[`http_${n.id}_status`]), body: text(values[`http_${n.id}_body`]), error: (extra.errors as Record<string, string> | undefined)?.[`http_${n.id}_status`] ?? null })),
      ...extra,
    });
  };

  r.get('/:id/simulate', (req, res) => {
    const id = idParam(req.params.id, 'flow');
    const flow = svc.get(id);
    const version = text(req.query.version);
    const def = /^\d+$/.test(version) ? svc.version(id, Number(version)).definition : flow.draft;
    simulator(res, id, { ...simulatorValues(def, clock.now()), version });
  });

  r.post('/:id/simulate', async (req, res) => {
    const id = idParam(req.params.id, 'flow');
    const flow = svc.get(id);
    const v = text(body(req).version);
    const def = /^\d+$/.test(v) ? svc.version(id, Number(v)).definition : flow.draft;
    let input: ReturnType<typeof readSimulatorForm>;
    try {
      input = readSimulatorForm(body(req), def);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      return simulator(res, id, body(req), { errors: e.fields });
    }
    const result = await svc.simulate(id, input.scenario, input.version);
    simulator(res, id, body(req), { result: resultView(result, def, svc.lookups) });
  });

  return r;
}

/** /api/flows: the simulator for scripts and tests (a session and the X-CSRF-Token header, as the console). */
export function flowApiRoutes(svc: FlowService, clock: { now(): number }): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor'));
  r.post('/:id/simulate', async (req, res) => {
    const id = idParam(req.params.id, 'flow');
    svc.get(id);
    let input: ReturnType<typeof readSimulatorJson>;
    try {
      input = readSimulatorJson(req.body, clock.now());
    } catch (e) {
      // The error handler answers {code, message}; a client also needs to know which field was wrong.
      if (!(e instanceof ValidationError)) throw e;
      return void res.status(422).json({ code: e.code, message: e.message, fields: e.fields });
    }
    const { outcome, detail, steps, vars, events } = await svc.simulate(id, input.scenario, input.version);
    res.json({ outcome, detail, steps, vars, events });
  });
  return r;
}
