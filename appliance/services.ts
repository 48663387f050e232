import { join } from 'node:path';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { mohDirectory, voicemailDirectory } from './confgen/model.js';
import { ensureHoldMusic } from './confgen/moh.js';
import { ConfigPublisher } from './confgen/publish.js';
import type { SwitchPort } from './freeswitch/switch.port.js';
import type { Logger } from './logger.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { BlocklistService } from './modules/blocklist/blocklist.service.js';
import { SessionService } from './modules/auth/sessions.service.js';
import { createBrowserPhoneAccess } from './modules/agents/browser-phone.js';
import { SetupService } from './modules/auth/setup.service.js';
import { SystemService } from './modules/system/system.service.js';
import { ExtensionService } from './modules/extensions/extensions.service.js';
import { RegistrationTracker } from './modules/extensions/registrations.js';
import { VoicemailService } from './modules/extensions/voicemail.service.js';
import { FlowService } from './modules/flows/flows.service.js';
import { AgentCalls } from './modules/calls/agent-calls.js';
import { musicStream } from './modules/queues/acd-waiter.js';
import { NumberService } from './modules/numbers/numbers.service.js';
import { PromptService } from './modules/prompts/prompts.service.js';
import { RouteService } from './modules/routes/routes.service.js';
import { TrunkService } from './modules/trunks/trunks.service.js';
import { SwitchService } from './modules/switch/switch.service.js';
import { UserService } from './modules/users/users.service.js';
import { AgentService } from './modules/agents/agents.service.js';
import { BreakReasonService } from './modules/agents/break-reasons.service.js';
import { SkillService } from './modules/agents/skills.service.js';
import { QueueService } from './modules/queues/queues.service.js';
import type { ConfigChange } from './modules/queues/queues.types.js';
import { VipCallerService } from './modules/queues/vip-callers.service.js';
import { fixedSpeech } from './modules/flows/engine/validate.js';
import { FlowRunner } from './modules/flows/flow-runner.js';
import { httpFetch } from './modules/flows/http-fetch.js';
import { Ledger } from './modules/ledger/ledger.js';
import { CallRecords, LegTracker, RecordPages, serverZone } from './modules/records/index.js';
import { QueueSupervisors } from './modules/queues/supervisors.js';
import { AcdRunner } from './modules/queues/acd-runner.js';
import { acdSource, QUEUE_VOICE } from './modules/queues/acd.source.js';
import { createWaitingStore } from './modules/queues/acd.store.js';
import { ClickToCallService, ScreenPopService, type Dialer } from './modules/screenpop/index.js';
import { NotFoundError } from './errors.js';
import { DiskGuard, PolicyService, Recorder, RecordingService, type CanSee, type Statfs } from './modules/recordings/index.js';

