"""One reader per format: path -> ExtractedText. Plain functions, each swappable."""

from __future__ import annotations

import codecs
import re
import zipfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import docx
import pdfplumber
from charset_normalizer import from_bytes
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from pdfplumber.page import Page as PlumbedPage
from pdfplumber.table import Table as PlumbedTable
from pypdf import PageObject, PdfReader, mult
from pypdf.errors import PdfReadError
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from ingest.errors import IngestError
from ingest.models import ExtractedText
from ingest.ocr import ocr_copy
from ingest.time_limit import within

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
# Bounds that keep one file from taking an ingest hostage (a 10 MB text file is some 3,000 pages of
# minutes; embedding it would take the better part of an hour on a laptop).
MAX_TEXT_BYTES = 10 * 1024 * 1024
MAX_PDF_BYTES = 100 * 1024 * 1024
MAX_PDF_PAGES = 2000
# Extracted text over this is refused, whatever the file's size (a 100 KB Word file can expand to 12 MB).
MAX_TEXT_CHARS = 10 * 1024 * 1024
# Reading a PDF may take this long to open it, and this long more per page (a 13 KB hostile PDF took 34 s).
PDF_OPEN_SECONDS = 30.0
PDF_SECONDS_PER_PAGE = 1.0
_TOO_DEEP = "nested too deeply to read (objects inside objects past Python's limit): re-export it and ingest again"
# Control characters no text file holds; line breaks, tabs and form feeds (page breaks) are allowed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def read_file(path: Path) -> ExtractedText:
    """Dispatch on the suffix; every failure is an IngestError naming the cause."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"unsupported file type '{suffix or path.name}': use one of {', '.join(SUPPORTED_SUFFIXES)}")
    if not path.is_file():
        raise IngestError("not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty file")
    limit = MAX_PDF_BYTES if suffix in (".pdf", ".docx") else MAX_TEXT_BYTES  # both may hold images
    if size > limit:
        raise IngestError(f"file is {size / 2**20:.0f} MB, over the {limit // 2**20} MB limit: split it into parts")
    if suffix == ".pdf":
        extracted = read_pdf(path)
    elif suffix == ".docx":
        extracted = read_docx(path)
    elif suffix in (".html", ".htm"):
        extracted = ExtractedText(text=html_to_text(decode_text(path.read_bytes())))
    else:
        extracted = ExtractedText(text=decode_text(path.read_bytes()))
    if not extracted.text.strip():
        raise IngestError("no text in file")
    if len(extracted.text) > MAX_TEXT_CHARS:
        raise IngestError(
            f"its text runs to {len(extracted.text) / 2**20:.1f} million characters, over the "
            f"{MAX_TEXT_CHARS // 2**20} million limit: split it into parts"
        )
    return extracted


def decode_text(data: bytes) -> str:
    """UTF-8 first, then a detected encoding; binary data is refused."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):  # UTF-16 text is full of NUL bytes: its byte-order mark says so
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise IngestError(f"undecodable {encoding} text: save it as UTF-8 and ingest again") from None
    if b"\x00" in data[:8192]:
        raise IngestError("binary file (NUL bytes): only text, markdown, HTML, PDF and Word are read")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None or best.encoding is None:
            raise IngestError("undecodable text: save it as UTF-8 and ingest again") from None
        text = str(best)
    controls = len(_CONTROL.findall(text))
    if controls > len(text) / 100:
        raise IngestError("binary file (control characters): only text, markdown, HTML, PDF and Word are read")
    return text


def read_docx(path: Path) -> ExtractedText:
    """A Word document's text, paragraphs and tables in document order, one block each, as the HTML reader
    writes a page: headings (the Title and Heading styles) marked as in markdown ("## Funding"), a table's
    cells tab-separated (a merged cell once); and its title and subject properties."""
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise IngestError("not a readable Word document: open it in Word, save it as .docx and ingest again") from None
    blocks: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            for row in block.rows:
                merged = row.cells  # a cell spanning columns comes once per column it spans
                cells = [cell for n, cell in enumerate(merged) if n == 0 or cell._tc is not merged[n - 1]._tc]
                line = "\t".join(re.sub(r"\s+", " ", cell.text).strip() for cell in cells)
                if line.strip():
                    blocks.append(line)
            continue
        text = re.sub(r"\s+", " ", block.text).strip()
        if not text:
            continue
        style = block.style.name if block.style is not None else ""
        level = 1 if style == "Title" else int(match.group(1)) if (match := _HEADING_STYLE.match(style)) else 0
        blocks.append(f"{'#' * level} {text}" if level else text)
    return ExtractedText(text="\n\n".join(blocks) + "\n", properties=_docx_properties(document))


