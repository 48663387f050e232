// The agent's workbench: one page that renders the state the server pushes (/agent/events) and posts the agent's
// actions. It never reloads: the browser phone's call and the customer pages live in it.
(function () {
  const root = document.querySelector('[data-workbench]');
  if (!root) return;
  const boot = JSON.parse(document.getElementById('workbench-boot').textContent);
  const csrf = root.getAttribute('data-csrf');
  const tab = Math.random().toString(16).slice(2, 12);
  const $ = (name) => root.querySelector(`[data-wb="${name}"]`);
  const $$ = (sel) => [...root.querySelectorAll(sel)];
  const show = (el, on) => el && (el.hidden = !on);
  const fmt = (ms) => {
    const s = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return `${h ? `${h}:${String(m).padStart(2, '0')}` : m}:${String(s % 60).padStart(2, '0')}`;
  };
  let state = boot.state;
  let skew = 0;
  let phone = null;
  let incoming = null;
  let active = true;
  const phases = new Map();

  // Actions: JSON in and out; the answer carries the new state, or the error and the fields it concerns.
  async function post(path, data) {
    if (!active) return message('This window is no longer your workbench: take it back first.', 'error');
    $$('[data-error]').forEach((e) => ((e.textContent = ''), (e.hidden = true)));
    const res = await fetch(`/agent/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf, 'X-Workbench-Tab': tab }, body: JSON.stringify(data || {}) });
    const out = await res.json().catch(() => ({ ok: false, message: `The server answered ${res.status}.` }));
    if (out.state) render(out.state);
    for (const [field, text] of Object.entries(out.fields || {})) {
      const e = root.querySelector(`[data-error="${field}"]`);
      if (e) (e.textContent = text), (e.hidden = false);
    }
    message(out.message, out.ok ? 'success' : 'error');
    return out;
  }
  let messageTimer = null;
  function message(text, kind) {
    const m = $('message');
    m.textContent = text || '';
    m.className = `flash flash-${kind}`;
    show(m, Boolean(text));
    clearTimeout(messageTimer);
    // Confirmations fade; errors stay until the next action.
    if (kind === 'success') messageTimer = setTimeout(() => show(m, false), 6000);
  }

  function facts(el, rows) {
    el.replaceChildren();
    for (const [k, v] of rows) {
      if (v === null || v === undefined || v === '') continue;
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      el.append(dt, dd);
    }
  }
  const ivrRows = (ivr) => (ivr ? [['Dialled', ivr.called], ['IVR', `${ivr.flow}: ${ivr.path.join(' → ')}`], ...Object.entries(ivr.vars || {}).map(([k, v]) => [k, v])] : []);

  function render(s) {
    state = s;
    skew = s.now - Date.now();
    const a = s.agent;
    const label = $('state');
    label.textContent = a ? `${a.label}${a.reason ? ` · ${a.reason}` : ''}` : 'Not an agent';
    label.className = `agent-state state-${a ? a.state : 'logged_out'}`;
    $('device').textContent = `${$('device').textContent.split(' · ')[0]} · ${a && a.deviceUp ? 'registered' : 'not registered'}`;
    const st = a ? a.state : 'logged_out';
    show(root.querySelector('[data-wb-action="login"]'), st === 'logged_out');
    show(root.querySelector('.wb-bar-actions [data-wb-action="ready"]'), st === 'not_ready');
    show($('break'), st !== 'logged_out');
    show(root.querySelector('[data-wb-action="logout"]'), st !== 'logged_out');
    const pending = a && a.pending;
    $('pending').textContent = pending ? `After this call you will be ${pending.state === 'logged_out' ? 'logged out' : `not ready (${pending.reason})`}.` : '';
    show($('pending'), Boolean(pending));

    const call = s.call;
    const offer = !call && s.offer;
    show($('idle'), !call && !offer);
    show($('offer'), Boolean(offer));
    show($('talk'), Boolean(call));
    $('call-title').textContent = call ? (call.direction === 'outbound' ? `Call to ${call.number}` : `Call with ${call.name || call.number}`) : offer ? `Incoming call from ${offer.name || offer.number}` : 'No call';
    $('idle-text').textContent = st === 'logged_out' ? 'Log in to take calls from your queues.' : st === 'ready' ? 'Ready: calls from your queues appear here.' : 'Calls from your queues appear here when you are ready.';
    if (offer) {
      facts($('offer-facts'), [['Number', offer.number], ['Name', offer.name], ['Queue', offer.queue], ['Waited', offer.waitedMs === null ? null : fmt(offer.waitedMs)], ...ivrRows(offer.ivr)]);
      show(root.querySelector('[data-wb-action="answer"]'), Boolean(incoming));
      $('answer-hint').textContent = incoming ? '' : boot.browserPhone ? 'Your browser phone is ringing…' : 'Answer on your phone.';
    }
    if (call) {
      facts($('talk-facts'), [[call.direction === 'outbound' ? 'Called' : 'Caller', call.number], ['Name', call.name], ['Queue', call.queue], ['Caller ID', call.direction === 'outbound' ? call.callerId : null], ...ivrRows(call.ivr)]);
      const words = { dialing: 'Dialling', talking: 'Talking', held: 'On hold', consulting: 'Consulting', conference: 'Three-way' };
      $('talk-state').textContent = `${words[call.state] || call.state}${call.muted ? ' · muted' : ''}`;
      const on = (name, v) => show(root.querySelector(`[data-wb-action="${name}"]`), v);
      on('hold', call.state === 'talking');
      on('unhold', call.state === 'held');
      on('mute', !call.muted && call.state !== 'dialing');
      on('unmute', call.muted);
      const rec = s.recording;
      on('pause-recording', Boolean(rec && !rec.isPaused));
      on('resume-recording', Boolean(rec && rec.isPaused));
      show($('recording'), Boolean(rec && !rec.isPaused));
      show($('recording-paused'), Boolean(rec && rec.isPaused));
      show($('consult'), call.state === 'consulting');
      if (call.consult) $('consult-text').textContent = call.consult.answered ? `Talking to ${call.consult.to}; the caller hears music.` : `Calling ${call.consult.to}…`;
      $$('[data-wb-action="complete"],[data-wb-action="conference"]').forEach((b) => (b.disabled = !(call.consult && call.consult.answered)));
    } else {
      show($('keypad'), false);
      show($('transfer'), false);
    }
    const w = s.wrapUp;
    show($('wrap'), Boolean(w));
    if (w) {
      const codes = $('codes');
      if (codes.dataset.for !== w.dispositions.join('|')) {
        codes.dataset.for = w.dispositions.join('|');
        codes.replaceChildren(new Option('— choose —', ''), ...w.dispositions.map((c) => new Option(c, c)));
      }
      show($('disposition'), w.dispositions.length > 0);
      show($('ready-now'), !w.needsDisposition);
    }
    pops(s);
    tick();
  }

  function tick() {
    const now = Date.now() + skew;
    const a = state.agent;
    $('since').textContent = a ? fmt(now - a.since) : '–';
    if (state.call) $('talk-time').textContent = fmt(now - state.call.since);
    const w = state.wrapUp;
    if (w) $('wrap-text').textContent = w.until ? `Ready again in ${fmt(w.until - now)}${w.needsDisposition ? ', once the disposition is saved' : ''}.` : w.needsDisposition ? 'Save the disposition of the call, then you are ready again.' : 'Take your time; say when you are ready.';
  }

  // Customer pages (screen pops): Ringing on the offer, Talking on the answer, Release at the end (Huawei's order).
  // The same phases refresh the agent's history when a call ends.
  const lastPop = new Map();
  function pops(s) {
    const Pops = window.CallboxPops;
    const id = (s.call || s.offer || {}).callId || null;
    for (const [callId, phase] of phases) {
      if (callId === id || phase === 'Release') continue;
      phases.set(callId, 'Release');
      if (Pops && lastPop.has(callId)) Pops.call('Release', lastPop.get(callId));
      lastPop.delete(callId);
      void refreshHistory();
    }
    if (!id) return;
    const phase = s.call && s.call.state !== 'dialing' ? 'Talking' : 'Ringing';
    const before = phases.get(id);
    if (before === phase || before === 'Talking') return;
    phases.set(id, phase);
    if (!Pops || !s.popPages) return;
    lastPop.set(id, s.popPages);
    // Answered before the page saw it ring: the pages still hear Ringing first.
    if (phase === 'Talking' && !before) Pops.call('Ringing', s.popPages);
    Pops.call(phase, s.popPages);
  }

  // History: the agent's own calls, newest first, a page at a time.
  let next = null;
  async function refreshHistory(older) {
    const url = older && next ? `/agent/history?before=${next}` : '/agent/history';
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const h = await res.json();
    const body = $('history');
    if (!older) body.replaceChildren();
    for (const r of h.rows) {
      const tr = document.createElement('tr');
      const when = new Date(r.at);
      const cells = [when.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }), `${r.direction === 'outbound' ? '↗' : '↙'} ${r.number}`, r.queue || '–', r.talkMs === null ? '–' : fmt(r.talkMs), `${r.outcome}${r.disposition ? ` · ${r.disposition}` : ''}`];
      for (const [i, c] of cells.entries()) {
        const td = document.createElement('td');
        // The time opens the call's record (its timeline, recordings): the agent's own, at /agent/calls.
        if (i === 0 && r.callId) {
          const a = document.createElement('a');
          a.href = `/agent/calls/${encodeURIComponent(r.callId)}`;
          a.textContent = c;
          td.append(a);
        } else td.textContent = c;
        tr.append(td);
      }
      if (r.note) tr.title = r.note;
      body.append(tr);
    }
    next = h.next;
    show(root.querySelector('[data-wb-action="more"]'), next !== null);
    show($('history-empty'), body.children.length === 0);
  }

  // The browser phone, when the agent's extension allows it: it registers through the console's own origin.
  function startPhone() {
    const P = window.CallboxPhone;
    const pill = $('phone');
    if (!boot.browserPhone || !P) return void (pill.textContent = boot.browserPhone ? 'unavailable' : 'not used (desk phone)');
    phone = P;
    P.on('status', (e) => {
      pill.textContent = e.state + (e.reason ? ` (${e.reason})` : '');
      pill.className = `phone-pill phone-${e.state}`;
    });
    P.on('incoming', (e) => {
      incoming = e;
      if (e.autoAnswer) return void P.answer();
      render(state);
    });
    P.on('answered', () => ((incoming = null), render(state)));
    P.on('ended', () => ((incoming = null), render(state)));
    P.start();
  }

  let source = null;
  function connect() {
    source = new EventSource(`/agent/events?tab=${tab}`);
    source.onmessage = (m) => render(JSON.parse(m.data));
    source.addEventListener('takeover', (m) => {
      active = false;
      source.close();
      if (phone && phone.stop) phone.stop();
      $('takeover-text').textContent = JSON.parse(m.data).message;
      show($('takeover'), true);
    });
  }

  root.addEventListener('click', (ev) => {
    const b = ev.target.closest('[data-wb-action],[data-wb-toggle],[data-wb-key]');
    if (!b) return;
    const action = b.getAttribute('data-wb-action');
    const toggle = b.getAttribute('data-wb-toggle');
    if (toggle) {
      const el = $(toggle);
      show(el, el.hidden);
      b.setAttribute('aria-expanded', String(!el.hidden));
      return;
    }
    if (b.hasAttribute('data-wb-key')) {
      const k = b.getAttribute('data-wb-key');
      if (phone && phone.sendDtmf && boot.browserPhone) phone.sendDtmf(k);
      else void post('call/dtmf', { digits: k });
      return;
    }
    if (action === 'answer') return void (phone && phone.answer());
    if (action === 'more') return void refreshHistory(true);
    if (action === 'takeback') {
      active = true;
      show($('takeover'), false);
      connect();
      if (phone) phone.start();
      return;
    }
    if (action === 'not-ready') return void post('not-ready', { reason: root.querySelector('#wb-reason').value });
    const paths = { hangup: 'call/hangup', hold: 'call/hold', unhold: 'call/unhold', mute: 'call/mute', unmute: 'call/unmute', complete: 'call/complete', conference: 'call/conference', cancel: 'call/cancel', 'pause-recording': 'call/recording/pause', 'resume-recording': 'call/recording/resume' };
    void post(paths[action] || action);
  });

  // The transfer dialog: who, by kind.
  const xkind = root.querySelector('#wb-xkind');
  const xchoices = $('xchoices');
  const xnumber = root.querySelector('#wb-xnumber');
  function fillTargets() {
    const k = xkind.value;
    const list = { agent: boot.targets.agents.map((a) => [a.id, a.name]), queue: boot.targets.queues.map((q) => [q.id, q.name]), flow: boot.targets.flows.map((f) => [f.id, f.name]), extension: boot.targets.extensions.map((e) => [e.number, `${e.number} ${e.name}`]) }[k];
    show(xchoices, Boolean(list));
    show(xnumber, !list);
    if (list) xchoices.replaceChildren(...list.map(([v, t]) => new Option(t, v)));
  }
  xkind.addEventListener('change', fillTargets);
  fillTargets();
  $('transfer').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const mode = ev.submitter && ev.submitter.getAttribute('data-mode');
    const value = xkind.value === 'external' ? xnumber.value.trim() : xchoices.value;
    void post(mode === 'consult' ? 'call/consult' : 'call/transfer', { kind: xkind.value, value }).then((out) => out && out.ok && show($('transfer'), false));
  });

  const cids = $('caller-ids');
  cids.replaceChildren(...(boot.callerIds.length ? boot.callerIds.map((n) => new Option(n, n)) : [new Option('The route’s number', '')]));
  function dial(number) {
    return post('call/dial', { number, callerId: cids.value });
  }
  $('dial').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void dial(root.querySelector('#wb-number').value);
  });
  $('disposition').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    void post('disposition', { code: f.get('code'), note: f.get('note') }).then((out) => {
      if (!out || !out.ok) return;
      ev.target.reset();
      void refreshHistory();
    });
  });

  if (window.CallboxPops && boot.pops) {
    const box = $('pops');
    show(box, true);
    window.CallboxPops.mount(box, { ...boot.pops, onCallout: (number) => void dial(number) });
  }
  window.CallboxWorkbench = { dial, get state() { return state; }, tab };
  render(state);
  startPhone();
  connect();
  void refreshHistory();
  setInterval(tick, 1000);
})();
