/*
 * STAND-IN consent banner for the rtp_py demo site only: NOT a real consent platform, NOT part of rtp_py.
 *
 * It plays the part a site's CMP plays, through the IAB TCF v2.2 API a real CMP documents:
 * `__tcfapi("addEventListener", 2, callback)` (the callback runs at once, then on every choice) and
 * `__tcfapi("removeEventListener", 2, callback, listenerId)`. rtp_py follows it with follow_consent("tcf")
 * in demo/app.py. The visitor's choice is kept in localStorage ("lumen.consent"), as a CMP keeps its
 * TC string; "Privacy choices" in the footer shows the banner again, so the choice can be changed.
 * Accept consents to every TCF purpose, Reject to none. Texts carry data-i18n keys (demo/i18n.js).
 */
(function (w, d) {
  "use strict";

  var KEY = "lumen.consent";
  var listeners = {};
  var nextId = 1;
  var choice = null;
  try { choice = w.localStorage.getItem(KEY); } catch {}
  var status = choice === "accepted" || choice === "rejected" ? "tcloaded" : "cmpuishown";

  function tcData(listenerId) {
    var consents = {};
    for (var n = 1; n <= 11; n++) consents[n] = choice === "accepted";
    return {tcString: choice ? "LUMEN-DEMO-" + choice : "", gdprApplies: true, eventStatus: status,
            cmpStatus: "loaded", listenerId: listenerId, purpose: {consents: consents, legitimateInterests: {}},
            vendor: {consents: {}, legitimateInterests: {}}};
  }

  w.__tcfapi = function (command, version, callback, parameter) {
    if (version !== 2 || typeof callback !== "function") return;
    if (command === "addEventListener") {
      var id = nextId++;
      listeners[id] = callback;
      callback(tcData(id), true);
    } else if (command === "removeEventListener") {
      callback(delete listeners[parameter]);
    } else {
      callback(null, false);
    }
  };

  function choose(made) {
    choice = made;
    status = "useractioncomplete";
    try { w.localStorage.setItem(KEY, made); } catch {}
    banner(false);
    Object.keys(listeners).forEach(function (id) { listeners[id](tcData(+id), true); });
  }

  function banner(show) {
    var box = d.getElementById("consent-banner");
    if (box) box.hidden = !show;
  }

  function build() {
    var box = d.createElement("section");
    box.id = "consent-banner";
    box.className = "consent-banner";
    box.setAttribute("aria-label", "Consent");
    var text = d.createElement("p");
    text.setAttribute("data-i18n", "consent.text");
    text.textContent = "May we personalise this site for you? Marketo Web Personalization learns from your " +
      "clicks in this visit. Until you choose, nothing is sent.";
    box.appendChild(text);
    [["consent-accept", "consent.accept", "Accept", "accepted", "button"],
     ["consent-reject", "consent.reject", "Reject", "rejected", "button ghost"]].forEach(function (b) {
      var button = d.createElement("button");
      button.type = "button";
      button.id = b[0];
      button.className = b[4];
      button.setAttribute("data-i18n", b[1]);
      button.textContent = b[2];
      button.addEventListener("click", function () { choose(b[3]); });
      box.appendChild(button);
    });
    box.hidden = status !== "cmpuishown";
    d.body.appendChild(box);
    var reopen = d.getElementById("consent-reopen");
    if (reopen) reopen.addEventListener("click", function (e) { e.preventDefault(); banner(true); });
  }

  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", build);
  else build();
})(window, document);
