/*
 * The demo's event inspector (demo chrome, not part of rtp_py): lists every call that reached `rtp` on this
 * page (as recorded by the rtp.js stand-in), every event rtp_py did not send and why (rtp_py's
 * `rtp-py:not-sent` DOM event), the consent state with the calls rtp_py held, released and dropped for it
 * (`rtp-py:consent`, `rtp-py:held`, `rtp-py:released`), the visitor's segments, page views and campaign, and
 * what rtp_py read of the visitor from rtp's answer (demo/app.py calls demoInspector.showVisitor).
 *
 * Loaded in <head> so its listeners exist before Python starts; it renders into <section id="rtp-inspector">
 * once site.js calls demoInspector.mount(). Every value is written with textContent, never as HTML:
 * a value like <img src=x onerror=alert(1)> shows as those characters.
 */
(function (w, d) {
  "use strict";

  // "Try" buttons: declarative rtp_py tracking (data-rtp-event), so they work the moment they exist.
  var TRIES = [
    {key: "inspector.tricky", english: "A markup-looking value", id: "try-markup",
     event: "<img src=x onerror=alert(1)>"},
    {key: "inspector.invalid", english: "An invalid value", id: "try-invalid",
     event: " padded value "},
    {key: "inspector.once", english: "Once per session", id: "try-once",
     event: "demo - once per session", once: true}
  ];

  var pending = [];      // what happened before the panel exists
  var parts = null;      // the panel's lists, once mounted
  var state = null;
  var read = null;       // what rtp_py read of the visitor (showVisitor), once it did

  function el(tag, attrs, text) {
    var node = d.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // An element whose text is translated (demo/i18n.js): `english` may hold {name} placeholders for `params`.
  function labelled(key, english, tag, params) {
    var node = el(tag || "span", {"data-i18n": key}, params ? w.demoI18n.fill(english, params) : english);
    if (params) node.setAttribute("data-i18n-params", JSON.stringify(params));
    return node;
  }

  function translated(node) {
    if (w.demoI18n) w.demoI18n.apply(node);
    return node;
  }

  // Data, not prose: shown as it is in every language (a call, a value, a message of rtp_py or of the tag).
  function data(tag, className, text) {
    return el(tag, {"class": className, translate: "no"}, text);
  }

  function show(value) {
    if (typeof value === "string") return JSON.stringify(value);
    try { return JSON.stringify(value); } catch { return String(value); }
  }

  function addCall(entry) {
    var item = el("li", {"class": entry.ok ? "ok" : "rejected", "data-call": ""});
    item.appendChild(data("code", "call", entry.call));
    if (entry.queued) item.appendChild(labelled("inspector.queued", "queued")).className = "badge";
    if (!entry.ok) item.appendChild(labelled("inspector.rejected", "rejected")).className = "badge bad";
    if (entry.noteKey) {
      item.appendChild(labelled(entry.noteKey, entry.note, "span", entry.noteParams)).className = "note";
    } else {  // the tag's reason for rejecting a call: it quotes the documented call forms
      item.appendChild(data("code", "note", entry.note));
    }
    parts.calls.appendChild(translated(item));
  }

  function addNotSent(detail) {
    var empty = parts.notSent.querySelector(".empty");
    if (empty) empty.remove();
    var item = el("li", {"data-not-sent": detail.kind || ""});
    var kind = String(detail.kind);
    var known = Object.hasOwn(NOT_SENT, kind);
    item.appendChild(known ? labelled("inspector.kind." + kind, kind) : data("code", "kind", kind)).className = "badge bad";
    item.appendChild(data("code", "value", show(detail.value)));
    if (known) item.appendChild(labelled("inspector.why." + kind, NOT_SENT[kind])).className = "note";
    item.appendChild(data("code", "reason", String(detail.reason)));
    parts.notSent.appendChild(translated(item));
  }

  // rtp_py's kinds of event not sent (rtp-py:not-sent), each with what it means for the visitor.
  var NOT_SENT = {
    invalid: "invalid value, not sent; rtp_py says:",
    skipped: "sent once already in this session (data-rtp-once); rtp_py says:",
    "tag-error": "the tag did not take the call; rtp_py says:",
    consent: "no consent: dropped, never sent; rtp_py says:"
  };

  var CONSENT_BADGES = {held: "held", released: "released", dropped: "dropped"};

  function addConsent(what, detail) {
    var empty = parts.held.querySelector(".empty");
    if (empty) empty.remove();
    var item = el("li", {"data-consent": what});
    item.appendChild(labelled("inspector.consent." + what, CONSENT_BADGES[what], "span"))
      .className = "badge " + (what === "dropped" ? "bad" : what);
    item.appendChild(data("code", "call", detail.call ? "rtp(" + detail.call.map(show).join(", ") + ")"
                                                      : show(detail.value)));
    parts.held.appendChild(item);
    w.demoI18n && w.demoI18n.apply(item);
  }

  function renderConsent(now) {
    if (!parts) return;
    parts.consent.setAttribute("data-state", now);
    parts.consent.setAttribute("data-i18n", "inspector.consent.state." + now);
    parts.consent.textContent = now;
    w.demoI18n && w.demoI18n.apply(parts.consent.parentNode);
  }

  function renderState() {
    if (!parts || !state) return;
    parts.segments.replaceChildren();
    if (!state.segments.length) {
      parts.segments.appendChild(labelled("inspector.none", "none", "li"));
      w.demoI18n && w.demoI18n.apply(parts.segments);
    }
    state.segments.forEach(function (segment) {  // names as the marketer configured them in RTP
      var item = el("li", {"data-segment": "", translate: "no"}, segment.name);
      item.appendChild(el("small", {}, " #" + segment.id));
      parts.segments.appendChild(item);
    });
    parts.views.replaceChildren(state.viewsSinceDownload === null ? String(state.views) : translated(
      labelled("inspector.viewsSince", "{views} ({since} since the download)", "span",
               {views: state.views, since: state.viewsSinceDownload})));
    parts.campaign.replaceChildren(state.campaign ? data("code", "campaign", state.campaign)
      : translated(labelled("inspector.campaignDefault", "default content")));
  }

  // What rtp_py read of the visitor: data as rtp gave it (names, codes), so never translated.
  function renderRead() {
    if (!parts || !read) return;
    parts.org.replaceChildren(data("span", "org", read.org === "" ? "–" : String(read.org)));
    parts.location.replaceChildren(data("span", "location", [read.location.city, read.location.state,
      read.location.country].filter(function (part) { return part !== ""; }).join(", ") || "–"));
    parts.abm.replaceChildren();
    read.abm.forEach(function (list) {
      var item = data("li", "abm", String(list.name));
      item.appendChild(el("small", {}, " #" + list.code));
      parts.abm.appendChild(item);
    });
    if (!read.abm.length) parts.abm.appendChild(data("li", "abm", "–"));
    parts.industries.replaceChildren(data("span", "industries", read.industries.join(", ") || "–"));
  }

  function handle(kind, detail) {
    if (!parts) { pending.push([kind, detail]); return; }
    if (kind === "call") addCall(detail);
    else if (kind === "not-sent") {
      addNotSent(detail);
      if (detail.kind === "consent") addConsent("dropped", detail);
    }
    else if (kind === "held" || kind === "released") addConsent(kind, detail);
    else if (kind === "consent") renderConsent(detail.state);
    else if (kind === "state") { state = detail; renderState(); }
  }

  // The stand-in loads async and may run before this file: pick up what it already did on this page.
  if (w.rtpStandin) {
    w.rtpStandin.log.forEach(function (entry) { handle("call", entry); });
    handle("state", w.rtpStandin.state());
  }
  d.addEventListener("rtp-standin:call", function (e) { handle("call", e.detail); });
  d.addEventListener("rtp-standin:state", function (e) { handle("state", e.detail); });
  d.addEventListener("rtp-py:not-sent", function (e) { handle("not-sent", e.detail || {}); });
  ["held", "released", "consent"].forEach(function (name) {
    d.addEventListener("rtp-py:" + name, function (e) { handle(name, e.detail || {}); });
  });

  function mount() {
    var host = d.getElementById("rtp-inspector");
    if (!host || parts) return;
    var panel = el("details", {"class": "inspector-panel", open: ""});
    var summary = el("summary");
    summary.appendChild(labelled("inspector.title", "RTP event inspector", "strong"));
    summary.appendChild(labelled("inspector.subtitle", "demo · the tag is a local stand-in for rtp.js", "small"));
    panel.appendChild(summary);
    var grid = el("div", {"class": "inspector-grid"});

    var callsBox = el("section", {"class": "inspector-calls"});
    callsBox.appendChild(labelled("inspector.calls", "Calls that reached rtp (this page)", "h3"));
    var calls = el("ol", {id: "inspector-calls"});
    callsBox.appendChild(calls);

    var notSentBox = el("section", {"class": "inspector-not-sent"});
    notSentBox.appendChild(labelled("inspector.notSent", "Events rtp_py did not send", "h3"));
    var notSent = el("ol", {id: "inspector-not-sent"});
    notSent.appendChild(labelled("inspector.none", "none", "li")).className = "empty";
    notSentBox.appendChild(notSent);

    var consentBox = el("section", {"class": "inspector-consent"});
    consentBox.appendChild(labelled("inspector.consent", "Consent", "h3"));
    var consentLine = el("p");
    var consent = el("strong", {id: "inspector-consent"}, "");
    consentLine.appendChild(consent);
    consentBox.appendChild(consentLine);
    var held = el("ol", {id: "inspector-held"});
    held.appendChild(labelled("inspector.none", "none", "li")).className = "empty";
    consentBox.appendChild(held);

    var visitorBox = el("section", {"class": "inspector-visitor"});
    visitorBox.appendChild(labelled("inspector.visitor", "Visitor", "h3"));
    var facts = el("dl");
    facts.appendChild(labelled("inspector.segments", "Segments", "dt"));
    var segmentsDd = el("dd");
    var segments = el("ul", {id: "inspector-segments"});
    segmentsDd.appendChild(segments);
    facts.appendChild(segmentsDd);
    function fact(key, label, id) {  // a <dt> and its <dd>, which shows "…" until it is known
      facts.appendChild(labelled(key, label, "dt"));
      return facts.appendChild(el("dd", {id: id}, "…"));
    }
    var views = fact("inspector.views", "Page views", "inspector-views");
    var campaign = fact("inspector.campaign", "Campaign", "inspector-campaign");
    // What rtp_py read from rtp's answer to get visitor (filled by demo/app.py's when_visitor handler).
    var org = fact("inspector.org", "Organisation", "inspector-org");
    var location = fact("inspector.location", "Location", "inspector-location");
    facts.appendChild(labelled("inspector.abm", "ABM lists", "dt"));
    var abmDd = el("dd");
    var abm = el("ul", {id: "inspector-abm"});
    abm.appendChild(el("li", {}, "…"));
    abmDd.appendChild(abm);
    facts.appendChild(abmDd);
    facts.appendChild(labelled("inspector.industries", "Industries", "dt"));
    var industries = el("dd", {id: "inspector-industries"}, "…");
    facts.appendChild(industries);
    visitorBox.appendChild(facts);

    visitorBox.appendChild(labelled("inspector.try", "Try", "h3"));
    var tries = el("div", {"class": "inspector-tries"});
    TRIES.forEach(function (t) {
      var button = el("button", {type: "button", id: t.id, "class": "button ghost small", "data-i18n": t.key,
        "data-rtp-event": t.event}, t.english);
      if (t.once) button.setAttribute("data-rtp-once", "");
      button.title = "data-rtp-event=" + JSON.stringify(t.event);
      tries.appendChild(button);
    });
    var end = el("button", {type: "button", id: "end-session", "class": "button ghost small", "data-i18n": "inspector.end"},
      "End session");
    end.addEventListener("click", endSession);
    tries.appendChild(end);
    visitorBox.appendChild(tries);

    grid.appendChild(callsBox);
    grid.appendChild(notSentBox);
    grid.appendChild(consentBox);
    grid.appendChild(visitorBox);
    panel.appendChild(grid);
    host.appendChild(panel);

    parts = {calls: calls, notSent: notSent, segments: segments, views: views, campaign: campaign,
             consent: consent, held: held, org: org, location: location, abm: abm, industries: industries};
    renderConsent((w.rtpPy && w.rtpPy.consent) || d.documentElement.getAttribute("data-rtp-consent") || "granted");
    pending.splice(0).forEach(function (p) { handle(p[0], p[1]); });
    renderState();
    renderRead();
  }

  // "End session": what closing the tab does. The stand-in forgets the visitor, rtp_py's memory of this
  // session goes (its last answer to get visitor, once-per-session events), and the page loads again as the
  // first page of a new session: default promo, default segment blocks, page view 1. Consent stays: it is
  // the visitor's choice, kept by the consent platform across sessions.
  function endSession() {
    if (w.rtpStandin) w.rtpStandin.endSession();
    Object.keys(w.sessionStorage).forEach(function (key) {  // and the stand-in's, if it is not loaded here
      if (key.indexOf("rtp_py:") === 0 || key.indexOf("rtpStandin.") === 0) w.sessionStorage.removeItem(key);
    });
    w.location.reload();
  }

  w.demoInspector = {
    mount: mount,
    // `json`: {org, location: {country, city, state}, abm: [{code, name}], industries}, as rtp_py read them.
    showVisitor: function (json) { read = JSON.parse(json); renderRead(); }
  };
})(window, document);
