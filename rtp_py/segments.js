/* rtp_py segment blocks: paste inline in <head>, after the capture snippet, on pages with data-rtp-segment
   blocks. Until the visitor is known, every block is hidden and defaults show; a visitor already known in
   this tab sees their blocks from the first paint. rtp_py calls rtpPy.showSegments(names) when it knows. */
(function (w, d) {
  var p = w.rtpPy = w.rtpPy || {q: []};
  if (p.showSegments) return;
  p.showSegments = function (names) {
    // Hidden: every block not for one of `names`, and every default beside a block that is shown.
    var hidden = ["[data-rtp-segment]"];
    names.forEach(function (name) {
      var block = '[data-rtp-segment="' + CSS.escape(String(name)) + '"]';
      hidden[0] += ":not(" + block + ")";
      hidden.push(":has(> " + block + ") > [data-rtp-segment-default]");
    });
    var style = d.getElementById("rtp-py-segments") || d.head.appendChild(d.createElement("style"));
    style.id = "rtp-py-segments";
    style.textContent = hidden.join(",") + "{display:none!important}";
  };
  var known = [];
  try {
    var answer = JSON.parse(sessionStorage.getItem("rtp_py:visitor"));
    known = answer.results.matchedSegments.map(function (s) { return s.name; });
  } catch (e) {}
  p.showSegments(Array.isArray(known) ? known : []);
})(window, document);
