# The part of PyScript's `pyscript` module that rtp_py, the demo and the README's examples use, for the type
# checker (PyScript ships no types). The page's objects are JavaScript proxies: Any.
from typing import Any

RUNNING_IN_WORKER: bool
config: Any
document: Any
window: Any
