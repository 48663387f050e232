import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import './request-types.js';
import type { Config } from '../config.js';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import { agentAdminRoutes } from '../modules/agents/agents.routes.js';
import type { AgentService } from '../modules/agents/agents.service.js';
import type { BrowserPhoneAccess } from '../modules/agents/browser-phone.js';
import { phoneRoutes } from '../modules/agents/phone.routes.js';
import { breakReasonRoutes } from '../modules/agents/break-reasons.routes.js';
import { skillRoutes } from '../modules/agents/skills.routes.js';
import type { SkillService } from '../modules/agents/skills.service.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import type { AuditService } from '../modules/audit/audit.service.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import type { SessionService } from '../modules/auth/sessions.service.js';
import type { SetupService } from '../modules/auth/setup.service.js';
import { systemRoutes } from '../modules/system/system.routes.js';
import type { SystemService } from '../modules/system/system.service.js';
import { extensionRoutes } from '../modules/extensions/extensions.routes.js';
import type { VoicemailService } from '../modules/extensions/voicemail.service.js';
import type { ExtensionService } from '../modules/extensions/extensions.service.js';
import { blocklistRoutes } from '../modules/blocklist/blocklist.routes.js';
import type { BlocklistService } from '../modules/blocklist/blocklist.service.js';
import { flowApiRoutes, flowRoutes } from '../modules/flows/flows.routes.js';
import type { FlowService } from '../modules/flows/flows.service.js';
import type { BreakReasonService } from '../modules/agents/break-reasons.service.js';
import type { RegistrationTracker } from '../modules/extensions/registrations.js';
import type { AcdRunner } from '../modules/queues/acd-runner.js';
import { workbenchDeps } from '../modules/workbench/workbench.deps.js';
import { workbenchRoutes } from '../modules/workbench/workbench.routes.js';
import type { AgentCalls } from '../modules/calls/agent-calls.js';
import type { Ledger } from '../modules/ledger/ledger.js';
import { liveRoutes } from '../modules/queues/acd.routes.js';
import { numberRoutes } from '../modules/numbers/numbers.routes.js';
import { queueRoutes } from '../modules/queues/queues.routes.js';
import type { QueueService } from '../modules/queues/queues.service.js';
import type { QueueSupervisors } from '../modules/queues/supervisors.js';
import { recordRoutes, type RecordPages } from '../modules/records/index.js';
import { vipCallerRoutes } from '../modules/queues/vip-callers.routes.js';
import type { VipCallerService } from '../modules/queues/vip-callers.service.js';
import { clickToCallApiRoutes, screenPopRoutes, sdkEvent, sdkRoutes, type ClickToCallService, type PopCall, type ScreenPopService } from '../modules/screenpop/index.js';
import { promptRoutes } from '../modules/prompts/prompts.routes.js';
import type { PromptService } from '../modules/prompts/prompts.service.js';
import { routeRoutes } from '../modules/routes/routes.routes.js';
import type { RouteService } from '../modules/routes/routes.service.js';
import type { NumberService } from '../modules/numbers/numbers.service.js';
import { trunkRoutes } from '../modules/trunks/trunks.routes.js';
import type { TrunkService } from '../modules/trunks/trunks.service.js';
import { switchRoutes } from '../modules/switch/switch.routes.js';
import type { SwitchService } from '../modules/switch/switch.service.js';
import { userRoutes } from '../modules/users/users.routes.js';
import type { UserService } from '../modules/users/users.service.js';
import { audioRoutes, policyRoutes, type CanSee, type PolicyService, type Recorder, type RecordingService } from '../modules/recordings/index.js';
import { phoneDomain } from '../confgen/model.js';
import { appVersion, jssipVersion, staticDir, viewsDir } from '../paths.js';
import { csrfProtection } from './middleware/csrf.js';
import { errorHandler } from './middleware/error-handler.js';
import { sessionMiddleware } from './middleware/session.js';
import { acdTabs, navFor } from './nav.js';
import { createViewEngine } from './views.js';

