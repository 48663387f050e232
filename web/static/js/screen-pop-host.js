/*
 * The workbench's side of screen pops: a tab strip with one frame per embedded pop, the GET/POST/window opening
 * per call, the AICCSupport.js events to Web API pages, and click-to-dial requests from pop pages.
 *
 * CallboxPops.mount(container, { origin, allowedOrigins, workNo, pops, onCallout(number, mode, via) })
 *   pops: buildPops() with no call. Web API frames load here, once, and live as long as the workbench.
 * CallboxPops.call(eventName, { pops, sdk })
 *   eventName: 'Ringing' | 'Talking' | 'Release'; pops: buildPops() for this call; sdk: sdkEvent() for it.
 *
 * Messages accepted (from a pop frame or a window we opened, whose origin is allowed; data a JSON string or an object):
 *   {name:'callout', param:[number, mode]} or {name:'callout', param:{number, mode}}   (Huawei's GET/POST pages)
 *   {callbox:'aicc', type:'register'} and {callbox:'aicc', type:'clickToOutbound', param:{mediaType, calledNum}}  (the SDK)
 * Replies to a callout: {name:'calloutResult', ok} (a Callbox extension; Huawei pages ignore it).
 */
(function (global) {
  'use strict';

  var state = null;
  var NUMBER = /^\+?[0-9]{2,20}$/;
  var TRIGGERS = { Ringing: 'ring', Talking: 'answer' };

  function el(tag, attrs) {
    var node = global.document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    return node;
  }

  function frameName(id) {
    return 'callbox-pop-' + id;
  }

  function select(id) {
    Object.keys(state.frames).forEach(function (key) {
      var f = state.frames[key];
      var on = String(f.pop.id) === String(id);
      f.tab.setAttribute('aria-selected', String(on));
      f.iframe.hidden = !on;
    });
  }

  function mount(container, options) {
    if (state) global.removeEventListener('message', onMessage);
    state = {
      container: container,
      origin: options.origin,
      allowedOrigins: (options.allowedOrigins || []).slice(),
      workNo: String(options.workNo),
      onCallout: options.onCallout || function () {
        return false;
      },
      frames: {},
      windows: {},
      sdkTargets: [],
      current: null,
    };
    container.textContent = '';
    var tabs = el('div', { class: 'pop-tabs', role: 'tablist' });
    var panels = el('div', { class: 'pop-panels' });
    container.appendChild(tabs);
    container.appendChild(panels);
    (options.pops || []).forEach(function (pop) {
      if (pop.openMode !== 'embed') return;
      var tab = el('button', { type: 'button', role: 'tab', 'data-pop-id': pop.id, 'aria-selected': 'false' });
      tab.textContent = pop.name;
      tab.addEventListener('click', function () {
        select(pop.id);
      });
      var iframe = el('iframe', { class: 'pop-frame', name: frameName(pop.id), title: pop.name, 'data-pop-id': pop.id, 'data-integration': pop.integration });
      iframe.hidden = true;
      tabs.appendChild(tab);
      panels.appendChild(iframe);
      state.frames[pop.id] = { pop: pop, tab: tab, iframe: iframe };
      // Web API pages live as long as the workbench; GET and POST pages load with each call.
      if (pop.integration === 'webapi') iframe.src = pop.url;
    });
    var first = (options.pops || []).filter(function (p) {
      return p.openMode === 'embed';
    })[0];
    if (first) select(first.id);
    global.addEventListener('message', onMessage);
  }

  function submitForm(url, fields, target) {
    var form = el('form', { method: 'post', action: url, target: target, enctype: 'application/x-www-form-urlencoded' });
    form.style.display = 'none';
    fields.forEach(function (f) {
      var input = el('input', { type: 'hidden', name: f[0] });
      input.value = f[1];
      form.appendChild(input);
    });
    state.container.appendChild(form);
    form.submit();
    form.remove();
  }

  /** Load one GET or POST pop for this call, in its frame or its own window. */
  function open(pop) {
    if (pop.openMode === 'window') {
      var name = 'pop-' + pop.id;
      var w = global.open(pop.integration === 'post' ? 'about:blank' : pop.url, name);
      if (!w) {
        console.error('CallboxPops: the browser blocked the window of ' + pop.name + '; allow pop-ups for this site');
        return;
      }
      state.windows[pop.id] = w;
      if (pop.integration === 'post') submitForm(pop.url, pop.fields, name);
      return;
    }
    var f = state.frames[pop.id];
    if (!f) return;
    if (pop.integration === 'post') submitForm(pop.url, pop.fields, frameName(pop.id));
    else f.iframe.src = pop.url;
    return true;
  }

  function sendEvent(target, name, data) {
    target.win.postMessage({ callbox: 'aicc', type: 'event', name: name, data: data }, target.origin);
  }

  function call(eventName, detail) {
    if (!state) throw new Error('CallboxPops.call before CallboxPops.mount');
    var trigger = TRIGGERS[eventName];
    var sdk = detail && detail.sdk;
    state.current = eventName === 'Release' ? null : { name: eventName, data: sdk };
    if (trigger) {
      var shown = null;
      ((detail && detail.pops) || []).forEach(function (pop) {
        if (pop.trigger !== trigger || pop.integration === 'webapi') return;
        if (open(pop) && shown === null) shown = pop.id;
      });
      if (shown !== null) select(shown);
    }
    state.sdkTargets.forEach(function (t) {
      sendEvent(t, eventName, sdk);
    });
  }

  /** The pop a message came from: one of our frames, or a window we opened. */
  function sourcePop(source) {
    var id;
    for (id in state.frames) if (state.frames[id].iframe.contentWindow === source) return state.frames[id].pop;
    for (id in state.windows) if (state.windows[id] === source) return { id: id };
    return null;
  }

  function reply(event, ok) {
    event.source.postMessage({ name: 'calloutResult', ok: ok }, event.origin);
  }

  function callout(event, number, mode, via) {
    var m = mode === undefined || mode === null || mode === '' ? 'audio' : String(mode);
    if (m !== 'audio') {
      console.error('CallboxPops: ' + m + ' calls are not available in Callbox; only audio. Callout refused.');
      return reply(event, false);
    }
    var n = String(number === undefined || number === null ? '' : number).trim();
    if (!NUMBER.test(n)) {
      console.error('CallboxPops: callout refused, not a phone number: ' + n);
      return reply(event, false);
    }
    var result;
    try {
      result = state.onCallout(n, 'audio', via);
    } catch (e) {
      console.error('CallboxPops: callout failed', e);
      return reply(event, false);
    }
    if (result && typeof result.then === 'function') {
      result.then(
        function (ok) {
          reply(event, ok !== false);
        },
        function () {
          reply(event, false);
        },
      );
    } else reply(event, result !== false);
  }

  function register(event) {
    var known = state.sdkTargets.filter(function (t) {
      return t.win === event.source;
    })[0];
    var target = known || { win: event.source, origin: event.origin };
    target.origin = event.origin;
    if (!known) state.sdkTargets.push(target);
    // A page that (re)loads gets Init, then the call in progress, if any.
    sendEvent(target, 'Init', { callerNum: null, calledNum: null, callid: null, mediaType: null, callType: null, workNo: state.workNo, calldata: null });
    if (state.current) sendEvent(target, state.current.name, state.current.data);
  }

  function onMessage(event) {
    if (!state || state.allowedOrigins.indexOf(event.origin) < 0 || !event.source || !sourcePop(event.source)) return;
    var data = event.data;
    if (typeof data === 'string') {
      try {
        data = JSON.parse(data);
      } catch (e) {
        return;
      }
    }
    if (!data || typeof data !== 'object') return;
    if (data.callbox === 'aicc') {
      if (data.type === 'register') register(event);
      else if (data.type === 'clickToOutbound') {
        var p = data.param || {};
        callout(event, p.calledNum, p.mediaType, 'sdk');
      }
      return;
    }
    if (data.name === 'callout') {
      var param = data.param;
      if (Array.isArray(param)) callout(event, param[0], param[1], 'callout');
      else if (param && typeof param === 'object') callout(event, param.number, param.mode, 'callout');
    }
  }

  global.CallboxPops = { mount: mount, call: call };
})(window);
