/* rtp_py's page side: the JavaScript half of rtp_py/bridge.py. rtp_py runs it from its bundle, once per
   interpreter, the first time it needs the page; it is not a snippet to paste. Its value is a function that
   takes the bounds from rtp_py/limits.py and returns the helpers BrowserPage calls, each named as the
   BrowserPage method that uses it (session_seen -> sessionSeen).

   Why JavaScript at all: MicroPython cannot catch a JavaScript exception (the whole script aborts), so every
   call that may throw (the tag, querySelectorAll, sessionStorage) is made here, inside a try; and payloads are
   built here as plain objects and arrays, one crossing per call.

   window.rtpPy is the state every copy of rtp_py on the page shares (both interpreters, a script included
   twice), and the capture and segments snippets too. Its fields, all of them, declared here once:

   @typedef {Object} RtpPy
   @property {Array} q                 clicks the capture snippet recorded before start(): [element, text, once]
   @property {boolean} capturing       the capture snippet is listening (capture.js)
   @property {boolean} python          PyScript ran a script of the page (py:ready or mpy:ready; capture.js)
   @property {boolean} restored        the page was shown again from the back/forward cache (capture.js)
   @property {boolean} live            a start() ran on this page: declarative tracking is on
   @property {string} consent          the page-wide consent state: "pending", "granted" or "denied"
   @property {boolean} consentAnnounced  the first rtp-py:consent event went out
   @property {number} consentFirst     the timer that announces the first state
   @property {Array<Function>} watchers  each interpreter's consent watcher
   @property {WeakSet} reported        elements whose invalid data-rtp-event was reported once
   @property {WeakMap} bound           element -> the on_click bindings it has (one click is one call)
   @property {number} relays           callbacks relayed to rtp that are still alive
   @property {boolean} startCheck      the "no start()" warning is armed
   @property {Function} showSegments   shows the data-rtp-segment blocks of some segments (segments.js)
   @property {Object} consentKit       the consent platforms' readers (consent.js)
   @property {boolean} tagInserted     insert_tag put Marketo's tag on the page
*/
(function (maxText, keptKey, visitorKey, maxDepth, maxJson) {
  "use strict";
  var w = window, d = document;
  var page = w.rtpPy = w.rtpPy || {q: []};
  page.q = page.q || [];
  page.reported = page.reported || new WeakSet();
  page.bound = page.bound || new WeakMap();

  var NEVER_STARTED = "[rtp_py] every script on this page has run and none called start(): data-rtp-event " +
    "clicks are not sent, and clicks captured during start-up are not replayed. Fix: call rtp_py.start() " +
    "after your on_click bindings.";
  // PyScript fires py:all-done once every script on the page has run: if none called start() by then,
  // declarative clicks are never sent. Said once per page, whichever interpreter armed it.
  if (!page.startCheck) {
    page.startCheck = true;
    w.addEventListener("py:all-done", function () { if (!page.live) console.warn(NEVER_STARTED); }, {once: true});
  }

  function text(e) {
    // A thrown value as text, whatever it is: an Error, a string, an object whose message or toString
    // throws, a revoked Proxy. Reading it must never throw in turn (MicroPython would abort).
    try {
      var m = e !== null && e !== undefined ? e.message : undefined;
      if (typeof m === "string") return m;
    } catch { /* fall through to the next way of reading it */ }
    try { return String(e); } catch { /* and the next */ }
    try { return Object.prototype.toString.call(e); } catch { /* nothing left to try */ }
    return "(a value that cannot be read)";
  }

  function pageText(s) {
    // A string from the page, checked before it enters Python, the same way on both interpreters:
    // too long ["long", characters], or not well-formed UTF-16 ["surrogate", code, index] (MicroPython's
    // strings cannot hold a lone surrogate). Lengths and indices count code points, as Python does.
    var c;
    if (s.length > maxText) { var n = 0; for (c of s) n++; if (n > maxText) return ["long", n]; }
    if (s.isWellFormed()) return s;
    var i = 0;
    for (c of s) {
      var u = c.charCodeAt(0);
      if (c.length === 1 && u >= 0xD800 && u < 0xE000) return ["surrogate", u, i];
      i++;
    }
    return s;
  }

  function stub() {
    // Marketo's documented queue stub, as its snippet writes it: the first call makes rtp.q, and calls wait
    // there until rtp.js replaces it.
    var rtp = function () { (rtp.q = rtp.q || []).push(arguments); };
    return rtp;
  }

  function invoke(args) {
    // rtp(...args), the queue stub installed first if rtp is missing. 1 = stub installed, 0 = sent, else a
    // string: why the tag did not take it (reading rtp threw, rtp threw).
    var rtp, installed = 0;
    try { rtp = w.rtp; } catch (e) { return "reading window.rtp threw: " + text(e); }
    if (typeof rtp !== "function") {
      rtp = stub();
      try { w.rtp = rtp; } catch (e) { return "window.rtp is not a function and cannot be replaced: " + text(e); }
      if (w.rtp !== rtp) return "window.rtp is not a function and cannot be replaced";
      installed = 1;
    }
    try { Function.prototype.apply.call(rtp, w, args); } catch (e) { return "rtp threw: " + text(e); }
    return installed;
  }

  function nesting(json) {
    // How deep a JSON text nests, without recursion (brackets inside strings do not count).
    var depth = 0, most = 0, inString = false;
    for (var i = 0; i < json.length; i++) {
      var c = json.charCodeAt(i);
      if (inString) { if (c === 92) i++; else if (c === 34) inString = false; }
      else if (c === 34) inString = true;
      else if (c === 91 || c === 123) { if (++depth > most) most = depth; }
      else if (c === 93 || c === 125) depth--;
    }
    return most;
  }

  function relay(callback, once) {
    // A JS function for rtp to call back. Its arguments reach Python as JSON text (plain data on both
    // interpreters), or, if they cannot be read as JSON (a cycle, a BigInt, a throwing getter, a revoked
    // Proxy) or are too deep or too long, as "" and the problem. Nothing is ever thrown back into rtp.
    // `once`: let go of the Python callback after its first call (get visitor's answer). Returns
    // [function, release]; release() lets go without a call (a timeout), and is safe to call twice.
    var live = callback;
    page.relays = (page.relays || 0) + 1;
    function free(done) {
      page.relays--;
      try { if (typeof done.destroy === "function") done.destroy(); } catch { /* already freed */ }
    }
    function release() { if (live) { var done = live; live = null; free(done); } }
    function relayed() {
      if (!live) return;
      var json = "", problem = "";
      try { json = JSON.stringify(Array.prototype.slice.call(arguments)); } catch (e) { problem = text(e); }
      if (!problem && typeof json !== "string") problem = "the arguments are not JSON";
      else if (!problem && json.length > maxJson) problem = "the arguments are " + json.length + " characters of JSON";
      else if (!problem && nesting(json) > maxDepth) problem = "the arguments nest deeper than " + maxDepth + " levels";
      if (problem) json = "";
      var call = live;
      if (once) live = null;  // a second answer finds nothing to call
      try { call(json, problem); } catch { /* a Python failure never reaches the tag */ }
      if (once) free(call);
    }
    return [relayed, release];
  }

  function describe(el) {
    try { return el.tagName.toLowerCase() + (el.id ? "#" + el.id : ""); } catch { return "element"; }
  }

  function run(source) {
    // A snippet of rtp_py's own (consent.js, segments.js), run once: it puts its helpers on window.rtpPy.
    new Function(source)();
  }

  function announce(name, detail) {
    d.dispatchEvent(new CustomEvent("rtp-py:" + name, {detail: detail}));
  }

  return {
    relay: relay,
    parse: function (json) { return JSON.parse(json); },

    sendEvent: function (isList) {
      // The hot path, one crossing per call: rtp("send", "event", {value}) with a plain Object.
      return invoke(["send", "event", {value: isList ? Array.prototype.slice.call(arguments, 1) : arguments[1]}]);
    },
    call: function (json, positions, functions) {
      // Any other call: the arguments as JSON (so they reach rtp as plain objects and arrays), with the
      // relayed Python callbacks (`functions`, made by `relay`) put back in their places.
      var args = JSON.parse(json);
      for (var i = 0; i < positions.length; i++) args[positions[i]] = functions[i];
      return invoke(args);
    },
    liveRelays: function () { return page.relays || 0; },
    queryAll: function (selector) {
      try { return [true, Array.from(d.querySelectorAll(selector))]; } catch (e) { return [false, text(e)]; }
    },
    hasElements: function (selector) {
      try { return d.querySelector(selector) !== null; } catch { return false; }
    },
    claim: function () { if (page.live) return false; page.live = true; return true; },
    drainCaptured: function () {
      // Clicks captured before start: those an earlier page (or this one, while hidden) kept in
      // sessionStorage first, then this page's. Each as [element or false, text, once, description].
      // A page restored from the back/forward cache leaves what is kept to the next page (capture.js says why).
      var out = [], over = 0, stored = null;
      if (!page.restored) {
        try { stored = sessionStorage.getItem(keptKey); sessionStorage.removeItem(keptKey); } catch { /* none kept */ }
      }
      if (stored !== null) {
        try { stored = JSON.parse(stored); } catch { stored = null; }
        var q = stored && Array.isArray(stored.q) ? stored.q : [];
        over = (stored && +stored.over) || 0;
        for (var i = 0; i < q.length; i++) {
          var c = q[i];
          if (Array.isArray(c) && typeof c[0] === "string") {
            out.push([false, pageText(c[0]), !!c[1], String(c[2] || "element").toLowerCase()]);
          } else over++;
        }
        if (!Array.isArray(stored && stored.q)) over++;
      }
      page.q.splice(0).forEach(function (c) { out.push([c[0], pageText(c[1]), !!c[2], describe(c[0])]); });
      return [out, over];
    },
    declarativeTarget: function (target, selector, attribute, onceAttribute) {
      try {
        var el = target && target.closest ? target.closest(selector) : null;
        return el ? [el, pageText(el.getAttribute(attribute)), el.hasAttribute(onceAttribute)] : [];
      } catch { return []; }
    },
    describe: describe,
    firstReport: function (el) { if (page.reported.has(el)) return false; page.reported.add(el); return true; },
    claimBinding: function (el, key) {
      var keys = page.bound.get(el) || new Set();
      page.bound.set(el, keys);
      if (keys.has(key)) return false;
      keys.add(key);
      return true;
    },
    releaseBinding: function (el, key) { var keys = page.bound.get(el); if (keys) keys.delete(key); },
    sessionSeen: function (key) { try { return sessionStorage.getItem(key) !== null; } catch { return false; } },
    sessionRemember: function (key) {
      try { sessionStorage.setItem(key, "1"); return true; } catch { return false; }
    },
    cachedVisitor: function () { try { return sessionStorage.getItem(visitorKey) || ""; } catch { return ""; } },
    cacheVisitor: function (json) {
      try { sessionStorage.setItem(visitorKey, json); return true; } catch { return false; }
    },
    forgetStored: function (prefix) {
      // Remove what rtp_py kept in this tab's sessionStorage (consent denied).
      try {
        for (var i = sessionStorage.length - 1; i >= 0; i--) {
          var key = sessionStorage.key(i);
          if (key !== null && key.indexOf(prefix) === 0) sessionStorage.removeItem(key);
        }
        return true;
      } catch { return false; }
    },
    showSegments: function (source, names) {
      // The segments snippet runs here if the page did not paste it; then its rule follows `names`.
      try { if (!page.showSegments) run(source); page.showSegments(names); return true; } catch { return false; }
    },
    announce: function (name, kind, value, reason, call) {
      var detail = {kind: kind, value: value, reason: reason};
      if (call) detail.call = call;
      announce(name, detail);
    },
    markReady: function () { d.documentElement.classList.add("rtp-ready"); },

    // Consent, page-wide: one state for every interpreter. Each interpreter watches it (with `id`, the index
    // of its watcher, so that it is not told of its own changes); pages and inspectors get "rtp-py:consent".
    consentState: function () { return typeof page.consent === "string" ? page.consent : ""; },
    htmlConsent: function () { return d.documentElement.getAttribute("data-rtp-consent") || ""; },
    watchConsent: function (callback) { return (page.watchers = page.watchers || []).push(callback) - 1; },
    setConsent: function (state, id) {
      // The first state is announced after the script that set it has run (previous: null), so a start
      // settled at once (granted, then pending because a platform is followed) is announced as what it is;
      // every later change is announced with the state before it.
      var before = typeof page.consent === "string" ? page.consent : null;
      if (state === before) return;
      page.consent = state;
      (page.watchers || []).forEach(function (callback, i) {
        if (i !== id) { try { callback(state); } catch { /* one interpreter's failure stays its own */ } }
      });
      if (page.consentAnnounced) announce("consent", {state: state, previous: before});
      else if (!page.consentFirst) {
        page.consentFirst = setTimeout(function () {
          page.consentAnnounced = true;
          announce("consent", {state: page.consent, previous: null});
        }, 0);
      }
    },
    gpc: function () { try { return w.navigator.globalPrivacyControl === true; } catch { return false; } },
    follow: function (source, name, wanted, callback) {
      // consent.js runs once, then platform `name` reports each snapshot to `callback` as JSON text.
      function send(snapshot) {
        var json;
        try { json = JSON.stringify(snapshot); } catch (e) { json = '{"unreadable": "a snapshot that is not JSON"}'; }
        callback(json);
      }
      try {
        if (!page.consentKit) run(source);
        page.consentKit[name](JSON.parse(wanted), send);
      } catch (e) { send({unreadable: text(e)}); }
    },
    insertTag: function (src, pod, account, query, e) {
      // What Marketo's snippet does, in the form the site's snippet has: the queue stub (the page's own
      // kept), the account (and the pod, or rtp.e) on it, and rtp.js as an async script before the first
      // script. Without a pod, rtp.js's URL gets the query the snippet builds at run time. Once per page.
      try {
        if (page.tagInserted) return false;
        page.tagInserted = true;
        if (typeof w.rtp !== "function") w.rtp = stub();
        if (pod) w.rtp.p = pod;
        w.rtp.a = account;
        if (e) w.rtp.e = e;
        if (query === "rh") src += "?rh=" + encodeURIComponent(w.location.hostname) + "&aid=" + encodeURIComponent(account);
        else if (query === "aid") src += "?aid=" + encodeURIComponent(account);
        var script = d.createElement("script"), first = d.getElementsByTagName("script")[0];
        script.async = true;
        script.type = "text/javascript";
        script.src = src;
        if (first && first.parentNode) first.parentNode.insertBefore(script, first);
        else (d.head || d.documentElement).appendChild(script);
        return true;
      } catch (error) { return text(error); }
    },
    userAgentMatches: function (pattern) {
      // 1 or 0; a string if the pattern is not a valid regular expression.
      var re;
      try { re = new RegExp(pattern, "i"); } catch (e) { return text(e); }
      try { return re.test(String(w.navigator.userAgent)) ? 1 : 0; } catch { return 0; }
    }
  };
})
