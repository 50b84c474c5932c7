/* rtp_py consent kit: the page side of follow_consent() and insert_tag(). rtp_py runs it from its wheel the
   first time either is used; it is not a snippet to paste. Each platform reader sends a small plain snapshot
   of what the platform's documented API says (rtp_py/platforms.py maps it to a state), or {missing} if the
   platform is not on the page once it has loaded, or {unreadable} if reading it threw. */
(function (w, d) {
  var p = w.rtpPy = w.rtpPy || {q: []};
  if (p.consentKit) return;

  function problem(e) {
    try { return String(e && e.message || e).slice(0, 200); } catch (x) { return "an unreadable error"; }
  }
  function safely(read) {
    try { return read(); } catch (e) { return {unreadable: problem(e)}; }
  }
  function whenPresent(present, go, name, send) {
    // The platform's script may load after rtp_py: wait for the page's load event before calling it missing.
    function attempt() {
      var found = safely(present);
      if (found === true) { var failed = safely(function () { go(); return false; }); if (failed) send(failed); }
      else send(found && found.unreadable ? found : {missing: name});
    }
    if (safely(present) === true || d.readyState === "complete") attempt();
    else w.addEventListener("load", attempt, {once: true});
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
      }, "window.__tcfapi", send);
    },
    "consent-mode": function (wanted, send) {
      var failed = safely(function () {
        var layer = w.dataLayer = w.dataLayer || [], found = [];  // as every gtag page starts
        for (var i = 0; i < layer.length; i++) {
          try { var command = consentCommand(wanted, layer[i]); if (command) found.push(command); } catch (e) {}
        }
        send(found);
        var push = layer.push;
        layer.push = function () {  // later commands: gtag's and GTM's own push wrappers chain to this one
          var result = push.apply(this, arguments), later = [];
          for (var k = 0; k < arguments.length; k++) {
            try { var command = consentCommand(wanted, arguments[k]); if (command) later.push(command); } catch (e) {}
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
          if (groups.length > 4096) return {unreadable: "OnetrustActiveGroups is " + groups.length + " characters long"};
          return {groups: groups, closed: w.OneTrust.IsAlertBoxClosed() === true};
        });
      }
      whenPresent(function () { return !!w.OneTrust && typeof w.OneTrust.OnConsentChanged === "function"; }, function () {
        send(read());
        w.OneTrust.OnConsentChanged(function () { send(read()); });
      }, "window.OneTrust", send);
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
      whenPresent(function () { return !!w.Cookiebot; }, function () { send(read()); }, "window.Cookiebot", send);
    },
    insertTag: function (src, pod, account) {
      // What Marketo's documented snippet does: the queue stub (the page's own kept), the pod and account
      // on it, and rtp.js as an async script before the first script. Once per page.
      if (p.tagInserted) return false;
      p.tagInserted = true;
      if (typeof w.rtp !== "function") w.rtp = function () { (w.rtp.q = w.rtp.q || []).push(arguments); };
      w.rtp.p = pod;
      w.rtp.a = account;
      var script = d.createElement("script"), first = d.getElementsByTagName("script")[0];
      script.async = true;
      script.type = "text/javascript";
      script.src = src;
      if (first && first.parentNode) first.parentNode.insertBefore(script, first);
      else (d.head || d.documentElement).appendChild(script);
      return true;
    }
  };
})(window, document);
