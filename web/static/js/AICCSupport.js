/*
 * AICCSupport.js for Callbox: the SDK a CRM page embedded in the agent workbench uses, with the names, events and
 * console lines of Huawei CEC's AICCSupport.js, so a page written for Huawei works after changing host:port.
 *
 * Transport: postMessage with the workbench, which must be the top window. The workbench's origin comes from this
 * page's own `origin` query parameter (the workbench adds it to the frame's address); messages from any other
 * origin or window are ignored.
 *   page -> workbench: {callbox:'aicc', type:'register'} and {callbox:'aicc', type:'clickToOutbound', param:{mediaType, calledNum}}
 *   workbench -> page: {callbox:'aicc', type:'event', name, data}
 *
 * Plain ES5 on purpose: CRM pages are old and have no build step.
 */
(function (global) {
  'use strict';

  var PREFIX = '[AICCSupport Log] ';
  var handlers = {};

  function info(text) {
    console.log(PREFIX + '-Info- ' + text);
  }
  function error(text) {
    console.error(PREFIX + '-Error- ' + text);
  }

  /** The `origin` query parameter of this page's address, or null. */
  function hostOrigin() {
    var query = global.location.search.replace(/^\?/, '');
    var pairs = query ? query.split('&') : [];
    for (var i = 0; i < pairs.length; i++) {
      var at = pairs[i].indexOf('=');
      var key = at < 0 ? pairs[i] : pairs[i].slice(0, at);
      if (key === 'origin') {
        var value = at < 0 ? '' : pairs[i].slice(at + 1);
        try {
          value = decodeURIComponent(value);
        } catch (e) {
          return null;
        }
        return /^https?:\/\/[^/?#\s]+$/.test(value) ? value : null;
      }
    }
    return null;
  }

  var origin = hostOrigin();
  var top = global.top;
  var framed = top && top !== global;

  function post(message) {
    if (!origin || !framed) {
      error('no workbench: this page must be opened by the Callbox workbench (an embedded Web API pop), with origin in its address');
      return false;
    }
    top.postMessage(message, origin);
    return true;
  }

  global.addEventListener('message', function (event) {
    if (!origin || event.origin !== origin || event.source !== top) return;
    var data = event.data;
    if (!data || data.callbox !== 'aicc' || data.type !== 'event' || typeof data.name !== 'string') return;
    var handler = handlers[data.name];
    if (typeof handler !== 'function') return;
    info('eventHandler - execute ' + data.name + ' event handler');
    handler(data.data);
  });

  var AICCSupport = {
    /** One handler per event name (Init, Ringing, Talking, Release, Switch, IvrReturn); adding again replaces it. */
    addHandler: function (eventName, callback) {
      if (typeof eventName !== 'string' || typeof callback !== 'function') {
        error('addHandler - an event name and a function are required');
        return;
      }
      handlers[eventName] = callback;
      info('addHandler - add ' + eventName + ' handler');
    },

    removeHandler: function (eventName) {
      delete handlers[eventName];
      info('removeHandler -remove ' + eventName + ' handler');
    },

    /** Asks the workbench to dial calledNum (mediaType 'audio'; Callbox has no video, email or WhatsApp calls). */
    clickToOutbound: function (outboundParam) {
      info('clickToOutbound - execute One-click out call');
      var p = outboundParam || {};
      if (typeof p.calledNum !== 'string' && typeof p.calledNum !== 'number') {
        error('clickToOutbound - calledNum is required');
        return;
      }
      post({ callbox: 'aicc', type: 'clickToOutbound', param: { mediaType: p.mediaType ? String(p.mediaType) : 'audio', calledNum: String(p.calledNum) } });
    },

    /**
     * Identity verification is not built in Callbox, so no method code is configured, and Huawei defines
     * {verifyResult: ''} as "invalid method code". Pages that check for it keep working.
     */
    getVerifyResult: function () {
      return { verifyResult: '' };
    },
  };

  global.AICCSupport = AICCSupport;

  // Register after the page's own load handlers have run: Huawei's sample adds its Init handler in
  // window.onload, and the workbench sends Init as soon as the page registers.
  function register() {
    post({ callbox: 'aicc', type: 'register' });
  }
  if (global.document.readyState === 'complete') global.setTimeout(register, 0);
  else
    global.addEventListener('load', function () {
      global.setTimeout(register, 0);
    });
})(window);
