// Run a Python file in Pyodide's own interpreter (the pinned npm package, under Node) as its first Python, as
// `python3 FILE ARGS...` would run it: __name__ is "__main__", sys.argv is [FILE, ...ARGS], and the working
// directory is mounted at its own path, so paths relative to it or absolute under it work. Exits non-zero, with
// the Python traceback, if the file raises. Used by scripts/vendor.py to compile the start-up part of Pyodide's
// standard library with the interpreter pages run.
//
//   node scripts/in_pyodide.mjs scripts/pyc_stdlib.py SOURCE.zip COMPILED.zip
import { readFileSync } from "node:fs";
import { loadPyodide } from "../node_modules/pyodide/pyodide.mjs";

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/in_pyodide.mjs FILE.py [ARGS...]");
  process.exit(2);
}
const pyodide = await loadPyodide({
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
});
const cwd = process.cwd();
pyodide.mountNodeFS(cwd, cwd);
pyodide.FS.chdir(cwd);
const sys = pyodide.pyimport("sys");
sys.argv = pyodide.toPy([file, ...args]);
try {
  // As the interpreter's first Python, importing nothing before it (pyc_stdlib.py reads what Pyodide imported).
  pyodide.runPython(readFileSync(file, "utf8"), { filename: file, globals: pyodide.toPy({ __name__: "__main__" }) });
} catch (error) {
  process.stderr.write(String(error.message ?? error) + "\n");
  process.exit(1);
}
