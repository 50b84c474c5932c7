// MicroPython (the npm build PyScript uses) under Node, judging rtp_py's validation rules for the parity test.
// Usage: node mpy_runner.mjs <repository root>. Reads one JSON case per line on stdin, writes one JSON verdict
// per line on stdout. A case {"fn": "event" | "attribute", "arg": <tagged value>, "js": [UTF-16 units]}: a
// tagged {"t": "js"} in arg is the string made from "js" in JavaScript and handed to Python as a JS string,
// the way text from the page arrives.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const root = process.argv[2];
const { loadMicroPython } = await import(
  root + "/node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs");
const mp = await loadMicroPython({ heapsize: 64 * 1024 * 1024, stdout: (t) => process.stderr.write(t + "\n") });

mp.FS.mkdir("/rtp_py");
mp.FS.writeFile("/rtp_py/__init__.py", "");  // the real index imports the page bridge: not needed here
for (const name of ["errors.py", "limits.py", "validation.py", "attribute.py"]) {
  mp.FS.writeFile("/rtp_py/" + name, readFileSync(root + "/rtp_py/" + name));
}
let current = "";
mp.registerJsModule("jscase", { text: () => current });
mp.runPython(readFileSync(new URL("./parity_judge.py", import.meta.url), "utf8"));
const judge = mp.globals.get("judge");

for await (const line of createInterface({ input: process.stdin })) {
  const units = JSON.parse(line).js;
  current = units ? String.fromCharCode(...units) : "";
  process.stdout.write(judge(line) + "\n");
}
