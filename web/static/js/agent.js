// The agent's state, live: the page reloads when the state changes (the server renders the right actions), and
// the time in state and the wrap-up countdown tick here. The open stream is also the page's heartbeat.
(function () {
  const bar = document.querySelector('[data-agent-live]');
  if (!bar) return;
  let skew = 0;
  // The state the page was rendered with: any other state, even in the stream's first message, means reload.
  const known = bar.getAttribute('data-agent-key');
  const fmt = (s) => {
    s = Math.max(0, Math.floor(s));
    const m = Math.floor(s / 60);
    return `${m}:${String(s % 60).padStart(2, '0')}`;
  };
  const tick = () => {
    const now = Date.now() + skew;
    const since = document.querySelector('[data-agent="since"]');
    if (since) since.textContent = fmt((now - Number(since.getAttribute('data-since'))) / 1000);
    const wrap = document.querySelector('[data-agent="wrapup"]');
    if (wrap) wrap.textContent = fmt((Number(wrap.getAttribute('data-until')) - now) / 1000);
  };
  const source = new EventSource(bar.getAttribute('data-agent-live'));
  source.onmessage = (m) => {
    const s = JSON.parse(m.data);
    skew = s.now - Date.now();
    if (s.agent && s.agent.key !== known) location.reload();
    tick();
  };
  setInterval(tick, 1000);
  tick();
})();