export interface AppDeps {
  config: Config;
  log: Logger;
  users: UserService;
  auth: AuthService;
  sessions: SessionService;
  setup: SetupService;
  audit: AuditService;
  system: SystemService;
  freeswitch: SwitchService;
  extensions: ExtensionService;
  voicemail: VoicemailService;
  trunks: TrunkService;
  numbers: NumberService;
  blocklist: BlocklistService;
  routes: RouteService;
  flows: FlowService;
  prompts: PromptService;
  queues: QueueService;
  supervisors: QueueSupervisors;
  recordPages: RecordPages;
  agents: AgentService;
  skills: SkillService;
  breakReasons: BreakReasonService;
  vipCallers: VipCallerService;
  screenPops: ScreenPopService;
  clickToCall: ClickToCallService;
  acdRunner: AcdRunner;
  agentCalls: AgentCalls;
  ledger: Ledger;
  browserPhone: BrowserPhoneAccess;
  registrations: RegistrationTracker;
  recordingPolicies: PolicyService;
  recordings: RecordingService;
  recorder: Recorder;
  /** Who may see a call, and so hear its recordings (the call records' rule). */
  canSeeCall: CanSee;
  clock: { now(): number };
  /** Cache compiled templates (production); off in development so edits show on reload. */
  cacheViews?: boolean;
}