def _docx_properties(document: DocxDocument) -> dict[str, str]:
    try:
        core = document.core_properties
        described = {"title": core.title or "", "subject": core.subject or ""}
    except Exception:  # damaged document properties describe nothing; the text stands
        return {}
    return {key: " ".join(value.split()) for key, value in described.items() if value.strip()}


def read_pdf(path: Path) -> ExtractedText:
    """Text per page through pypdf, pages joined by a blank line, with each page's start offset; read in a
    worker process within a time limit that grows with the page count. Pages that hold only images (a
    scan) are read by OCR, and listed as such."""
    pages = within(PDF_OPEN_SECONDS, "opening the PDF", _pdf_page_count, path)
    limit = PDF_OPEN_SECONDS + PDF_SECONDS_PER_PAGE * pages
    texts, scanned, properties = within(limit, f"reading the PDF's {pages:,} pages", _pdf_page_texts, path)
    ocr_pages: list[int] = []
    if scanned:
        with ocr_copy(path, scanned) as copy:
            read, _, _ = within(limit, f"reading the PDF's {len(scanned):,} OCR'd pages", _pdf_page_texts, copy)
        for page in scanned:
            texts[page - 1] = read[page - 1]
        ocr_pages = [page for page in scanned if texts[page - 1].strip()]
    if not any(page.strip() for page in texts):
        raise IngestError(
            "no text in the PDF: OCR found none on its scanned pages; check the scan is legible and upright"
            if scanned
            else "no text in the PDF and no scanned pages: re-export it with its text and ingest again"
        )
    text_parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for page_text in texts:
        starts.append(offset)
        text_parts.append(page_text)
        offset += len(page_text) + 2
    return ExtractedText(text="\n\n".join(text_parts), page_starts=starts, ocr_pages=ocr_pages, properties=properties)


def _pdf_page_count(path: Path) -> int:
    return len(_open_pdf(path).pages)


def _open_pdf(path: Path) -> PdfReader:
    """The PDF opened and unlocked, within the page limit; IngestError for what cannot be read."""
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported ciphers
                raise IngestError("encrypted PDF: save an unencrypted copy and ingest that") from exc
            if not unlocked:
                raise IngestError("encrypted PDF: save an unencrypted copy and ingest that")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise IngestError(f"{len(reader.pages):,} pages, over the {MAX_PDF_PAGES:,}-page limit: split the PDF")
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(_TOO_DEEP) from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise IngestError(f"corrupt or truncated PDF ({type(exc).__name__}): re-export it and ingest again") from None
    return reader


def _pdf_page_texts(path: Path) -> tuple[list[str], list[int], dict[str, str]]:
    """Each page's text, the 1-based numbers of the pages with no text but images (scanned pages), and the
    PDF's title and subject."""
    reader = _open_pdf(path)
    try:
        readings = [_page_readings(page) for page in reader.pages]
        pitch = _line_pitch([line for _, _, placed in readings for line in placed])
        texts = [
            _with_paragraphs(plain, layout, _with_gaps(placed, pitch)).strip("\n") for plain, layout, placed in readings
        ]
        ruled = [n for n, page in enumerate(reader.pages) if _draws_rules(page)]
        for n, with_tables in _pages_with_tables(path, ruled, pitch).items():
            texts[n] = with_tables
        scanned = [n for n, page in enumerate(reader.pages, 1) if not texts[n - 1].strip() and _has_images(page)]
    except RecursionError:
        raise IngestError(_TOO_DEEP) from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise IngestError(f"corrupt or truncated PDF ({type(exc).__name__}): re-export it and ingest again") from None
    return texts, scanned, _pdf_properties(reader)


def _pdf_properties(reader: PdfReader) -> dict[str, str]:
    try:
        info = reader.metadata
        described = {"title": info.title, "subject": info.subject} if info is not None else {}
    except Exception:  # a damaged information dictionary describes nothing; the text stands
        return {}
    return {key: " ".join(str(value).split()) for key, value in described.items() if value and str(value).strip()}


# Path operators that draw a table's rules: a rectangle ("re") or a line segment ("l").
_RULE_OPERATOR = re.compile(rb"\s(?:re|l)\s")


def _draws_rules(page: PageObject) -> bool:
    """Whether the page draws enough rectangles or lines to hold a ruled table (a page of text draws none):
    a look at its content stream, so pdfplumber reads only such pages."""
    try:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
    except Exception:  # a content stream pypdf cannot decode holds no table it can find
        return False
    return len(_RULE_OPERATOR.findall(data, 0, 4_000_000)) >= 4


