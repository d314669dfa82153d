"""Reading back a PDF the service made (a purchase order, a contract, a letter, a statement), as a test checks it."""

import io
import re
from pathlib import Path

from pypdf import PdfReader


def pdf_text(pdf: bytes | str | Path) -> str:
    """Every page's text, runs of whitespace made single spaces. `pdf`: the bytes, or the path of a file."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