/** Wire the services over one database. Shared by main.ts, the CLI scripts and the tests. */
export function createServices(d: {
  config: Config;
  db: Db;
  dbFile: string;
  clock: Clock;
  log: Logger;
  sw: SwitchPort;
  startedAt: number;
  /** Places click-to-call calls (tests put a fake here); by default the agents' own outbound dialling. */
  dialer?: Dialer;
  /** Recording's injections (tests): percent draws, free space, how long to wait for a RECORD_STOP. */
  recording?: { random?: () => number; statfs?: Statfs; stopGraceMs?: number };
}) {
  const { config, db, clock, log } = d;
  const audit = new AuditService({ db, clock });
  const sessions = new SessionService({ db, clock, ...config.session });
  const users = new UserService({
    db,
    clock,
    audit,
    log: log.child({ module: 'users' }),
    events: { onSignOut: (userId, except) => sessions.endAllFor(userId, except) },
  });
  const auth = new AuthService({ db, clock, users, audit, log: log.child({ module: 'auth' }), limits: config.login });
  const setup = new SetupService({ db, clock, audit, secret: config.session.secret, users });
  const system = new SystemService({ db, clock, config, dbFile: d.dbFile, startedAt: d.startedAt, switchStatus: d.sw });
  const registrations = new RegistrationTracker(d.sw, log.child({ module: 'registrations' }), () => clock.now());
  // The publisher reads the telephony modules through their services, and they ask it to publish after each
  // change; the services are made after the publisher, which reads them only when it runs.
  const tel: { extensions?: ExtensionService; trunks?: TrunkService; numbers?: NumberService; blocklist?: BlocklistService; routes?: RouteService; flows?: FlowService; prompts?: PromptService } = {};
  // Queues and agents name each other (members, skills) and the telephony modules (destinations, devices, prompts).
  // The ACD runner, made after them, sets onChange to take every configuration change into its engine.
  const acd: { queues?: QueueService; agents?: AgentService; onChange?: (c: ConfigChange) => void } = {};
  const publisher = new ConfigPublisher({
    db,
    clock,
    log,
    config,
    sw: d.sw,
    confDir: config.freeswitch.confDir,
    data: () => ({
      extensions: tel.extensions!.forConfig(),
      trunks: tel.trunks!.forConfig(),
      numbers: tel.numbers!.forConfig(),
      blocked: tel.blocklist!.forConfig(),
      outbound: tel.routes!.forConfig(),
      music: tel.prompts!.forConfig(),
      flows: tel.flows!.forConfig().map((f) => ({ id: f.id, fallbackKind: f.fallbackKind, fallbackExtension: f.fallbackExtensionId ? tel.extensions!.numberOf(f.fallbackExtensionId) : null })),
    }),
  });
  const publish = (reason: string) => publisher.requestPublish(reason);
  const recordingPolicies = new PolicyService({
    db,
    clock,
    audit,
    usedBy: (id) => [...tel.numbers!.usingRecordingPolicy(id), ...acd.queues!.usingRecordingPolicy(id), ...acd.agents!.usingRecordingPolicy(id)],
  });
  const extensions = (tel.extensions = new ExtensionService({
    db,
    clock,
    audit,
    registrations,
    publish,
    usedBy: (id) => [...tel.numbers!.usingExtension(id), ...tel.blocklist!.usingExtension(id), ...tel.flows!.usingExtension(id), ...acd.queues!.usingExtension(id), ...acd.agents!.usingExtension(id)],
    voicemailUsedBy: (id) => [...tel.numbers!.usingExtension(id, 'voicemail'), ...tel.flows!.usingExtension(id, 'voicemail'), ...acd.queues!.usingExtension(id, 'voicemail')],
  }));
  const trunks = (tel.trunks = new TrunkService({ db, clock, audit, sw: d.sw, publish, usedBy: (id) => [...tel.numbers!.usingTrunk(id), ...tel.routes!.usingTrunk(id)] }));
  const numbers = (tel.numbers = new NumberService({
    db,
    clock,
    audit,
    publish,
    usedBy: (id) => tel.routes!.usingNumber(id),
    lookups: {
      trunkExists: (id) => trunks.exists(id),
      extensionNumber: (id) => extensions.numberOf(id),
      hasVoicemail: (id) => extensions.hasVoicemail(id),
      trunkIdByName: (name) => trunks.idByName(name),
      trunkName: (id) => trunks.nameOf(id),
      extensionIdByNumber: (n) => extensions.idOf(n),
      flowIdByName: (name) => tel.flows!.idByName(name),
      flowName: (id) => tel.flows!.nameOf(id),
      flowPublished: (id) => (tel.flows!.exists(id) ? tel.flows!.latestPublished(id) !== null : null),
      recordingPolicyExists: (id) => recordingPolicies.exists(id),
      recordingPolicyIdByName: (name) => recordingPolicies.idByName(name),
      recordingPolicyName: (id) => recordingPolicies.nameOf(id),
    },
  }));
  const voicemail = new VoicemailService({ sw: d.sw, extensions, audit, voicemailDir: voicemailDirectory(config) });
  const freeswitch = new SwitchService({ sw: d.sw, publisher, audit });
  const blocklist = (tel.blocklist = new BlocklistService({ db, clock, audit, publish, extensionNumber: (id) => extensions.numberOf(id) }));
  const routes = (tel.routes = new RouteService({
    db,
    clock,
    audit,
    publish,
    sw: d.sw,
    log: log.child({ module: 'routes' }),
    lookups: { trunkExists: (id) => trunks.exists(id), numberOf: (id) => numbers.numberOf(id), isCallerId: (id) => numbers.isCallerId(id) },
  }));
  const prompts = (tel.prompts = new PromptService({
    db,
    clock,
    audit,
    publish,
    log: log.child({ module: 'prompts' }),
    soundsDir: join(config.dataDir, 'sounds'),
    holdMusic: () => ensureHoldMusic(mohDirectory(config)),
    usedBy: (id) => [...tel.flows!.usingPrompt(id), ...acd.queues!.usingPrompt(id)],
  }));
  const flows = (tel.flows = new FlowService({
    db,
    clock,
    audit,
    publish,
    usedBy: (id) => [...numbers.usingFlow(id), ...acd.queues!.usingFlow(id)],
    extensionExists: (id) => extensions.numberOf(id) !== null,
    prepare: (def) => {
      const { voice, rate, volume } = def.settings;
      for (const text of fixedSpeech(def)) prompts.speak({ text, voice, rate, volume }).catch((err: unknown) => log.warn({ err, text }, 'speech for a published flow not rendered'));
    },
    lookups: {
      promptReady: (id) => {
        const p = prompts.get(id);
        return p ? p.status === 'ready' : null;
      },
      promptName: (id) => prompts.get(id)?.name ?? null,
      extensionNumber: (id) => extensions.numberOf(id),
      voicemailBox: (id) => (extensions.hasVoicemail(id) ? extensions.numberOf(id) : null),
      flowName: (id) => tel.flows!.nameOf(id),
      queueName: (id) => acd.queues!.nameOf(id),
    },
  }));
  const ledger = new Ledger(db);
  // Before anything writes to the ledger: every call's entries reach its record.
  const records = new CallRecords({ db, ledger, log: log.child({ module: 'records' }) });
  const legTracker = new LegTracker({ sw: d.sw, ledger, db, clock, log: log.child({ module: 'legs' }) });
  const flowRunner = new FlowRunner({ sw: d.sw, flows, clock, log, fetch: httpFetch, prompts, queues: { enter: (c) => acdRunner.enter(c) }, ledger });

  const skills = new SkillService({ db, clock, audit, usedBy: (id) => [...acd.queues!.requiringSkill(id), ...acd.agents!.withSkill(id)] });
  const breakReasons = new BreakReasonService({ db, clock, audit });
  const vipCallers = new VipCallerService({ db, clock, audit });
  const onAcdChange = (c: ConfigChange) => acd.onChange?.(c);
  const queues = (acd.queues = new QueueService({
    db,
    clock,
    audit,
    lookups: {
      skillName: (id) => skills.nameOf(id),
      isCallerId: (n) => numbers.callerIds().some((x) => x.number === n),
      prompt: (id) => {
        const p = prompts.get(id);
        return p && { name: p.name, category: p.category, isReady: p.status === 'ready' };
      },
      flowPublished: (id) => (flows.exists(id) ? flows.latestPublished(id) !== null : null),
      extensionNumber: (id) => extensions.numberOf(id),
      hasVoicemail: (id) => extensions.hasVoicemail(id),
      memberIds: (id) => acd.agents!.memberships.idsOf(id),
      recordingPolicyExists: (id) => recordingPolicies.exists(id),
    },
    usedBy: (id) => flows.usingQueue(id),
    isBusy: (id) => acdRunner.acd.waiting(id).length > 0,
    onChange: onAcdChange,
  }));
  const agents = (acd.agents = new AgentService({
    db,
    clock,
    audit,
    lookups: {
      user: (id) => users.find(id) ?? null,
      // A contact center has at most a few hundred agents: one page holds them all.
      eligibleUsers: () => (['agent', 'supervisor'] as const).flatMap((role) => users.list({ role, status: 'active' }, 10_000).items),
      extensionNumber: (id) => extensions.numberOf(id),
      extensionId: (n) => extensions.idOf(n),
      queueName: (id) => queues.nameOf(id),
      skillName: (id) => skills.nameOf(id),
      recordingPolicyExists: (id) => recordingPolicies.exists(id),
    },
    stateOf: (id) => acdRunner.acd.agent(id)?.state ?? 'logged_out',
    onChange: onAcdChange,
  }));
  const acdRunner: AcdRunner = new AcdRunner({
    sw: d.sw,
    source: acdSource({ queues, agents, vipCallers, extensions }),
    store: createWaitingStore(db),
    ledger,
    phones: registrations,
    speaker: { fileOf: (id) => prompts.fileOf(id), speak: (text) => prompts.speak({ text, ...QUEUE_VOICE }) },
    clock,
    log,
  });
  acd.onChange = (c) => acdRunner.configChanged(c);
  const agentCalls = new AgentCalls({
    sw: d.sw,
    runner: acdRunner,
    ledger,
    clock,
    log,
    dir: {
      device: (id) => agents.find(id)?.device ?? null,
      callClass: (id) => {
        const dev = agents.find(id)?.device;
        const ext = dev?.kind === 'extension' ? extensions.get(dev.extensionId) : null;
        return ext ? ext.callClass : 'national';
      },
      callerIds: (id) => [...new Set(agents.memberships.queuesOf(id).flatMap((m) => queues.find(m.queueId)?.callerIds ?? []))],
      agentName: (id) => agents.find(id)?.name ?? null,
      queueName: (id) => queues.nameOf(id),
      flowName: (id) => (flows.latestPublished(id) ? flows.nameOf(id) : null),
      extensionExists: (n) => extensions.idOf(n) !== null,
      music: (queueId) => musicStream(queueId ? (queues.find(queueId)?.musicPromptId ?? null) : null),
    },
  });
  const screenPops = new ScreenPopService({ db, clock, audit });
  const clickToCall = new ClickToCallService({
    db,
    clock,
    audit,
    log: log.child({ module: 'click-to-call' }),
    // A CRM's click dials as the agent would from the workbench: their phone first, then the customer.
    dialer: d.dialer ?? {
      dial: (agentNumber, number, callerId, by) => {
        const a = agents.options().find((x) => x.number === agentNumber);
        if (!a) throw new NotFoundError('agent.not_found', { agentNumber });
        return agentCalls.dial(a.id, number, callerId, by);
      },
    },
    agentExists: (n) => agents.options().some((a) => a.number === n),
  });
  const supervisors = new QueueSupervisors({
    db,
    audit,
    candidates: () => users.list({ role: 'supervisor', status: 'active' }, 10_000).items.map((u) => ({ id: u.id, name: u.displayName })),
    queueName: (id) => queues.nameOf(id),
  });
  // The records' pages read what the records name (queues, agents, trunks, flows) once per page, by id.
  const recordPages = new RecordPages({
    db,
    clock,
    store: records.store,
    zone: serverZone(),
    access: { agentIdOf: (userId) => agents.byUser(userId)?.id ?? null, supervisedQueues: (userId) => supervisors.queuesOf(userId) },
    names: { queues: () => queues.options(), agents: () => agents.options(), trunks: () => trunks.list(), flows: () => flows.options() },
  });
  const browserPhone = createBrowserPhoneAccess({ sessions, users, agents, extensions });
  const recordingsDir = join(config.dataDir, 'recordings');
  const diskGuard = new DiskGuard({ dir: recordingsDir, clock, log: log.child({ module: 'recordings' }), minFreeMb: () => recordingPolicies.minFreeMb(), ...(d.recording?.statfs ? { statfs: d.recording.statfs } : {}) });
  const recorder = new Recorder({
    db,
    sw: d.sw,
    ledger,
    clock,
    log: log.child({ module: 'recordings' }),
    policies: recordingPolicies,
    guard: diskGuard,
    dataDir: config.dataDir,
    lookups: {
      ofNumber: (id) => numbers.recordingPolicyOf(id),
      ofQueue: (id) => queues.find(id)?.recordingPolicyId ?? null,
      ofAgent: (id) => agents.recordingPolicyOf(id),
    },
    ...(d.recording?.random ? { random: d.recording.random } : {}),
    ...(d.recording?.stopGraceMs !== undefined ? { stopGraceMs: d.recording.stopGraceMs } : {}),
  });
  const recordings = new RecordingService({ repo: recorder.repo, ledger, clock, log: log.child({ module: 'recordings' }), dataDir: config.dataDir, guard: diskGuard });
  // Who may hear a call's recordings: whoever may see its record (agents their own calls, supervisors their queues').
  const canSeeCall: CanSee = recordPages.canSee;
  return { recordingPolicies, recorder, recordings, canSeeCall, browserPhone, screenPops, clickToCall, audit, sessions, users, auth, setup, system, publisher, freeswitch, extensions, voicemail, trunks, numbers, blocklist, routes, prompts, flows, flowRunner, skills, breakReasons, vipCallers, queues, supervisors, agents, ledger, records, recordPages, legTracker, acdRunner, agentCalls, registrations };
}
export type Services = ReturnType<typeof createServices>;
