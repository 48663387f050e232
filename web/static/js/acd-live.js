// Live queues: the server pushes a snapshot after every change; times in state and waits tick here each second.
(function () {
  const root = document.querySelector('[data-acd-live]');
  if (!root) return;
  const csrf = root.getAttribute('data-csrf');
  const status = document.querySelector('[data-live-status]');
  const el = (name) => root.querySelector(`[data-live="${name}"]`);
  let snap = null;
  let skew = 0;
  const clock = () => Date.now() + skew;
  const since = (ms) => {
    const s = Math.max(0, Math.floor((clock() - ms) / 1000));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return h ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
  };
  const node = (tag, text, cls) => {
    const n = document.createElement(tag);
    if (text !== undefined && text !== null) n.textContent = String(text);
    if (cls) n.className = cls;
    return n;
  };
  const row = (cells) => {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      if (c instanceof Node) td.appendChild(c);
      else td.textContent = c === null || c === undefined ? '' : String(c);
      tr.appendChild(td);
    }
    return tr;
  };
  const empty = (body, cols, text) => {
    const td = node('td', text, 'empty');
    td.colSpan = cols;
    const tr = document.createElement('tr');
    tr.appendChild(td);
    body.replaceChildren(tr);
  };
  const action = (agentId, what, label) => {
    const f = document.createElement('form');
    f.method = 'post';
    f.action = `/admin/queues/live/agents/${agentId}/${what}`;
    f.className = 'inline-form';
    const t = document.createElement('input');
    t.type = 'hidden';
    t.name = '_csrf';
    t.value = csrf;
    f.appendChild(t);
    f.appendChild(node('button', label, 'link-button'));
    return f;
  };
  const render = () => {
    if (!snap) return;
    const tiles = el('queues');
    tiles.replaceChildren();
    if (!snap.queues.length) tiles.appendChild(node('p', 'No queues with agents yet.', 'muted'));
    for (const q of snap.queues) {
      const s = node('section', null, 'tile queue-tile');
      s.appendChild(node('h2', q.name));
      const fig = node('p', String(q.waitingCount), 'tile-figure');
      fig.appendChild(node('span', ' waiting', 'muted small'));
      s.appendChild(fig);
      s.appendChild(node('p', `${q.available} available · ${q.talking} talking · ${q.loggedIn} logged in`, 'muted small'));
      const longest = q.waiting.reduce((m, w) => Math.min(m, w.enteredAt), Infinity);
      s.appendChild(node('p', q.waitingCount ? `longest wait ${since(longest)}` : 'nobody waiting', 'small'));
      tiles.appendChild(s);
    }
    const waiting = el('waiting');
    const rows = snap.queues.flatMap((q) => q.waiting.map((w) => ({ q, w })));
    if (!rows.length) empty(waiting, 6, 'Nobody is waiting.');
    else
      waiting.replaceChildren(
        ...rows.map(({ q, w }) => row([q.name, w.position, `${w.caller || 'unknown'}${w.callback ? ' (callback)' : ''}`, w.priority || '', since(w.enteredAt), w.offeredTo.join(', ')])),
      );
    const agents = el('agents');
    if (!snap.agents.length) empty(agents, 7, 'No agents yet.');
    else
      agents.replaceChildren(
        ...snap.agents.map((a) => {
          const state = node('span', a.label + (a.reason && a.state === 'not_ready' ? ` · ${a.reason}` : ''), `agent-state state-${a.state}`);
          const actions = document.createElement('span');
          if (a.state !== 'logged_out') actions.appendChild(action(a.id, 'logout', 'Log out'));
          if (a.state === 'not_ready' || a.state === 'wrap_up') actions.appendChild(action(a.id, 'ready', 'Ready'));
          if (a.state === 'ready') actions.appendChild(action(a.id, 'not-ready', 'Break'));
          const inState = since(a.since) + (a.pending ? ` · then ${a.pending}` : '') + (a.caller ? ` · ${a.caller}` : '');
          return row([a.name, state, inState, a.deviceUp ? 'registered' : 'not registered', a.queues.join(', '), a.calls, actions]);
        }),
      );
  };
  const source = new EventSource(root.getAttribute('data-acd-live'));
  source.onmessage = (m) => {
    snap = JSON.parse(m.data);
    skew = snap.now - Date.now();
    if (status) status.textContent = 'live';
    render();
  };
  source.onerror = () => {
    if (status) status.textContent = 'reconnecting…';
  };
  setInterval(render, 1000);
})();