export function createApp(d: AppDeps): Express {
  const app = express();
  const log = d.log.child({ module: 'http' });
  const { http, session } = d.config;
  const secure = Boolean(http.tls) || http.trustProxy;

  app.disable('x-powered-by');
  if (http.trustProxy) app.set('trust proxy', 'loopback');
  app.engine('hbs', createViewEngine(viewsDir, { cache: d.cacheViews ?? true }));
  app.set('views', viewsDir);
  app.set('view engine', 'hbs');

  app.use(requestLog(log));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          mediaSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // HSTS only means something over HTTPS; on plain HTTP it would be ignored anyway.
      strictTransportSecurity: secure ? { maxAge: 15552000 } : false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  // Public and cross-origin: CRM pages on other origins include the SDK (before /static, which serves it same-origin only).
  app.use(sdkRoutes());
  app.use('/static', express.static(staticDir, { maxAge: '1h', index: false }));
  app.use(express.urlencoded({ extended: false, limit: `${http.bodyLimitKb}kb`, parameterLimit: 500 }));
  app.use(express.json({ limit: `${http.bodyLimitKb}kb` }));
  // Token auth only, for CRM servers: before the session and CSRF middleware, so cookies play no part in it.
  app.use('/api/click-to-call', clickToCallApiRoutes(d.clickToCall));
  app.use(sessionMiddleware({ sessions: d.sessions, users: d.users, secureCookies: secure, absoluteHours: session.absoluteHours }));
  // The prompt upload streams its file: its reader checks the form's CSRF token (http/multipart.ts).
  app.use(csrfProtection({ multipartPaths: ['/admin/prompts/upload'] }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Pages are personal: never cache them in shared caches.
    res.set('Cache-Control', 'no-store');
    res.locals.appVersion = appVersion;
    res.locals.currentUser = req.user;
    res.locals.path = req.path;
    if (req.user) {
      res.locals.nav = navFor(req.user.role, req.path);
      res.locals.acdTabs = acdTabs(req.path);
      res.locals.switchStatus = d.system.switchStatus();
      if (req.user.role === 'admin') res.locals.recordingDisk = d.recordings.diskStatus();
    }
    next();
  });

  app.use(systemRoutes({ system: d.system, users: d.users, audit: d.audit, sessions: d.sessions, callsToday: (user) => d.recordPages.today(user) }));
  app.use(authRoutes({ auth: d.auth, setup: d.setup, users: d.users }));
  app.use('/admin/users', userRoutes(d.users));
  app.use('/admin/audit', auditRoutes(d.audit));
  app.use('/admin/freeswitch', switchRoutes(d.freeswitch));
  app.use('/admin/extensions', extensionRoutes(d.extensions, d.voicemail));
  app.use('/admin/trunks', trunkRoutes(d.trunks));
  app.use('/admin/routes', routeRoutes(d.routes, { trunks: () => d.trunks.list(), numbers: () => d.numbers.callerIds() }));
  app.use('/admin/blocklist', blocklistRoutes(d.blocklist, () => d.extensions.options()));
  app.use('/admin/prompts', promptRoutes(d.prompts));
  app.use('/admin/numbers', numberRoutes(d.numbers, { trunks: () => d.trunks.list(), extensions: () => d.extensions.options(), flows: () => d.flows.options(), recordingPolicies: () => d.recordingPolicies.options() }));
  const flowChoices = {
    extensions: () => d.extensions.options(),
    flows: () => d.flows.options(),
    queues: () => d.queues.options(),
    promptChoices: () => d.prompts.listReady(),
    speak: (v: { text: string; voice: string; rate: number; volume: number }) => d.prompts.speak(v),
  };
  app.use('/admin/flows', flowRoutes(d.flows, flowChoices, d.clock));
  // Before the queues' own pages, which take /admin/queues/:id.
  app.use('/admin/queues/live', liveRoutes(d.acdRunner));
  const pops = {
    mount: (origin: string, workNo: string) => ({ origin, allowedOrigins: d.screenPops.origins(), workNo, pops: d.screenPops.forWorkbench(origin) }),
    forCall: (call: PopCall, origin: string) => ({ pops: d.screenPops.forCall(call, origin), sdk: sdkEvent('Ringing', call) }),
    origins: () => d.screenPops.origins(),
  };
  // Before the workbench, which takes the rest of /agent.
  const staffOnly: ('admin' | 'supervisor')[] = ['admin', 'supervisor'];
  app.use('/admin/calls', recordRoutes(d.recordPages, { base: '/admin/calls', detailBase: '/admin/calls', layout: 'admin', roles: staffOnly, title: 'Call records' }));
  app.use('/admin/recordings', recordRoutes(d.recordPages, { base: '/admin/recordings', detailBase: '/admin/calls', layout: 'admin', roles: staffOnly, title: 'Recordings', recordedOnly: true }));
  app.use('/agent/calls', recordRoutes(d.recordPages, { base: '/agent/calls', detailBase: '/agent/calls', layout: 'agent', roles: ['agent', 'supervisor', 'admin'], title: 'My calls' }));
  app.use('/agent', phoneRoutes({ access: d.browserPhone, domain: phoneDomain(d.config), jssipVersion }));
  app.use('/agent', workbenchRoutes(workbenchDeps({ ...d, pops })));
  app.use('/api/flows', flowApiRoutes(d.flows, d.clock));
  const queueChoices = {
    skills: () => d.skills.options(),
    music: () => d.prompts.listReady('music'),
    prompts: () => d.prompts.listReady('prompt'),
    flows: () => d.flows.options(),
    extensions: () => d.extensions.options().map((e) => ({ ...e, hasVoicemail: d.extensions.hasVoicemail(e.id) })),
    agents: () => d.agents.options(),
    recordingPolicies: () => d.recordingPolicies.options(),
  };
  app.use('/admin/queues', queueRoutes(d.queues, d.agents.memberships, queueChoices, d.supervisors));
  app.use('/admin/agents', agentAdminRoutes(d.agents, { extensions: () => d.extensions.options(), skills: () => d.skills.options(), queues: () => d.queues.options(), recordingPolicies: () => d.recordingPolicies.options() }));
  app.use('/admin/skills', skillRoutes(d.skills));
  app.use('/admin/break-reasons', breakReasonRoutes(d.breakReasons));
  app.use('/admin/vip-callers', vipCallerRoutes(d.vipCallers));
  app.use('/admin/screen-pops', screenPopRoutes(d.screenPops, d.clickToCall));
  app.use('/admin/recording-policies', policyRoutes(d.recordingPolicies, () => d.recordings.checkDisk().catch(() => d.recordings.diskStatus())));
  app.use('/recordings', audioRoutes(d.recordings, d.canSeeCall));

  app.use((req: Request) => {
    throw new NotFoundError('route.not_found', { path: req.path }, { message: `There is no page at ${req.path}.` });
  });
  app.use(errorHandler(log, http.bodyLimitKb));
  return app;
}

function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    req.id = randomBytes(6).toString('hex');
    const start = performance.now();
    res.on('finish', () => {
      if (req.path.startsWith('/static/')) return;
      const entry = { reqId: req.id, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - start) };
      if (res.statusCode >= 500) log.warn(entry, 'request');
      else log.debug(entry, 'request');
    });
    next();
  };
}
