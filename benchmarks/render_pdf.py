"""Render text papers as the PDFs councils publish, to measure how ingestion reads them (not a test).

    python benchmarks/render_pdf.py ../shared/corpus/kcsp pdf-out/justified --style justified

Styles: "justified" (one column, justified text, a running header with the paper's title and "Page N of M"
at the foot of every page), "two-column" (the same in two columns), "scanned" (typed pages as a scanner
gives them: greyscale images at 200 dpi, a little skewed and speckled, with no text layer) and "word" (a
.docx built with python-docx, markdown headings as Word headings, tab-separated lines as a Word table, the
title in the page header and the page number in the footer, exported to PDF by LibreOffice: `soffice`,
Debian's libreoffice-writer-nogui). With the DejaVu
fonts (Debian's fonts-dejavu-core) text beyond Latin-1 is kept; without them it is Helvetica, and such
characters become "?".
Lines of tab-separated cells become ruled tables, as a word processor exports them (cells wrapped, a tall
row breaking across pages); in two columns their tabs become spaces (cells run together, as in many
exported PDFs). Each FILE.txt or FILE.md becomes FILE.pdf.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import tempfile
import textwrap
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


class _Paper(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_line = title
        if FONT.exists():
            self.add_font("DejaVu", "", str(FONT))
        self.family_name = "DejaVu" if FONT.exists() else "Helvetica"  # Helvetica: Latin-1 text only
        self.set_font(self.family_name, size=10)
        self.set_auto_page_break(True, margin=20)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_font(self.family_name, size=8)
        self.cell(0, 6, self.title_line, align="C")
        self.ln(10)
        self.set_font(self.family_name, size=10)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.family_name, size=8)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_font(self.family_name, size=10)


def render(text: str, title: str, style: str) -> FPDF:
    pdf = _Paper(title)
    if pdf.family_name == "Helvetica":
        text = text.encode("latin-1", "replace").decode("latin-1")
        pdf.title_line = title.encode("latin-1", "replace").decode("latin-1")
    pdf.add_page()
    if style == "two-column":
        paragraphs = [p.replace("\t", "    ").strip() for p in text.split("\n\n") if p.strip()]
        with pdf.text_columns(text_align="J", ncols=2, gutter=6) as columns:
            for paragraph in paragraphs:
                columns.write(paragraph + "\n\n")
        return pdf
    for paragraph in (p.strip("\n") for p in text.split("\n\n") if p.strip()):
        lines = paragraph.splitlines()
        rows = [line.split("\t") for line in lines if "\t" in line]
        if not rows:
            pdf.multi_cell(0, 5, paragraph.strip(), align="J")
            pdf.ln(3)
            continue
        for line in lines:  # a table as a word processor exports it: ruled cells, text wrapped in each
            if "\t" not in line:
                pdf.multi_cell(0, 5, line.strip(), align="J")
                continue
            _table_row(pdf, line.split("\t"), max(len(row) for row in rows))
        pdf.ln(3)
    return pdf


_ROW_LINES = 40  # a taller row breaks across pages, as Word lets a row break: the rest goes on in a row below


def _table_row(pdf: FPDF, cells: list[str], columns: int) -> None:
    cells = [" ".join(cell.split()) for cell in cells] + [""] * (columns - len(cells))
    width = pdf.epw / columns
    wrapped: list[list[str]] = [pdf.multi_cell(width, 4, cell, dry_run=True, output="LINES") for cell in cells]  # type: ignore[misc]
    for start in range(0, max(len(lines) for lines in wrapped), _ROW_LINES):
        parts = ["\n".join(lines[start : start + _ROW_LINES]) for lines in wrapped]
        height = 4 * max(max(1, part.count("\n") + 1) for part in parts)
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y()
        for n, part in enumerate(parts):
            pdf.set_xy(pdf.l_margin + n * width, top)
            pdf.multi_cell(width, 4, part, border=1, align="L", max_line_height=4, new_x="RIGHT", new_y="TOP")
            pdf.rect(pdf.l_margin + n * width, top, width, height)
        pdf.set_xy(pdf.l_margin, top + height)


SCAN_DPI = 200
_A4 = (round(8.27 * SCAN_DPI), round(11.69 * SCAN_DPI))


def render_scanned(text: str, title: str, out: Path, seed: int = 0) -> None:
    """The text typed on A4 pages and scanned: one greyscale image per page, turned a fraction of a degree
    and speckled, saved as an image-only PDF (no text to extract: only OCR reads it)."""
    size = SCAN_DPI * 10 // 72  # 10 pt
    font = ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default(size)
    small = ImageFont.truetype(str(FONT), size * 4 // 5) if FONT.exists() else ImageFont.load_default(size * 4 // 5)
    margin, line_height = SCAN_DPI, size * 3 // 2
    width = _A4[0] - 2 * margin
    per_line = max(20, int(width / font.getlength("abcdefghijklmnopqrstuvwxyz ") * 27))
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        for line in paragraph.strip("\n").splitlines():
            lines.extend(textwrap.wrap(line.replace("\t", "    "), per_line) or [""])
        lines.append("")
    per_page = (_A4[1] - 3 * margin) // line_height
    pages = [lines[n : n + per_page] for n in range(0, len(lines), per_page)]
    noise = random.Random(seed)
    images: list[Image.Image] = []
    for number, page_lines in enumerate(pages, 1):
        page = Image.new("L", _A4, 255)
        draw = ImageDraw.Draw(page)
        draw.text((_A4[0] // 2, margin // 2), title, font=small, fill=0, anchor="mt")
        for n, line in enumerate(page_lines):
            draw.text((margin, margin + n * line_height), line, font=font, fill=20)
        footer = f"Page {number} of {len(pages)}"
        draw.text((_A4[0] // 2, _A4[1] - margin // 2), footer, font=small, fill=0, anchor="mb")
        for _ in range(400):  # dust
            x, y = noise.randrange(_A4[0]), noise.randrange(_A4[1])
            draw.point((x, y), fill=noise.randrange(0, 160))
        images.append(page.rotate(noise.uniform(-0.4, 0.4), fillcolor=255, resample=Image.Resampling.BILINEAR))
    images[0].save(out, save_all=True, append_images=images[1:], resolution=SCAN_DPI)


def render_word(text: str, title: str, out: Path) -> None:
    """The text as a Word document exported to PDF by LibreOffice (headless)."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = title
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    for paragraph in (p.strip("\n") for p in text.split("\n\n") if p.strip()):
        rows = [line.split("\t") for line in paragraph.splitlines() if "\t" in line]
        if rows:
            columns = max(len(row) for row in rows)
            table = document.add_table(rows=0, cols=columns)
            table.style = "Table Grid"
            for row in rows:
                cells = table.add_row().cells
                for n, cell in enumerate(row):
                    cells[n].text = " ".join(cell.split())
            for line in paragraph.splitlines():
                if "\t" not in line and line.strip():
                    document.add_paragraph(line.strip())
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", paragraph)
        if heading and "\n" not in paragraph:
            document.add_heading(heading.group(2).strip(" *"), level=min(len(heading.group(1)), 4))
            continue
        for line in paragraph.splitlines():  # each line of the text a paragraph of its own, as typed in Word
            if line.strip():
                added = document.add_paragraph(line.strip().replace("**", ""))
                added.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"{out.stem}.docx"
        document.save(str(source))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out.parent), str(source)],
            check=True,
            capture_output=True,
            timeout=600,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--style", choices=["justified", "two-column", "scanned", "word"], default="justified")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted(args.source.iterdir()):
        if path.suffix not in (".txt", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        title = next((line.strip(" #*") for line in text.splitlines() if line.strip()), path.stem)[:90]
        if args.style == "scanned":
            render_scanned(text, title, args.out / f"{path.stem}.pdf")
        elif args.style == "word":
            render_word(text, title, args.out / f"{path.stem}.pdf")
        else:
            render(text, title, args.style).output(str(args.out / f"{path.stem}.pdf"))
        print(f"{path.name} -> {args.out / (path.stem + '.pdf')}")


if __name__ == "__main__":
    main()
