"""Build the demo whitepaper's PDF in each of the demo's languages: demo/build/lumen-playbook-<lang>.pdf.

The Download button on demo/whitepaper.html gives the visitor the one in their language. Each PDF is one A4
page written here by hand (no PDF library): the whitepaper's title, lead, contents and the sample note,
taken from the page itself (English, in demo/whitepaper.html) and from demo/i18n.js (the other languages),
so the PDF says what the page says. scripts/setup.sh runs this at every set-up; demo/build/ is not in git.

    python3 scripts/whitepaper.py          # writes demo/build/lumen-playbook-{en,it,sv,es,fr,de}.pdf
"""

import html
import json
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"
OUT = DEMO / "build"
KEYS = ("wp.title", "wp.lead", "wp.toc.title", "wp.toc1", "wp.toc2", "wp.toc3", "wp.toc4", "wp.sample")

# A4 in points, and the page's left margin and text width.
WIDTH, HEIGHT, LEFT, TEXT_WIDTH = 595, 842, 64, 467


def english() -> dict:
    """The texts of KEYS as demo/whitepaper.html writes them."""
    page = (DEMO / "whitepaper.html").read_text(encoding="utf-8")
    found = dict(re.findall(r'data-i18n="([\w.]+)"[^>]*>([^<]+)<', page))
    return {key: html.unescape(found[key]) for key in KEYS}


def translations() -> dict:
    """{lang: {key: text}} for the languages of demo/i18n.js (its TEXTS object: one block per language)."""
    source = (DEMO / "i18n.js").read_text(encoding="utf-8")
    out = {}
    for lang, block in re.findall(r"\n    (\w\w): \{\n(.*?)\n    \}", source, re.S):
        pairs = re.findall(r'^\s*"([\w.-]+)": ("(?:[^"\\]|\\.)*")', block, re.M)
        out[lang] = {key: json.loads(text) for key, text in pairs}
    return out


def texts() -> dict:
    """{lang: {key: text}} for English and every translated language; exits naming any missing text."""
    out = {"en": english()}
    for lang, table in translations().items():
        missing = [key for key in KEYS if key not in table]
        if missing:
            sys.exit("whitepaper: demo/i18n.js lacks %s in %r" % (", ".join(missing), lang))
        out[lang] = {key: table[key] for key in KEYS}
    return out


def _pdf_string(text: str) -> bytes:
    """`text` as a PDF literal string in WinAnsiEncoding (cp1252, which covers all six languages)."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _lines(fields: dict) -> list:
    """(font, size, gap before, text) for each line of the page, long texts wrapped to the text width."""
    def wrapped(font, size, gap, text):
        # Helvetica averages about half an em per character: wrap so no line runs past the margin.
        chars = int(TEXT_WIDTH / (size * 0.52))
        return [(font, size, gap if i == 0 else size * 0.4, line)
                for i, line in enumerate(textwrap.wrap(text, chars))]

    out = [("F2", 12, 0, "Lumen")]
    out += wrapped("F2", 26, 40, fields["wp.title"])
    out += wrapped("F1", 13, 18, fields["wp.lead"])
    out += wrapped("F2", 15, 34, fields["wp.toc.title"])
    for key in ("wp.toc1", "wp.toc2", "wp.toc3", "wp.toc4"):
        out += wrapped("F1", 12, 12, fields[key])
    out += wrapped("F1", 10, 48, fields["wp.sample"])
    return out


def pdf(fields: dict) -> bytes:
    """A one-page PDF of the whitepaper's texts."""
    ops, y = [b"BT"], HEIGHT - 72
    for font, size, gap, text in _lines(fields):
        y -= gap + size
        ops.append(b"/%s %d Tf 1 0 0 1 %d %d Tm %s Tj" % (font.encode(), size, LEFT, y, _pdf_string(text)))
    ops.append(b"ET")
    stream = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 6 0 R "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> >>" % (WIDTH, HEIGHT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for lang, fields in texts().items():
        (OUT / ("lumen-playbook-%s.pdf" % lang)).write_bytes(pdf(fields))


if __name__ == "__main__":
    main()
