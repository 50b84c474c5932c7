/* rtp_py consent kit: the page side of follow_consent(). rtp_py runs it from its bundle the first time a
   platform is followed; it is not a snippet to paste. Each platform reader sends a small plain snapshot
   of what the platform's documented API says (rtp_py/platforms.py maps it to a state), or {missing} if the
   platform has not arrived 10 s after the page loaded, or {unreadable} if reading it threw. */
(function (w, d) {
  var p = w.rtpPy = w.rtpPy || {q: []};
  if (p.consentKit) return;

  function problem(e) {
    try { return String(e && e.message || e).slice(0, 200); } catch { return "an unreadable error"; }
  }
  function safely(read) {
    try { return read(); } catch (e) { return {unreadable: problem(e)}; }
  }
  function whenPresent(present, go, name, send, wanted) {
    // A platform arrives when the site loads it: an inline stub, an SDK fetched after the domain's data, or
    // a tag manager's tag long after the load event. Look now; then whenever a script is added to the page
    // or finishes loading, at DOMContentLoaded and load, and on a back-off timer (50 ms, doubling) until
    // wanted.graceMs after load (both bounds come from rtp_py/limits.py). Follow it the first time it is there.
    // Missing then: say so once, and keep watching added scripts (no timer) for as long as the page lives.
    var found = false, timer = null, wait = wanted.firstLookMs, deadline = null, observer = null, unreadable = null;
    function attempt() {
      if (found) return;
      var here = safely(present);
      if (here && here.unreadable) unreadable = here;
      if (here !== true) return;
      found = true;
      if (timer !== null) clearTimeout(timer);
      if (observer) observer.disconnect();
      var failed = safely(function () { go(); return false; });
      if (failed) send(failed);
    }
    function tick() {
      timer = null;
      attempt();
      if (found) return;
      if (deadline !== null && Date.now() >= deadline) {
        send(unreadable || {missing: name + " not found on the page " + wanted.graceMs / 1000 + " s after it loaded"});
        return;
      }
      timer = setTimeout(tick, wait);
      wait = Math.min(wait * 2, 1000);
    }
    function loaded() { deadline = Date.now() + wanted.graceMs; attempt(); }
    attempt();
    if (found) return;
    safely(function () {
      observer = new MutationObserver(function (records) {
        records.forEach(function (record) {
          Array.prototype.forEach.call(record.addedNodes, function (node) {
            if (node.nodeName === "SCRIPT") { attempt(); node.addEventListener("load", attempt); }
          });
        });
      });
      observer.observe(d.documentElement, {childList: true, subtree: true});
      return false;
    });
    if (d.readyState === "complete") loaded();
    else {
      d.addEventListener("DOMContentLoaded", attempt, {once: true});
      w.addEventListener("load", loaded, {once: true});
    }
    timer = setTimeout(tick, wait);
  }

  function tcfSnapshot(wanted, tc, success) {
    var s = {success: success === true, status: String(tc && tc.eventStatus || ""), purposes: {}, vendor: null};
    s.applies = tc && tc.gdprApplies === true ? true : tc && tc.gdprApplies === false ? false : null;
    var purposes = tc && tc.purpose && tc.purpose.consents || {};
    wanted.purposes.forEach(function (n) { s.purposes[n] = purposes[n] === true; });
    if (wanted.vendor) { var vendors = tc && tc.vendor && tc.vendor.consents || {}; s.vendor = vendors[wanted.vendor] === true; }
    return s;
  }

  function consentCommand(wanted, entry) {
    // A gtag("consent", "default" | "update", {...}) entry (an arguments object or an array), or null.
    if (!entry || typeof entry !== "object" || entry[0] !== "consent") return null;
    var given = entry[2] && typeof entry[2] === "object" ? entry[2] : {}, values = {};
    wanted.signals.forEach(function (name) {
      if (given[name] === "granted" || given[name] === "denied") values[name] = given[name];
    });
    return {command: String(entry[1]), values: values, region: given.region !== undefined};
  }

  p.consentKit = {
    tcf: function (wanted, send) {
      whenPresent(function () { return typeof w.__tcfapi === "function"; }, function () {
        w.__tcfapi("addEventListener", 2, function (tc, success) {
          send(safely(function () { return tcfSnapshot(wanted, tc, success); }));
        });
      }, "window.__tcfapi", send, wanted);
    },
    "consent-mode": function (wanted, send) {
      var failed = safely(function () {
        var layer = w.dataLayer = w.dataLayer || [], found = [];  // as every gtag page starts
        for (var i = 0; i < layer.length; i++) {
          try { var command = consentCommand(wanted, layer[i]); if (command) found.push(command); } catch {}
        }
        send(found);
        var push = layer.push;
        layer.push = function () {  // later commands: gtag's and GTM's own push wrappers chain to this one
          var result = push.apply(this, arguments), later = [];
          for (var k = 0; k < arguments.length; k++) {
            try { var command = consentCommand(wanted, arguments[k]); if (command) later.push(command); } catch {}
          }
          if (later.length) send(later);
          return result;
        };
        return false;
      });
      if (failed) send(failed);
    },
    onetrust: function (wanted, send) {
      function read() {
        return safely(function () {
          var groups = String(w.OnetrustActiveGroups || "");
          if (groups.length > wanted.maxGroupsText) {
            return {unreadable: "OnetrustActiveGroups is " + groups.length + " characters long"};
          }
          return {groups: groups, closed: w.OneTrust.IsAlertBoxClosed() === true};
        });
      }
      whenPresent(function () { return !!w.OneTrust && typeof w.OneTrust.OnConsentChanged === "function"; }, function () {
        send(read());
        w.OneTrust.OnConsentChanged(function () { send(read()); });
      }, "window.OneTrust", send, wanted);
    },
    cookiebot: function (wanted, send) {
      function read() {
        return safely(function () {
          var bot = w.Cookiebot;
          return {answered: bot.hasResponse === true, allowed: !!bot.consent && bot.consent[wanted.category] === true};
        });
      }
      ["CookiebotOnAccept", "CookiebotOnDecline"].forEach(function (name) {
        w.addEventListener(name, function () { send(read()); });
      });
      whenPresent(function () { return !!w.Cookiebot; }, function () { send(read()); }, "window.Cookiebot", send, wanted);
    }
  };
})(window, document);
