/* global rtp */
/* Bench helpers (not part of rtp_py). bench/run.py adds this as a Playwright init script, so it runs before
   any script of the page and costs the page no request. */
(function (w, d) {
  var b = w.bench = {marks: {}};

  // Python ready: the moment <html> gets class rtp-ready (rtp_py's start() adds it).
  new MutationObserver(function (records, observer) {
    if (d.documentElement && d.documentElement.classList.contains("rtp-ready")) {
      b.marks.ready = performance.now();
      observer.disconnect();
    }
  }).observe(d, {attributes: true, attributeFilter: ["class"], subtree: true});

  // The interpreter is up, before the page's Python runs: PyScript's `py:ready` / `mpy:ready` event on the
  // script element (captured at the document, whatever the script).
  ["py:ready", "mpy:ready"].forEach(function (type) {
    d.addEventListener(type, function () {
      if (b.marks.interpreter === undefined) b.marks.interpreter = performance.now();
    }, true);
  });
  // The page's script has run: PyScript's `py:done` / `mpy:done`. For a bare PyScript page (one statement,
  // no rtp_py) this is "Python ready"; rtp_py's pages are ready a little earlier, when start() marks them.
  ["py:done", "mpy:done"].forEach(function (type) {
    d.addEventListener(type, function () {
      if (b.marks.done === undefined) b.marks.done = performance.now();
    }, true);
  });

  // Main-thread long tasks (over 50 ms), from navigation on: Total Blocking Time is the sum of each one's
  // time over 50 ms, the way page-speed tools judge a tag. Observed from the init script, before any page
  // script runs, so none is missed.
  b.longTasks = [];
  function noteLongTasks(entries) {
    entries.forEach(function (e) { b.longTasks.push({start: e.startTime, duration: e.duration}); });
  }
  try {
    b.longTaskObserver = new PerformanceObserver(function (list) { noteLongTasks(list.getEntries()); });
    b.longTaskObserver.observe({type: "longtask", buffered: true});
  } catch { b.longTasks = null; }
  // ?preload=URL,URL,... (the --options run): a preload hint per URL, added as soon as <head> exists, before
  // any of the page's own markup loads PyScript. modulepreload for .js/.mjs; preload as=fetch for the rest
  // (wasm, zip, json), which is how PyScript and the interpreters fetch them.
  var hints = new URLSearchParams(location.search).get("preload");
  if (hints) {
    new MutationObserver(function (records, observer) {
      if (!d.head) return;
      observer.disconnect();
      hints.split(",").forEach(function (href) {
        var link = d.createElement("link");
        if (/\.m?js$/.test(href)) {
          link.rel = "modulepreload";
        } else {
          link.rel = "preload";
          link.as = "fetch";
          link.crossOrigin = "anonymous";
        }
        link.href = href;
        d.head.prepend(link);
      });
    }).observe(d, {childList: true, subtree: true});
  }
  // ?visitor=known (bench/pages/personal.html): the visitor an earlier page of this session learned from rtp
  // (what rtp_py keeps in sessionStorage), put there before any script of the page runs. Then, frame by frame
  // until Python is ready, whether the visitor's block (#offer) and the default (#default) are displayed: a
  // requestAnimationFrame callback runs just before the browser paints that frame.
  if (new URLSearchParams(location.search).get("visitor") === "known") {
    sessionStorage.setItem("rtp_py:visitor", JSON.stringify({status: 200, results: {
      matchedSegments: [{id: 106, name: "Whitepaper downloaders"}]}}));
    var blocks = b.blocks = {firstFrame: null, offerAtFirstFrame: null, offerShown: null, defaultShown: null};
    var shown = function (id) {
      var el = d.getElementById(id);
      return !!el && getComputedStyle(el).display !== "none";
    };
    var frame = function () {
      if (d.getElementById("offer")) {
        if (blocks.firstFrame === null) {
          blocks.firstFrame = performance.now();
          blocks.offerAtFirstFrame = shown("offer");
        }
        if (blocks.offerShown === null && shown("offer")) blocks.offerShown = performance.now();
        if (blocks.defaultShown === null && shown("default")) blocks.defaultShown = performance.now();
      }
      if (b.marks.ready === undefined || performance.now() < b.marks.ready + 100) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }
  // First Contentful Paint, from the browser's paint timing.
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { if (e.name === "first-contentful-paint") b.marks.fcp = e.startTime; });
    }).observe({type: "paint", buffered: true});
  } catch (e) {}
  var WP = "download - example whitepaper";

  // 10,000 (n) calls of the tag from plain JS: the baseline for send_event's cost. Returns ms.
  b.js = function (kind, n) {
    var i, t0 = performance.now();
    if (kind === "list") {
      for (i = 0; i < n; i++) rtp("send", "event", {value: ["MyEvent", WP, "whitepaper", "gated"]});
    } else {
      for (i = 0; i < n; i++) rtp("send", "event", {value: WP});
    }
    return performance.now() - t0;
  };

  // For the floor of a Python -> JS call: does nothing.
  b.noop = function () { return 0; };

  b.clearQueue = function () { var n = rtp.q.length; rtp.q.length = 0; return n; };

  // Yield to the event loop without setTimeout's 4 ms clamp: each click is its own task.
  function nextTask() {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { resolve(); };
      channel.port2.postMessage(0);
    });
  }

  // Click `selector` n times (element.click(), one task each); for each click, ms from the click event
  // (a capture listener on window, which runs before any document listener) to the call of rtp.
  b.clicks = async function (selector, n) {
    var el = d.querySelector(selector), t0 = 0, latencies = [], calls = 0, tag = w.rtp;
    var spy = function () { calls++; latencies.push(performance.now() - t0); return tag.apply(this, arguments); };
    spy.q = tag.q; spy.a = tag.a;
    var start = function () { t0 = performance.now(); };
    w.addEventListener("click", start, true);
    w.rtp = spy;
    try {
      for (var i = 0; i < n; i++) { await nextTask(); el.click(); }
    } finally {
      w.rtp = tag;
      w.removeEventListener("click", start, true);
      tag.q.length = 0;
    }
    return {latencies: latencies, calls: calls};
  };

  // What this page load cost: navigation and resource timing entries.
  b.load = function () {
    if (b.longTaskObserver) noteLongTasks(b.longTaskObserver.takeRecords());  // any not delivered yet
    var nav = performance.getEntriesByType("navigation")[0];
    var entries = [nav].concat(performance.getEntriesByType("resource"));
    return {
      dcl: nav.domContentLoadedEventStart,
      marks: b.marks,
      blocks: b.blocks || null,
      longTasks: b.longTasks,
      resources: entries.map(function (e) {
        return {url: e.name, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize,
                type: e.initiatorType || "navigation"};
      })
    };
  };

  // Timer resolution seen by this page (Chromium coarsens performance.now() unless cross-origin isolated).
  b.resolution = function () {
    var smallest = Infinity, last = performance.now();
    for (var i = 0; i < 200000; i++) {
      var now = performance.now();
      if (now > last) { smallest = Math.min(smallest, now - last); last = now; }
    }
    return smallest;
  };
})(window, document);
