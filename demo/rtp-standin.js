/*
 * STAND-IN for Marketo's rtp.js, for the rtp_py demo site only. NOT Marketo code, NOT part of rtp_py.
 *
 * The real tag snippet defines a queue stub and loads rtp.js from Marketo; the demo pages load this file
 * instead (no network here, and rtp.js needs an account). It does what ../shared/RTP_API.md documents and
 * nothing more, except the demo's one scenario:
 *
 *   - replaces window.rtp with a function that handles calls, then drains the stub's rtp.q in order;
 *   - accepts only the documented call forms and rejects anything else with a console.error naming the
 *     problem (so a malformed call from rtp_py shows at once);
 *   - answers `get visitor` in exactly the documented shape: numeric segment ids and ABM codes, `isp` a
 *     boolean, `matchedSegments` absent until the visitor matched a segment; the firmographics (ABM lists,
 *     organisation, location, industries) are those of Marketo's own "Get Visitor Data" example answer;
 *   - keeps the visitor's session in sessionStorage (one RTP session = one browser session, i.e. one tab);
 *   - counts each custom data event once per session;
 *   - scenario: an event value equal to "download - example whitepaper" puts the visitor at once in the
 *     segment "Whitepaper downloaders"; from the second page view after that click, rtp('get','campaign',
 *     true) fills every campaign zone (<... data-rtp-zone="hero">) with the whitepaper follow-up campaign.
 *
 * For the demo's event inspector it keeps a record of this page's calls in window.rtpStandin.log and
 * announces each one as a DOM event "rtp-standin:call" (detail: one log entry) on document, and every
 * change of the visitor's state as "rtp-standin:state" (detail: the session summary).
 * See demo/README.md for what is and is not emulated.
 */
