"""The demo site's Python: what a customer writes. The same file runs on Pyodide and on MicroPython.

Most tracking on the demo pages is declarative (`data-rtp-event` in the HTML, handled by `start()`); the
elements below get their event from Python instead, with `on_click`.
"""

import json
import sys

from pyscript import document, window
from rtp_py import follow_consent, get_campaign, insert_tag, on_click, send_view, start, when_segment, when_visitor

# Consent first: the site's consent platform (here the demo's TCF stand-in banner) decides. Until the visitor
# accepts, rtp_py holds every call, and Marketo's tag is not even on the page: rtp_py inserts it on the grant
# (its script is the demo's stand-in for rtp.js). Then the held calls go out, in order.
follow_consent("tcf")
insert_tag("/demo/rtp-standin.js", "/demo/rtp-pod", "LUMEN-DEMO-0001")
send_view()
get_campaign()

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


# Personalised in Python: once RTP says the visitor is in the segment, rewrite a line of the landing page.
@when_segment("Whitepaper downloaders")
def welcome_back(visitor):
    line = document.getElementById("py-personal")
    if line:
        english = "Personalised in Python: you downloaded the playbook, here is chapter 3 in 5 minutes."
        line.textContent = window.demoI18n.text("home.py.known", english)
        line.setAttribute("data-i18n", "home.py.known")
        line.classList.add("rtp-personalised")


# What rtp_py read of the visitor (the whole answer, not only segments): the inspector shows it as data.
@when_visitor
def show_what_was_read(visitor):
    where = visitor.location
    window.demoInspector.showVisitor(json.dumps({
        "org": visitor.org, "location": {"country": where.country, "city": where.city, "state": where.state},
        "abm": [{"code": item.code, "name": item.name} for item in visitor.abm], "industries": visitor.industries}))


# Demo chrome: show which Python this page runs on (cpython = Pyodide, micropython = MicroPython).
version = sys.implementation.version
document.getElementById("python-runtime").textContent = "%s %d.%d" % (
    sys.implementation.name, version[0], version[1])

start()
