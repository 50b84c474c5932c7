/*
 * Demo chrome shared by every demo page: the interpreter switch, the language selector, links that keep
 * ?interpreter= and ?lang=, and the loader that starts demo/app.py.
 *
 *   ?interpreter=mpy   run demo/app.py on MicroPython (<script type="mpy" config="/pyscript.mpy.toml">)
 *   (default)          run it on Pyodide            (<script type="py" config="/pyscript.toml">)
 *
 * The same demo/app.py serves both. The Python script element is added here, from <head>, rather than
 * written in the page, so that one page can run on either interpreter.
 */
(function (w, d) {
  "use strict";

  var INTERPRETERS = {
    py: {type: "py", config: "/pyscript.toml", name: "Pyodide"},
    mpy: {type: "mpy", config: "/pyscript.mpy.toml", name: "MicroPython"}
  };
  var KEPT_PARAMS = ["interpreter", "lang"];

  var params = new URLSearchParams(w.location.search);
  var interpreter = Object.hasOwn(INTERPRETERS, params.get("interpreter")) ? params.get("interpreter") : "py";
  d.documentElement.setAttribute("data-interpreter", interpreter);

  // A demo URL with this page's interpreter and language, plus `changes` ({name: value}).
  function withParams(href, changes) {
    var url = new URL(href, w.location.href);
    // Only links to demo pages (not to files such as the whitepaper's PDF) carry the parameters.
    if (url.origin !== w.location.origin || !/^\/demo\/([\w-]+\.html)?$/.test(url.pathname)) return href;
    KEPT_PARAMS.forEach(function (name) {
      if (params.has(name) && !url.searchParams.has(name)) url.searchParams.set(name, params.get(name));
    });
    Object.keys(changes || {}).forEach(function (name) { url.searchParams.set(name, changes[name]); });
    return url.pathname + url.search + url.hash;
  }

  function keepParams(root) {
    Array.prototype.forEach.call(root.querySelectorAll("a[href]"), function (a) {
      a.setAttribute("href", withParams(a.getAttribute("href")));
    });
  }

  function setUpSwitches() {
    Array.prototype.forEach.call(d.querySelectorAll("[data-switch-interpreter]"), function (a) {
      var choice = a.getAttribute("data-switch-interpreter");
      a.setAttribute("href", withParams(w.location.pathname, {interpreter: choice}));
      if (choice === interpreter) a.setAttribute("aria-current", "true");
    });
    var select = d.getElementById("language");
    if (select) {
      var languages = w.demoI18n.languages;
      Object.keys(languages).forEach(function (code) {
        var option = d.createElement("option");
        option.value = code;
        option.textContent = languages[code];
        select.appendChild(option);
      });
      select.value = w.demoI18n.lang;
      select.addEventListener("change", function () {
        w.location.href = withParams(w.location.pathname, {lang: select.value});
      });
    }
  }

  function startPython() {
    var chosen = INTERPRETERS[interpreter];
    var script = d.createElement("script");
    script.type = chosen.type;
    script.src = "/demo/app.py";
    script.setAttribute("config", chosen.config);
    d.head.appendChild(script);
  }

  // The campaign the stand-in inserts carries data-i18n keys and demo links: treat it like the page.
  d.addEventListener("rtp-standin:campaign", function (e) {
    w.demoI18n.apply(e.detail.zone);
    keepParams(e.detail.zone);
  });

  // Files that exist in each language (the whitepaper's PDF): the visitor's language.
  function localiseFiles(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-pdf-per-language]"), function (a) {
      var href = a.getAttribute("data-pdf-per-language").replace("{lang}", w.demoI18n.lang);
      a.setAttribute("href", href);
      a.setAttribute("download", href.split("/").pop());
    });
  }

  d.addEventListener("DOMContentLoaded", function () {
    w.demoInspector.mount();
    w.demoI18n.apply(d);
    localiseFiles(d);
    keepParams(d);
    setUpSwitches();
  });

  // Now, while the page is still parsing: PyScript reads the config of the <script type="py"|"mpy">
  // elements present when core.js starts (it runs after parsing); a script added later gets no config and
  // PyScript would fetch its default interpreter from a CDN.
  startPython();

  w.demoSite = {interpreter: interpreter, withParams: withParams};
})(window, document);