(function (w, d) {
  "use strict";

  var TAG = "[rtp.js stand-in]";
  var STORAGE_KEY = "rtpStandin.session";
  var MAX_EVENT_VALUES = 4;          // RTP: at most four elements per send event call
  var MAX_CUSTOM_VAR_LENGTH = 100;   // RTP User Context API: customVar values are at most 100 characters
  // The User Context API's names; the docs' trigger and pattern-match examples spell them custom1..custom5.
  var CUSTOM_VARS = ["customVar1", "customVar2", "customVar3", "customVar4", "customVar5",
    "custom1", "custom2", "custom3", "custom4", "custom5"];
  var REDIRECT_FIELDS = ["matchedSegments.name", "matchedSegments.id", "abm.name", "abm.code", "org",
    "location.country", "location.state", "location.city", "industries", "isp"];

  // The demo account's one segment and one campaign, as a marketer would configure them in RTP.
  var WHITEPAPER_EVENT = "download - example whitepaper";
  var SEGMENT = {name: "Whitepaper downloaders", id: 4101};
  var VIEWS_BEFORE_CAMPAIGN = 2;     // the campaign shows from the 2nd page view after the download click
  var CAMPAIGN = {id: "whitepaper-follow-up", zone: "hero"};
  // What RTP knows of the visitor's company, as in Marketo's documented example answer (ids are numbers).
  var FIRMOGRAPHICS = {
    abm: [{code: 4, name: "abm_saleforce_customers"}, {code: 5, name: "abm_top_customers"}],
    org: "Marketo",
    location: {country: "United States", city: "San Mateo", state: "CA"},
    industries: ["Software & Internet"],
    isp: false
  };

  if (w.rtpStandin) return;          // loaded twice: the first copy already owns window.rtp

  var stub = w.rtp;
  var queue = (stub && stub.q) || [];
  var log = [];

  function fail(message) {
    var error = new Error(message);
    error.rtpRejected = true;
    return error;
  }

  function isPlainObject(value) {
    if (value === null || typeof value !== "object") return false;
    var proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  }

  function describe(value) {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "object") return isPlainObject(value) ? "object" : "non-plain object (" +
      Object.prototype.toString.call(value) + ")";
    return typeof value;
  }

  function expectArgs(args, min, max, form) {
    if (args.length < min || args.length > max) {
      throw fail(form + " takes " + (min === max ? min : min + " to " + max) + " arguments, got " + args.length);
    }
  }

  function expectString(value, what) {
    if (typeof value !== "string") throw fail(what + ": expected a string, got " + describe(value));
    if (!value) throw fail(what + ": must not be empty");
  }

  // ---- the visitor's session (sessionStorage: gone when the tab closes; a new context is a new session)

  function newSession() {
    return {views: 0, events: [], segments: [], downloadView: null, customVars: {}};
  }

  function load() {
    try {
      var stored = JSON.parse(w.sessionStorage.getItem(STORAGE_KEY));
      if (stored && typeof stored.views === "number") return stored;
    } catch { /* storage unavailable or corrupt: start a fresh session */ }
    return newSession();
  }

  var session = load();

  function save() {
    try { w.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session)); } catch { /* private mode */ }
    announce("rtp-standin:state", summary());
  }

  function qualifies() {
    return session.downloadView !== null && session.views - session.downloadView >= VIEWS_BEFORE_CAMPAIGN;
  }

  function summary() {
    return {
      views: session.views,
      segments: session.segments.slice(),
      events: session.events.slice(),
      viewsSinceDownload: session.downloadView === null ? null : session.views - session.downloadView,
      campaign: qualifies() ? CAMPAIGN.id : null
    };
  }

  function announce(type, detail) {
    d.dispatchEvent(new CustomEvent(type, {detail: detail}));
  }

  // ---- the scenario

  function countEvent(value) {
    var key = JSON.stringify(value);
    if (session.events.indexOf(key) !== -1) return said("standin.again", "already counted in this session");
    session.events.push(key);
    var strings = Array.isArray(value) ? value : [value];
    var matches = strings.some(function (s) { return s.toLowerCase() === WHITEPAPER_EVENT; });
    var note = said("standin.counted", "counted");
    if (matches && !inSegment(SEGMENT.name)) {
      session.segments.push({name: SEGMENT.name, id: SEGMENT.id});
      session.downloadView = session.views;
      note = said("standin.joins", "counted; visitor joins segment \u201c{segment}\u201d", {segment: SEGMENT.name});
    }
    save();
    return note;
  }

  function inSegment(name) {
    return session.segments.some(function (s) { return s.name.toLowerCase() === name.toLowerCase(); });
  }

  function whenDomReady(fn) {
    if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  // The campaign as authored in RTP: markup with data-i18n keys (the demo translates them) and English text.
  function campaignContent() {
    var box = d.createElement("div");
    box.className = "campaign";
    box.setAttribute("data-rtp-campaign", CAMPAIGN.id);
    var parts = [
      ["p", "campaign.kicker", "Picked for you, because you downloaded the playbook"],
      ["h2", "campaign.title", "Put the playbook to work: a 30-minute personalisation workshop"],
      ["p", "campaign.body", "Chapter 3 of the whitepaper, applied to your own site with one of our strategists."]
    ];
    parts.forEach(function (part) {
      var el = d.createElement(part[0]);
      el.setAttribute("data-i18n", part[1]);
      el.textContent = part[2];
      box.appendChild(el);
    });
    var link = d.createElement("a");
    link.className = "button";
    link.href = "/demo/workshop.html";
    link.setAttribute("data-i18n", "campaign.cta");
    link.setAttribute("data-rtp-event", "campaign - book workshop");  // the marketer tracks the campaign's clicks
    link.textContent = "Book your workshop";
    box.appendChild(link);
    return box;
  }

  function fillCampaignZones() {
    whenDomReady(function () {
      var zones = d.querySelectorAll("[data-rtp-zone='" + CAMPAIGN.zone + "']");
      Array.prototype.forEach.call(zones, function (zone) {
        zone.replaceChildren(campaignContent());
        zone.classList.add("rtp-personalised");
        announce("rtp-standin:campaign", {zone: zone, campaign: CAMPAIGN.id});
      });
    });
  }

  // ---- the documented call forms

  function checkEventData(data) {
    if (!isPlainObject(data)) {
      throw fail("send event: customData must be a plain object {value: ...}, got " + describe(data));
    }
    var keys = Object.keys(data);
    var extra = keys.filter(function (k) { return k !== "value"; });
    if (extra.length) throw fail("send event: unexpected key(s) " + JSON.stringify(extra) + "; only 'value' is documented");
    if (keys.indexOf("value") === -1) throw fail("send event: customData has no 'value'");
    var value = data.value;
    if (Array.isArray(value)) {
      if (value.length === 0) throw fail("send event: value is an empty array");
      if (value.length > MAX_EVENT_VALUES) {
        throw fail("send event: value has " + value.length + " elements; at most " + MAX_EVENT_VALUES + " are allowed");
      }
      value.forEach(function (item, i) { expectString(item, "send event: value[" + i + "]"); });
      return value.slice();
    }
    expectString(value, "send event: value");
    return value;
  }

  function handleSend(args) {
    var kind = args[1];
    if (kind === "view") {
      expectArgs(args, 2, 3, "rtp('send', 'view'[, page])");
      if (args.length === 3) expectString(args[2], "send view: page");
      session.views += 1;
      save();
      return said("standin.view", "page view {n} of this session", {n: session.views});
    }
    if (kind === "event") {
      expectArgs(args, 3, 3, "rtp('send', 'event', customData)");
      return countEvent(checkEventData(args[2]));
    }
    if (kind === "redirect") return handleRedirect(args);
    throw fail("send: unknown kind " + JSON.stringify(kind) + "; documented: 'view', 'event', 'redirect'");
  }

  function expectMatchValues(values, what) {
    // Strings, or numbers (the documented examples match matchedSegments.id and abm.code with numbers).
    values.forEach(function (value, i) {
      if (typeof value !== "string" && typeof value !== "number") {
        throw fail(what + "[" + i + "]: expected a string or a number, got " + describe(value));
      }
    });
  }

  function handleRedirect(args) {
    expectArgs(args, 4, 6, "rtp('send', 'redirect', field, ...)");
    var field = args[2];
    if (REDIRECT_FIELDS.indexOf(field) === -1) {
      throw fail("send redirect: unknown field " + JSON.stringify(field) + "; documented: " + REDIRECT_FIELDS.join(", "));
    }
    if (args.length === 4) {
      if (!isPlainObject(args[3])) throw fail("send redirect: expected {url: [values]}, got " + describe(args[3]));
      Object.keys(args[3]).forEach(function (url) {
        if (!Array.isArray(args[3][url])) throw fail("send redirect: values for " + url + " must be an array");
        expectMatchValues(args[3][url], "send redirect: values for " + url);
      });
    } else {
      var values = args[3];
      if (!Array.isArray(values) && typeof values !== "string") {
        throw fail("send redirect: values must be a string or an array, got " + describe(values));
      }
      if (Array.isArray(values)) expectMatchValues(values, "send redirect: values");
      expectString(args[4], "send redirect: url");
      if (args.length === 6 && typeof args[5] !== "boolean") {
        throw fail("send redirect: redirectMatchedVisitors must be true or false, got " + describe(args[5]));
      }
    }
    return said("standin.redirect", "accepted (the stand-in never redirects)");
  }

  // The documented answer: matchedSegments only once the visitor matched a segment; fresh objects each time.
  function visitor() {
    var results = JSON.parse(JSON.stringify(FIRMOGRAPHICS));
    if (session.segments.length) {
      results = Object.assign({matchedSegments: session.segments.map(function (s) { return {name: s.name, id: s.id}; })},
                              results);
    }
    return {status: 200, results: results};
  }

  function handleGet(args) {
    var what = args[1];
    if (what === "visitor") {
      expectArgs(args, 3, 3, "rtp('get', 'visitor', callback)");
      if (typeof args[2] !== "function") throw fail("get visitor: callback must be a function, got " + describe(args[2]));
      var callback = args[2];
      var data = visitor();
      setTimeout(function () { callback(data); }, 0);  // the real one answers after a network round trip
      return said("standin.visitor", "visitor data: {n} matched segment(s)",
                  {n: (data.results.matchedSegments || []).length});
    }
    if (what === "campaign") {
      // Both documented forms: rtp('get', 'campaign', true), and the Redirect example's rtp('get', 'campaign').
      expectArgs(args, 2, 3, "rtp('get', 'campaign'[, true])");
      if (args.length === 3 && args[2] !== true) {
        throw fail("get campaign: the documented third argument is true, got " + JSON.stringify(args[2]));
      }
      if (qualifies()) {
        fillCampaignZones();
        return said("standin.campaign", "campaign \u201c{id}\u201d shown", {id: CAMPAIGN.id});
      }
      return said("standin.default", "default content (no campaign for this visitor yet)");
    }
    if (what === "rcmd") {
      expectArgs(args, 3, 3, "rtp('get', 'rcmd', 'richmedia')");
      if (args[2] !== "richmedia") throw fail("get rcmd: expected 'richmedia', got " + JSON.stringify(args[2]));
      if (session.views === 0) throw fail("get rcmd: needs rtp('send', 'view') first");
      return said("standin.rcmd", "accepted (the stand-in has no recommendations)");
    }
    throw fail("get: unknown kind " + JSON.stringify(what) + "; documented: 'visitor', 'campaign', 'rcmd'");
  }

  function handleSet(args) {
    var what = args[1];
    if (CUSTOM_VARS.indexOf(what) !== -1) {
      expectArgs(args, 3, 3, "rtp('set', '" + what + "', value)");
      expectString(args[2], "set " + what);
      if (args[2].length > MAX_CUSTOM_VAR_LENGTH) {
        throw fail("set " + what + ": value is " + args[2].length + " characters; at most " + MAX_CUSTOM_VAR_LENGTH);
      }
      session.customVars[what] = args[2];
      save();
      return said("standin.stored", "stored; sent with the next page view");
    }
    if (what === "rcmd") {
      expectArgs(args, 4, 5, "rtp('set', 'rcmd', 'richmedia'[, templateId], conf)");
      if (args[2] !== "richmedia") throw fail("set rcmd: expected 'richmedia', got " + JSON.stringify(args[2]));
      var conf = args[args.length - 1];
      if (!isPlainObject(conf)) throw fail("set rcmd: conf must be a plain object, got " + describe(conf));
      return said("standin.rcmd", "accepted (the stand-in has no recommendations)");
    }
    throw fail("set: unknown name " + JSON.stringify(what) + "; documented: customVar1..customVar5 (or custom1..custom5), 'rcmd'");
  }

  function handle(args) {
    var name = args[0];
    if (name === "send") return handleSend(args);
    if (name === "get") return handleGet(args);
    if (name === "set") return handleSet(args);
    if (name === "setAccount") {
      expectArgs(args, 2, 2, "rtp('setAccount', accountId)");
      expectString(args[1], "setAccount: accountId");
      rtp.a = args[1];
      return said("standin.account", "account {id}", {id: args[1]});
    }
    if (name === "userContextReady") {
      expectArgs(args, 2, 2, "rtp('userContextReady', fn)");
      if (typeof args[1] !== "function") throw fail("userContextReady: expected a function, got " + describe(args[1]));
      setTimeout(args[1], 0);
      return said("standin.callback", "callback scheduled");
    }
    throw fail("unknown call " + JSON.stringify(name) + "; documented: 'send', 'get', 'set', 'setAccount', 'userContextReady'");
  }

  // What the stand-in did with a call: English text, and the key and values the demo translates it with
  // (demo/i18n.js). A rejected call's reason stays English: it quotes the documented call forms.
  function said(key, english, params) {
    var text = english.replace(/\{(\w+)\}/g, function (match, name) { return String(params[name]); });
    return {text: text, key: key, params: params || null};
  }

  // Serialises a call for the log (JSON, so a value is text; functions shown as such).
  function format(args) {
    return "rtp(" + args.map(function (a) {
      if (typeof a === "function") return "function";
      if (a === undefined) return "undefined";
      try { return JSON.stringify(a); } catch { return String(a); }
    }).join(", ") + ")";
  }

  function process(argsLike, queued) {
    var args = Array.prototype.slice.call(argsLike);
    var entry = {call: format(args), args: args, queued: queued, ok: true, note: "", noteKey: null, noteParams: null};
    try {
      var note = handle(args);
      entry.note = note.text;
      entry.noteKey = note.key;
      entry.noteParams = note.params;
    } catch (error) {
      if (!error.rtpRejected) throw error;
      entry.ok = false;
      entry.note = error.message;
      console.error(TAG + " rejected " + entry.call + ": " + error.message);
    }
    log.push(entry);
    announce("rtp-standin:call", entry);
  }

  // rtp.checkPattern: documented as synchronous, '%' is the wildcard. The docs say nothing of case: exact here.
  function checkPattern(str, pattern) {
    if (typeof str !== "string" || typeof pattern !== "string") return false;
    var source = pattern.split("%").map(function (part) {
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join(".*");
    return new RegExp("^" + source + "$").test(str);
  }

  function rtp() { process(arguments, false); }
  rtp.a = stub && stub.a;
  rtp.p = stub && stub.p;
  rtp.checkPattern = checkPattern;

  w.rtpStandin = {
    log: log,
    state: summary,
    // Demo UI only ("end session" button): forget the visitor, as closing the tab would.
    endSession: function () {
      session = newSession();
      save();
    }
  };

  console.info(TAG + " This is a local STAND-IN for Marketo's rtp.js (demo only): it validates calls and " +
    "emulates one segment and one campaign. See /demo/README.md.");
  if (!rtp.a) console.error(TAG + " no account: the tag snippet should set rtp.a before loading rtp.js");

  w.rtp = rtp;
  for (var i = 0; i < queue.length; i++) process(queue[i], true);
  announce("rtp-standin:state", summary());
})(window, document);
