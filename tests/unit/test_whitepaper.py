"""The demo whitepaper's PDFs (scripts/whitepaper.py): one valid page per language, saying what the page says."""

import re

import pytest
import whitepaper
from pypdf import PdfReader

TEXTS = whitepaper.texts()


def squash(text):
    return re.sub(r"\s+", " ", text).strip()


def test_every_language_of_the_demo_has_its_pdf_texts():
    """English from the page and the five languages of demo/i18n.js, each with every text the PDF prints."""
    assert sorted(TEXTS) == ["de", "en", "es", "fr", "it", "sv"]
    assert all(sorted(fields) == sorted(whitepaper.KEYS) for fields in TEXTS.values())
    assert TEXTS["en"]["wp.title"] == "The real-time personalisation playbook"
    assert TEXTS["de"]["wp.title"] != TEXTS["en"]["wp.title"]


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_pdf_is_one_valid_page_in_its_language(tmp_path, lang):
    """A strict PDF parser reads one A4 page whose text is the whitepaper's, accents included, in order."""
    path = tmp_path / "playbook.pdf"
    path.write_bytes(whitepaper.pdf(TEXTS[lang]))
    reader = PdfReader(str(path), strict=True)
    assert len(reader.pages) == 1
    assert [float(v) for v in reader.pages[0].mediabox] == [0, 0, 595, 842]
    text = squash(reader.pages[0].extract_text())
    expected = [squash(TEXTS[lang][key]) for key in whitepaper.KEYS]
    positions = [text.find(part) for part in expected]
    assert -1 not in positions, (text, expected)
    assert positions == sorted(positions)


def test_text_that_pdf_syntax_uses_is_escaped(tmp_path):
    """Parentheses and backslashes in a text stay text."""
    fields = dict(TEXTS["en"], **{"wp.sample": r"a (bracketed) \ text"})
    path = tmp_path / "escaped.pdf"
    path.write_bytes(whitepaper.pdf(fields))
    assert r"a (bracketed) \ text" in PdfReader(str(path), strict=True).pages[0].extract_text()


def test_built_files_match_the_builder(tmp_path, monkeypatch):
    """main() writes lumen-playbook-<lang>.pdf for each language, the bytes pdf() makes."""
    monkeypatch.setattr(whitepaper, "OUT", tmp_path)
    whitepaper.main()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lumen-playbook-%s.pdf" % lang for lang in sorted(TEXTS)]
    assert (tmp_path / "lumen-playbook-fr.pdf").read_bytes() == whitepaper.pdf(TEXTS["fr"])