def _pages_with_tables(path: Path, pages: list[int], pitch: int) -> dict[int, str]:
    """The text of each page that holds a ruled table (as a word processor exports one), by its 0-based
    number: pdfplumber finds the table's cells, each row becomes one line of tab-separated cells (as a Word
    or HTML table's rows are read), and the lines around it keep their order and gaps. pypdf, which reads the
    other pages, runs a wrapped cell's lines into its neighbours'. A page pdfplumber cannot read keeps
    pypdf's text: tables are a refinement."""
    found: dict[int, str] = {}
    if not pages:
        return found
    try:
        with pdfplumber.open(path, password="", pages=[n + 1 for n in pages]) as pdf:
            for n, page in zip(pages, pdf.pages, strict=True):
                tables = page.find_tables()
                if tables:
                    found[n] = _text_around_tables(page, tables, pitch)
    except Exception:  # pdfminer raises many types on damaged files; pypdf's reading stands
        return found
    return found


def _text_around_tables(page: PlumbedPage, tables: list[PlumbedTable], pitch: int) -> str:
    boxes = [table.bbox for table in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    lines: list[tuple[float, str, int]] = [
        (line["top"], line["text"], -1) for line in page.filter(outside).extract_text_lines()
    ]
    for number, table in enumerate(tables):
        for row, cells in zip(table.rows, table.extract(), strict=False):
            text = "\t".join(" ".join((cell or "").split()) for cell in cells)
            if text.strip():
                lines.append((row.bbox[1], text, number))
    lines.sort(key=lambda line: line[0])
    out: list[str] = []
    for (above, _, was_in), (top, text, now_in) in pairwise([(0.0, "", -2), *lines]):
        if out and (now_in != was_in or (now_in < 0 and _paragraph_gap(top - above, pitch))):
            out.append("")  # a table stands apart from the text around it; a paragraph gap stays a gap
        out.append(text)
    return "\n".join(out)


def _has_images(page: PageObject) -> bool:
    try:
        return len(page.images) > 0
    except Exception:  # an image pypdf cannot list is still an image for OCR to try
        return True


_Placed = list[tuple[float, str]]


def _page_readings(page: PageObject) -> tuple[str, str, _Placed]:
    """Three readings of a page: pypdf's plain text, its layout text, and the plain text's lines with the
    height on the page each is set at."""
    placed = _PlacedLines()
    plain = page.extract_text(visitor_text=placed.visit) or ""
    try:
        layout = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode is a refinement: the plain text stands without it
        layout = ""
    return plain, layout, placed.lines()


class _PlacedLines:
    """Collects the plain reading's lines and the height of each line's first text, as pypdf reads them."""

    def __init__(self) -> None:
        self._lines: list[tuple[float | None, str]] = []
        self._parts: list[str] = []
        self._y: float | None = None

    def visit(self, text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        for n, piece in enumerate(text.split("\n")):
            if n:
                self._lines.append((self._y, "".join(self._parts)))
                self._parts, self._y = [], None
            if piece.strip() and self._y is None:
                self._y = mult(tm, cm)[5]
            self._parts.append(piece)

    def lines(self) -> _Placed:
        every = [*self._lines, (self._y, "".join(self._parts))]
        return [(y, line) for y, line in every if y is not None and line.strip()]


def _steps(placed: _Placed) -> list[int]:
    return [round(above - below) for (above, _), (below, _) in pairwise(placed)]


def _line_pitch(placed: _Placed) -> int:
    """A paper's line pitch: the smallest step down between lines that recurs (one line spacing serves a
    whole paper; a paragraph gap is a larger step)."""
    steps = _steps(placed)
    recurring = sorted(step for step in set(steps) if step > 0 and steps.count(step) > 2)
    return recurring[0] if recurring else min((step for step in steps if step > 0), default=0)


def _paragraph_gap(step: float, pitch: int) -> bool:
    """Whether a step down the page between two lines is a paragraph gap: well over the paper's line pitch."""
    return bool(pitch) and step > 1.4 * pitch


def _with_gaps(placed: _Placed, pitch: int) -> list[str]:
    """The lines, with a blank one wherever the step down from the line above is well over the pitch, or the
    reading jumps up the page (a new column)."""
    out = [placed[0][1]] if placed else []
    for step, (_, line) in zip(_steps(placed), placed[1:], strict=False):
        if pitch and (_paragraph_gap(step, pitch) or step < 0):
            out.append("")
        out.append(line)
    return out


def _with_paragraphs(plain: str, layout: str, positioned: list[str] | None = None) -> str:
    """The plain text with a blank line wherever a reading of the page's layout shows a gap between lines.

    pypdf's plain text runs every line together, so paragraphs and headings standing alone (which the
    parsers cut on) are lost. Its layout text keeps the gaps, but pads lines with spaces and sets columns
    side by side; it only lends its gaps, and only when its lines are the plain text's lines in order:
    as they are, column by column, or else the plain lines themselves spaced by where they are set on the
    page (positioned), for a page whose layout reading gives nothing (an OCR text layer).
    """
    lines = [line for line in plain.splitlines() if line.strip()]
    for reading in (layout.splitlines(), _column_by_column(layout.splitlines()), positioned or []):
        out: list[str] = []
        gap = False
        n = 0
        for line in reading:
            if not line.strip():
                gap = True
                continue
            if n >= len(lines) or _squeezed(line) != _squeezed(lines[n]):
                break  # another reading order (columns, tables)
            if gap and out:
                out.append("")
            out.append(lines[n])
            gap = False
            n += 1
        else:
            if n == len(lines):
                return "\n".join(out)
    return plain  # no reading of the layout follows the plain text's lines: keep pypdf's own


def _column_by_column(layout: list[str]) -> list[str]:
    """A two-column page's layout lines read column by column: cut at the gutter, the column of spaces
    nearest the middle that (nearly) every line has, and the right column's lines put after the left's;
    lines across the gutter above and below the columns (a running header, a page number) stay where they
    are. The lines as they are when there is no such gutter."""
    width = max((len(line) for line in layout), default=0)
    texts = [line for line in layout if line.strip()][1:-1]  # the first and last may run across: header, footer
    if width < 40 or len(texts) < 4:
        return layout

    def open_at(column: int) -> int:
        return sum(1 for line in texts if not line[column - 1 : column + 2].strip())

    middle = range(int(width * 0.3), int(width * 0.7))
    gutter = max(middle, key=lambda c: (open_at(c), -abs(c - width // 2)))
    right_used = sum(1 for line in texts if line[gutter:].strip())
    if open_at(gutter) < 0.9 * len(texts) or right_used < 0.3 * len(texts):
        return layout

    def across(line: str) -> bool:
        return not line.strip() or bool(line[gutter - 1 : gutter + 2].strip())

    top = next((n for n, line in enumerate(layout) if not across(line)), len(layout))
    bottom = next((n for n in range(len(layout), top, -1) if not across(layout[n - 1])), top)
    columns = layout[top:bottom]
    left = [line[:gutter].rstrip() for line in columns]
    right = [line[gutter:].strip() for line in columns]
    return [*layout[:top], *left, "", *right, *layout[bottom:]]


def _squeezed(line: str) -> str:
    return "".join(line.split())


_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "tr",
    "table",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "dt",
    "dd",
    "caption",
    "blockquote",
    "pre",
}
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_HEADING_STYLE = re.compile(r"^Heading ([1-6])$")
_DROP_TAGS = ["script", "style", "nav", "header", "footer", "noscript", "form", "button", "svg", "head"]
_LINK_RESIDUE = re.compile(
    r"\s*pdf icon\s*PDF\s*[\d.,]+\s*[KM]B|\s*View directions|\s*View the background to item \d+\.?", re.I
)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block per paragraph, without navigation or link residue."""
    tree = HTMLParser(html)
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for node in tree.css("[class*=breadcrumb], [class*=skip], [role=navigation], [aria-hidden=true]"):
        node.decompose()
    root = tree.body or tree.root
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        # Table cells stay tab-separated, as in text and PDF papers, so a table's rows are found alike.
        line = re.sub(r" *\t[\s]*", "\t", re.sub(r"[^\S\t]+", " ", "".join(current))).strip()
        line = _LINK_RESIDUE.sub("", line).strip()
        if line.strip("# "):  # not an empty heading's marks alone
            blocks.append(line)
        current.clear()

    def walk(node: Node) -> None:
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                current.append(child.text(deep=False))
            elif child.tag in _HEADINGS:
                # Marked as in markdown ("## Funding"), so a page's unnumbered headings still head sections.
                flush()
                current.append("#" * _HEADINGS[child.tag] + " ")
                walk(child)
                flush()
            elif child.tag in _BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            elif child.tag in ("td", "th"):
                current.append(" ")
                walk(child)
                current.append("\t")
            else:
                walk(child)

    if root is not None:
        walk(root)
    flush()
    return "\n\n".join(blocks) + "\n"
