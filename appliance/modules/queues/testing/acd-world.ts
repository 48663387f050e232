import type { ExecutionContext } from 'ava';
import { makeTestContext } from '../../../test/make-test-context.js';
import { channelInfo, hangupInfo } from '../../../freeswitch/testing/events.js';
import { Ledger } from '../../ledger/ledger.js';
import { AcdRunner } from '../acd-runner.js';
import type { QueueMedia } from '../acd.source.js';
import { createWaitingStore } from '../acd.store.js';
import type { QueueConfig } from '../engine/types.js';
import { staticSource, type TestAgent } from './static-source.js';


/**
 * An ACD over the fake switch and a real (in-memory) database: queues and agents as given, phones registered
 * as the test says, and each originate held until the test answers or fails it, as FreeSWITCH would after ringing.
 */
export async function acdWorld(t: ExecutionContext, o: { queues?: Partial<QueueConfig>[]; media?: Partial<QueueMedia>; agents: TestAgent[]; db?: Awaited<ReturnType<typeof makeTestContext>> }) {
  const ctx = o.db ?? (await makeTestContext());
  if (!o.db) t.teardown(() => ctx.close());
  const { source, saved } = staticSource(o);
  const registered = new Set(o.agents.map((a) => a.extension));
  const phoneListeners = new Set<(u: string | null) => void>();
  const channels = new Set<string>();
  /** Originates waiting for the test to decide their outcome, by the agent's leg uuid. */
  const ringing = new Map<string, { agentExt: string; command: string; answer: () => void; fail: (cause: string) => void }>();
  ctx.sw.respond = (cmd) => {
    if (cmd === 'global_getvar domain') return 'example.com';
    if (cmd === 'show channels as json') return JSON.stringify({ rows: [...channels].map((uuid) => ({ uuid })) });
    if (cmd.startsWith('originate ')) {
      const leg = /origination_uuid=([0-9a-f-]{36})/.exec(cmd)![1]!;
      // Who rings: an extension (user/1001@…) or a number dialled out (loopback/+4930…/internal).
      const to = /(?:user\/([0-9]+)@|loopback\/([+0-9]+)\/)/.exec(cmd);
      const agentExt = to?.[1] ?? to?.[2] ?? '';
      return new Promise<string>((resolve, reject) => {
        ringing.set(leg, {
          agentExt,
          command: cmd,
          answer: () => (ringing.delete(leg), channels.add(leg), resolve(`+OK ${leg}\n`)),
          fail: (cause) => (ringing.delete(leg), reject(Object.assign(new Error(cause), { cause }))),
        });
      });
    }
    if (cmd.startsWith('uuid_kill ')) {
      const [, uuid, cause] = cmd.split(' ');
      channels.delete(uuid!);
      // Cancelling a ringing originate makes it fail, as FreeSWITCH reports it.
      ringing.get(uuid!)?.fail(cause ?? 'ORIGINATOR_CANCEL');
    }
    return '+OK\n';
  };
  // Hold music never ends by itself.
  ctx.sw.finish = (x) => (x.arg.startsWith('local_stream://') ? new Promise(() => undefined) : x.app === 'playback' ? 'FILE PLAYED' : '+OK');
  const ledger = new Ledger(ctx.db);
  const make = () =>
    new AcdRunner({
      sw: ctx.sw,
      source,
      store: createWaitingStore(ctx.db),
      ledger,
      phones: { devicesOf: (u) => (registered.has(u) ? [{}] : []), onChange: (fn) => (phoneListeners.add(fn), () => phoneListeners.delete(fn)), seeded: async () => undefined },
      speaker: { fileOf: () => null, speak: async () => '/tmp/callbox-speech.wav' },
      clock: ctx.clock,
      log: ctx.log,
      reconcileEveryMs: 3_600_000,
    });
  let runner = make();
  ctx.sw.setConnected(true);
  runner.start();
  t.teardown(() => runner.stop());
  const settle = () => new Promise((r) => setTimeout(r, 5));
  const world = {
    ctx,
    source,
    ledger,
    channels,
    saved,
    get runner() {
      return runner;
    },
    /** A new controller process over the same database and switch (the old one stopped). */
    restart() {
      runner.stop();
      runner = make();
      runner.start();
      return runner;
    },
    settle,
    async caller(uuid: string, caller = '+4930111', queueId = 1, priority = 0) {
      channels.add(uuid);
      await runner.enter({ uuid, queueId, priority, caller, callerName: '' });
      await settle();
    },
    /** The ringing offer to an extension (throws when none). */
    ringingAt(ext: string) {
      const r = [...ringing.entries()].find(([, v]) => v.agentExt === ext);
      if (!r) throw new Error(`nothing rings at ${ext}; ringing: ${[...ringing.values()].map((v) => v.agentExt).join(', ') || 'none'}`);
      return { leg: r[0], ...r[1] };
    },
    ringingExts: () => [...ringing.values()].map((v) => v.agentExt).sort(),
    async answer(ext: string) {
      const r = world.ringingAt(ext);
      r.answer();
      await settle();
      return r.leg;
    },
    async fail(ext: string, cause: string) {
      world.ringingAt(ext).fail(cause);
      await settle();
    },
    async hangup(uuid: string) {
      channels.delete(uuid);
      ctx.sw.emit('channel.hungup', hangupInfo(uuid));
      await settle();
    },
    register(ext: string, up: boolean) {
      if (up) registered.add(ext);
      else registered.delete(ext);
      for (const fn of phoneListeners) fn(ext);
    },
    state: (id: number) => runner.acd.agent(id)?.state,
    kinds: (callId: string) => ledger.forCall(callId).map((e) => e.kind),
    sent: () => ctx.sw.lines(),
    channel: channelInfo,
  };
  return world;
}
export type AcdWorld = Awaited<ReturnType<typeof acdWorld>>;
