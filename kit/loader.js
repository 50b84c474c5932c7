/* rtp_py 0.0.0's loader: put it in <head>, right after PyScript's core.js.

     <script type="module" src="./pyscript/core.js"></script>
     <script type="module" src="./rtp_py-0.0.0.js"></script>

   It fetches rtp_py as one file (the bundle: its modules and page-side JS, gzip-compressed at build time, so
   the same bytes go out whether or not the server compresses) as soon as the page is parsed, and writes it
   into the Python interpreter's file system when the interpreter is ready, before the page's first
   <script type="py"> or <script type="mpy"> runs: then `import rtp_py` works there, as it would from a
   wheel in the config's [files], without PyScript's zip reader. PyScript's public hooks do the timing:
   hooks.main.onReady on the page, hooks.worker.onBeforeRunAsync in PyScript's worker mode (where the worker
   fetches the bundle itself). scripts/build.py fills in the two URLs (relative to this file) and the version;
   a <link rel="preload" href="./rtp_py-0.0.0.bundle" as="fetch" crossorigin> in <head> starts the download
   even sooner. */
const BUNDLE = new URL("./rtp_py-0.0.0.bundle", import.meta.url).href;

// The bundle's files, [[path, bytes], ...]: a JSON line of [path, length] pairs, then the bytes in that order.
// gzip-compressed, unless a server sent it with Content-Encoding and the browser decoded it already.
async function rtpPyRead(url) {
  var response = await fetch(url);  // as the preload hint asks: CORS mode, same-origin credentials
  if (!response.ok) throw new Error(url + ": HTTP " + response.status);
  var bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    var gunzip = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(gunzip).arrayBuffer());
  }
  var newline = bytes.indexOf(10), offset = newline + 1;
  return JSON.parse(new TextDecoder().decode(bytes.subarray(0, newline))).map(function (entry) {
    offset += entry[1];
    return [entry[0], bytes.subarray(offset - entry[1], offset)];
  });
}

// Write the files under the interpreter's working directory (on sys.path, as PyScript's [files] "./*" does).
function rtpPyWrite(FS, files) {
  var cwd = FS.cwd().replace(/\/$/, "");
  files.forEach(function (file) {
    var dir = cwd, parts = file[0].split("/");
    parts.slice(0, -1).forEach(function (part) {
      dir += "/" + part;
      try { FS.mkdir(dir); } catch (e) {}  // it exists already
    });
    FS.writeFile(cwd + "/" + file[0], file[1]);
  });
}

function failed(error) {
  console.error("[rtp_py] could not load rtp_py from " + BUNDLE + ": " + error);
}

const files = rtpPyRead(BUNDLE);  // the download starts now, before PyScript's core is even imported here
files.catch(function () {});  // reported when an interpreter needs the files, not twice
const written = new WeakSet();

// PyScript's hooks, imported once PyScript has defined its script types (<py-script>, <mpy-script>): its core
// has finished evaluating by then. Importing it at once does in Chromium, but WebKit can evaluate this module
// while PyScript's core (an async module graph) is still evaluating, and the import then fails ("Cannot
// access uninitialized variable"). PyScript awaits this module (the config names it in [js_modules.main])
// before the interpreter is ready, so the hooks below are always in place in time.
await Promise.race(["py-script", "mpy-script"].map(function (name) { return customElements.whenDefined(name); }));
const {hooks} = await import("./pyscript/core.js");

hooks.main.onReady.add(async function (wrap) {
  if (written.has(wrap.interpreter)) return;  // once per interpreter, however many scripts use it
  written.add(wrap.interpreter);
  try {
    rtpPyWrite(wrap.interpreter.FS, await files);
  } catch (error) {
    failed(error);
  }
});

// PyScript's worker mode: hooks run in the worker from their source text, so this one carries its own copy of
// the two functions above and the bundle's URL.
hooks.worker.onBeforeRunAsync.add(Function("return async function rtpPyWorker(wrap) {\n" +
  "  try { (" + rtpPyWrite + ")(wrap.interpreter.FS, await (" + rtpPyRead + ")(" + JSON.stringify(BUNDLE) + ")); }\n" +
  "  catch (error) { console.error(" + JSON.stringify("[rtp_py] could not load rtp_py from " + BUNDLE + ": ") +
  " + error); }\n}")());
