"""Render text papers as the PDFs councils publish, to measure how ingestion reads them (not a test).

    python benchmarks/render_pdf.py ../shared/corpus/kcsp pdf-out/justified --style justified

Styles: "justified" (one column, justified text, a running header with the paper's title and "Page N of M"
at the foot of every page) and "two-column" (the same in two columns). With the DejaVu fonts (Debian's
fonts-dejavu-core) text beyond Latin-1 is kept; without them it is Helvetica, and such characters become "?".
Tabs become spaces (table cells run together, as in many exported PDFs). Each FILE.txt or FILE.md becomes
FILE.pdf.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fpdf import FPDF

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
    paragraphs = [p.replace("\t", "    ").strip() for p in text.split("\n\n") if p.strip()]
    if style == "two-column":
        with pdf.text_columns(text_align="J", ncols=2, gutter=6) as columns:
            for paragraph in paragraphs:
                columns.write(paragraph + "\n\n")
        return pdf
    for paragraph in paragraphs:
        pdf.multi_cell(0, 5, paragraph, align="J")
        pdf.ln(3)
    return pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--style", choices=["justified", "two-column"], default="justified")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted(args.source.iterdir()):
        if path.suffix not in (".txt", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        title = next((line.strip(" #*") for line in text.splitlines() if line.strip()), path.stem)[:90]
        render(text, title, args.style).output(str(args.out / f"{path.stem}.pdf"))
        print(f"{path.name} -> {args.out / (path.stem + '.pdf')}")


if __name__ == "__main__":
    main()
