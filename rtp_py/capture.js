/* rtp_py start-up capture: paste inline in <head>, next to the RTP tag. Until rtp_py is live it records
   clicks on [data-rtp-event] elements (never blocking or delaying them); rtp_py replays them in order. If
   the page is hidden or left first, they move to this tab's sessionStorage for the next start() here, but
   only with consent granted (or no consent gating): otherwise they stay in memory and end with the page. */
(function (w, d) {
  var p = w.rtpPy = w.rtpPy || {q: []};
  if (p.capturing) return;
  p.capturing = true;
  d.addEventListener("click", function (e) {
    var el = !p.live && e.target.closest && e.target.closest("[data-rtp-event]");
    if (!el) return;
    p.q.push([el, el.getAttribute("data-rtp-event"), el.hasAttribute("data-rtp-once")]);
    // Firefox can lose a sessionStorage that a page first uses while it is being left: use it now, so that
    // keep() below writes to one the next page sees.
    try { sessionStorage.length; } catch (e) {}
  }, true);
  function keep() {  // the page is hidden or left before start(): move its clicks to sessionStorage
    var c = p.consent || d.documentElement.getAttribute("data-rtp-consent");
    if (p.live || !p.q.length || (c && c !== "granted")) return;
    var k = "rtp_py:kept", s = {};
    try { s = JSON.parse(sessionStorage.getItem(k)) || s; } catch (e) {}
    var q = Array.isArray(s.q) ? s.q : [], over = +s.over || 0;
    p.q.forEach(function (c) {  // at most 50 clicks of at most 8192 characters; start() reports the rest
      if (q.length < 50 && c[1].length <= 8192) q.push([c[1], c[2], c[0].tagName + (c[0].id ? "#" + c[0].id : "")]);
      else over++;
    });
    try { sessionStorage.setItem(k, JSON.stringify({q: q, over: over})); p.q.length = 0; }
    catch (e) { console.warn("[rtp_py] could not keep the clicks captured before start-up:", e); }
  }
  w.addEventListener("pagehide", keep);
  d.addEventListener("visibilitychange", function () { if (d.visibilityState === "hidden") keep(); });
  // A page shown again from the back/forward cache. If Python never got to run (PyScript's py:ready and
  // mpy:ready bubble up from the script), WebKit keeps it with its loads cancelled and resumes nothing: start
  // it again. Otherwise its sessionStorage may be older than the pages after it (Firefox): leave the clicks
  // kept there to the next page's start(), so that none is sent twice.
  ["py:ready", "mpy:ready"].forEach(function (t) { d.addEventListener(t, function () { p.python = true; }); });
  w.addEventListener("pageshow", function (e) {
    if (!e.persisted) return;
    if (!p.live && !p.python) w.location.reload();
    else p.restored = true;
  });
})(window, document);
