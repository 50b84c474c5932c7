"""The demo site's Python: what a customer writes. The same file runs on Pyodide and on MicroPython.

Most tracking on the demo pages is declarative (`data-rtp-event` in the HTML, handled by `start()`); the
elements below get their event from Python instead, with `on_click`.
"""

import sys

from pyscript import document
from rtp_py import on_click, start

# The whitepaper's other editions: each download is the seed's event plus the edition, in its own language.
WHITEPAPER = "download - example whitepaper"
PYTHON_BOUND = [
    ("#contact-sales", ["MyEvent", "contact sales"]),
    ("#edition-it", [WHITEPAPER, "scarica – il manuale della personalizzazione (italiano)"]),
    ("#edition-sv", [WHITEPAPER, "ladda ner – handboken för personalisering (svenska)"]),
    ("#edition-es", [WHITEPAPER, "descargar – el manual de la personalización (español)"]),
    ("#edition-fr", [WHITEPAPER, "télécharger – le guide de la personnalisation (français)"]),
    ("#edition-de", [WHITEPAPER, "herunterladen – das Handbuch für Personalisierung (Deutsch)"]),
    ("#edition-ja", [WHITEPAPER, "ダウンロード – リアルタイム・パーソナライゼーション入門（日本語）"]),
]

for selector, value in PYTHON_BOUND:
    if document.querySelectorAll(selector).length:  # not every page has every element
        on_click(selector, value)

# Demo chrome: show which Python this page runs on (cpython = Pyodide, micropython = MicroPython).
version = sys.implementation.version
document.getElementById("python-runtime").textContent = "%s %d.%d" % (
    sys.implementation.name, version[0], version[1])

start()
