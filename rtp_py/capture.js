/* rtp_py start-up capture: paste inline in <head>, next to the RTP tag. Until rtp_py is live it records
   clicks on [data-rtp-event] elements (never blocking or delaying them); rtp_py replays them in order. */
(function (w, d) {
  var p = w.rtpPy = w.rtpPy || {q: []};
  if (p.capturing) return;
  p.capturing = true;
  d.addEventListener("click", function (e) {
    var el = !p.live && e.target.closest && e.target.closest("[data-rtp-event]");
    if (el) p.q.push([el, el.getAttribute("data-rtp-event"), el.hasAttribute("data-rtp-once")]);
  }, true);
})(window, document);
