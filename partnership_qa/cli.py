"""The command line: a thin door onto the same functions the HTTP API calls."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from partnership_qa.quiet import quiet_libraries
from partnership_qa.settings import Settings

app = typer.Typer(
    help="Answers questions about partnership papers, citing the exact minute or section.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

RoleOption = Annotated[str, typer.Option("--role", help="public or member (members see restricted items).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def printable(name: str) -> str:
    """A file name as one line: one with a line break or other control character is shown quoted, escaped."""
    return name if name.isprintable() else ascii(name)


def coverage_line(coverage: dict[str, float]) -> str:
    """What the ingest says of its coverage: one line when every document's text is all in passages or
    furniture, and each document that is not, with its share, otherwise."""
    short = sorted((share, source) for source, share in coverage.items() if share < 1.0)
    if not short:
        return f"coverage: 100 % of each of the {len(coverage)} documents' text is in a passage or is page furniture"
    lines = [f"coverage: {len(short)} of {len(coverage)} documents have text in no passage (please report this):"]
    lines += [f"  {printable(source)}: {share:.1%}" for share, source in short]
    return "\n".join(lines)


@app.callback()
def _options(
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Show the libraries' own progress bars and warnings too.")
    ] = False,
) -> None:
    if verbose:
        os.environ["PQA_VERBOSE"] = "1"
    quiet_libraries()


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", soft_wrap=True)
    return typer.Exit(code)


def _role(value: str) -> str:
    if value not in ("public", "member"):
        raise _fail(f"--role must be public or member, not {value!r}")
    return value


def _progress() -> Progress:
    """A progress bar on stderr, so stdout keeps only the figures."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err)


def _print_json(data: Any) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False))


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")]) -> None:
    """Parse papers into citable units and index them; unchanged files are skipped."""
    from index.build import discover, ingest_paths
    from index.store import StoreUnavailable

    settings = Settings()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise _fail(f"not found: {', '.join(missing)}. Give existing files or folders.")
    total = sum(1 for _ in discover(paths))
    with _progress() as progress:
        task = progress.add_task("ingesting", total=total)

        def advance(path: Path) -> None:
            progress.update(task, advance=1, description=f"ingesting {path.name[:40]}")

        try:
            summary = ingest_paths(paths, settings, on_file=advance)
        except StoreUnavailable as exc:
            progress.stop()
            raise _fail(str(exc)) from None
    if summary.rebuilt:
        console.print("[yellow]The index was built with other settings (model, parser or chunking): rebuilt.[/yellow]")
    table = Table(title=f"Ingest into {settings.home}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in [
        ("documents ingested", summary.documents),
        ("documents unchanged", summary.unchanged),
        ("meetings", len(summary.meetings)),
        ("units", summary.units),
        ("passages", summary.passages),
        ("passages embedded", summary.embedded),
        ("failed files", len(summary.failed)),
    ]:
        table.add_row(label, str(value))
    console.print(table)
    console.print(coverage_line(summary.coverage), soft_wrap=True, markup=False)
    for source, pages in sorted(summary.ocr_pages.items()):
        console.print(f"read by OCR: {printable(source)} ({pages} scanned pages)", soft_wrap=True, markup=False)
    if summary.failed:
        console.print("[red]Failed files[/red] (skipped; everything else was ingested):")
        for path, reason in summary.failed:
            console.print(f"  {printable(path)}: {reason}", soft_wrap=True, markup=False)
        raise typer.Exit(1)


@app.command()
def meetings(as_json: JsonOption = False, role: RoleOption = "public") -> None:
    """Meetings with their items (minute number, agenda item, title, restricted)."""
    from index.catalog import Catalog
    from index.meetings import list_meetings

    settings = Settings()
    path = settings.home / "catalog.sqlite3"
    if not path.exists():
        raise _fail(f"no index at {settings.home}: run `partnership-qa ingest PATH` first")
    found = list_meetings(Catalog(path), _role(role))  # type: ignore[arg-type]
    if as_json:
        _print_json([m.model_dump() for m in found])
        return
    for meeting in found:
        table = Table(title=f"{meeting.body or 'Meeting'} – {meeting.meeting_date}")
        for column in ("minute", "item", "title", "restricted", "source"):
            table.add_column(column)
        for item in meeting.items:
            table.add_row(
                item.minute_number or "",
                item.agenda_item or "",
                item.title,
                "yes" if item.restricted else "",
                item.source,
            )
        console.print(table)


@app.command()
def decisions(
    body: Annotated[str | None, typer.Option(help="Words of the body's name.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Meetings on or after YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Meetings on or before YYYY-MM-DD.")] = None,
    kind: Annotated[str | None, typer.Option(help="noted, agreed, approved, minutes approved, ...")] = None,
    text: Annotated[str | None, typer.Option(help="Words the decision or its item's title holds.")] = None,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    role: RoleOption = "public",
) -> None:
    """The decision register: every decision in meeting order, with its minute, kind, mover, vote and actions."""
    from typing import get_args

    from pydantic import ValidationError

    from index.catalog import Catalog
    from index.register import RegisterFilters, read_register, register_csv
    from ingest.register import DecisionKind

    settings = Settings()
    path = settings.home / "catalog.sqlite3"
    if not path.exists():
        raise _fail(f"no index at {settings.home}: run `partnership-qa ingest PATH` first")
    try:
        filters = RegisterFilters(body=body, date_from=date_from, date_to=date_to, kind=kind, text=text)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise _fail(f"{problems}. Dates are YYYY-MM-DD; kinds are {', '.join(get_args(DecisionKind))}.") from None
    register = read_register(Catalog(path), _role(role), filters)  # type: ignore[arg-type]
    if as_csv:
        print(register_csv(register), end="")
        return
    if as_json:
        _print_json(register.model_dump())
        return
    table = Table(title=f"Decisions ({len(register.decisions)})")
    for column in ("date", "minute", "item", "kind", "decision", "minutes"):
        short = column in ("date", "minute", "minutes")
        table.add_column(column, no_wrap=short, ratio=2 if column == "decision" else 1)
    for e in register.decisions:
        table.add_row(
            e.meeting_date or "undated",
            e.minute_number or "",
            e.item_title,
            e.kind,
            " ".join(e.wording.split()),
            e.minutes_status or "",
        )
    console.print(table)
    if register.withheld:
        console.print(f"{register.withheld} restricted decision(s) withheld: members see them with --role member.")


@app.command()
def inspect(file: Path, as_json: JsonOption = False) -> None:
    """How one file parses, unit by unit (nothing is stored)."""
    from ingest.errors import IngestError
    from ingest.pipeline import parse_file

    try:
        document = parse_file(file)
    except (IngestError, OSError) as exc:
        raise _fail(f"{file}: {exc}", 1) from exc
    units = [
        u.model_dump(exclude={"decisions"})
        | {"decisions": len(u.decisions), "passages": sum(1 for p in document.passages if u.start <= p.start < u.end)}
        for u in document.units
    ]
    furniture = [{"start": s, "end": e, "text": document.text[s:e]} for s, e in document.furniture]
    if as_json:
        _print_json(
            {
                "source": document.source,
                "units": units,
                "passages": len(document.passages),
                "coverage": document.coverage,
                "furniture": furniture,
                "ocr_pages": document.extracted.ocr_pages,
            }
        )
        return
    # Narrow enough for an 80-column terminal: short headings, light borders, only the title wraps.
    table = Table(
        title=f"{document.source}: {len(document.units)} units, {len(document.passages)} passages",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption="R: restricted · dec: decisions · psg: passages",
    )
    for column in ("kind", "date", "minute", "item", "title", "R", "dec", "psg"):
        table.add_column(column, no_wrap=column != "title", overflow="fold")
    for u in units:
        table.add_row(
            u["kind"].replace("_", " "),
            u["meeting_date"] or "",
            u["minute_number"] or "",
            u["agenda_item"] or "",
            u["title"][:70],
            "R" if u["restricted"] else "",
            str(u["decisions"]),
            str(u["passages"]),
        )
    console.print(table)
    console.print(f"coverage: {document.coverage:.1%} of the non-blank text is in a passage or is page furniture")
    if document.extracted.ocr_pages:
        pages = ", ".join(str(page) for page in document.extracted.ocr_pages)
        console.print(f"read by OCR (scanned pages): {pages}", soft_wrap=True)
    if furniture:
        console.print(f"page furniture ({len(furniture)}, in no passage):")
        for f in furniture:
            console.print(f"  {f['start']}-{f['end']}: {printable(str(f['text']))[:100]}", markup=False)


@app.command()
def search(
    query: str,
    as_json: JsonOption = False,
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many passages.")] = 5,
    meeting_date: Annotated[str | None, typer.Option("--meeting-date", help="YYYY-MM-DD")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Ingested file name.")] = None,
    role: RoleOption = "public",
) -> None:
    """Ranked passages for a query, with metadata, span and score."""
    from pydantic import ValidationError

    from index.embedder import Embedder
    from index.filters import SearchFilters
    from index.store import IndexNotFound, StoreUnavailable, open_for_reading

    settings = Settings()
    try:
        filters = SearchFilters(meeting_date=meeting_date, source=source)
    except ValidationError as exc:
        raise _fail(f"--meeting-date must look like 2024-03-14 ({exc.errors()[0]['msg']})") from exc
    asked = {"q": query, "k": k} | filters.model_dump(include={"meeting_date", "source"}, exclude_none=True)
    rows = _from_server(settings, _role(role), "GET", "/search", params=asked)
    if rows is None:
        try:
            index = open_for_reading(settings)
        except (IndexNotFound, StoreUnavailable) as exc:
            raise _fail(str(exc)) from None
        hits = index.search(query, Embedder.from_settings(settings), filters, _role(role), k)  # type: ignore[arg-type]
        rows = [h.passage.model_dump() | {"score": round(h.score, 5), "dense": round(h.dense, 4)} for h in hits]
    if as_json:
        _print_json(rows)
        return
    for n, row in enumerate(rows, 1):
        where = " · ".join(
            str(x)
            for x in (
                row["source"],
                row["meeting_date"],
                row["minute_number"] and f"minute {row['minute_number']}",
                row["title"],
            )
            if x
        )
        console.print(f"[bold]{n}.[/bold] {where} [dim]span {row['start']}-{row['end']} score {row['score']}[/dim]")
        console.print(f"   {' '.join(row['text'].split())[:300]}")


def _answerer(settings: Settings) -> Any:
    from index.embedder import Embedder
    from index.store import IndexNotFound, StoreUnavailable, open_for_reading
    from qa.answer import Answerer

    try:
        index = open_for_reading(settings)
    except (IndexNotFound, StoreUnavailable) as exc:
        raise _fail(str(exc)) from None
    return Answerer(settings, index, Embedder.from_settings(settings))


def _served(settings: Settings, question: str, role: str) -> Any:
    """The answer of a server already running over this home, or None (see _from_server)."""
    from qa.models import Answer

    reply = _from_server(settings, role, "POST", "/ask", json={"question": question[:2000]})
    return Answer.model_validate(reply) if reply is not None else None


def _from_server(settings: Settings, role: str, method: str, path: str, **request: Any) -> Any:
    """A running server's JSON reply over this same home (it answers at once; loading the model here takes
    seconds), or None when there is none, it serves another home, or the caller is a member (the server
    would need a member's key)."""
    import httpx

    from index.catalog import Catalog

    catalog_path = settings.home / "catalog.sqlite3"
    if role != "public" or not settings.server_url or not catalog_path.exists():
        return None
    url = settings.server_url.rstrip("/")
    try:
        health = httpx.get(f"{url}/health", timeout=0.5)
        if health.status_code != 200 or health.json().get("home") != Catalog(catalog_path).home_id():
            return None
        reply = httpx.request(method, f"{url}{path}", timeout=60, **request)
        if reply.status_code != 200:
            return None
        body = reply.json()
    except (httpx.HTTPError, ValueError):
        return None
    err.print(f"[dim](answered by the server at {url})[/dim]")
    return body


def _check_index(settings: Settings) -> None:
    """Open the index and close it again (a server must hold the only embedded Chroma client of its process:
    it reopens that client to read what an ingest beside it wrote)."""
    from index.store import IndexNotFound, StoreUnavailable, open_for_reading

    try:
        open_for_reading(settings).close()
    except (IndexNotFound, StoreUnavailable) as exc:
        raise _fail(str(exc)) from None


def _print_answer(answer: Any) -> None:
    style = "" if answer.answered else "[yellow]"
    console.print(f"{style}{answer.answer}", markup=bool(style), highlight=False)
    for c in answer.citations:
        where = " · ".join(
            x
            for x in (
                c.meeting_date,
                c.minute_number and f"minute {c.minute_number}",
                c.agenda_item and f"item {c.agenda_item}",
                c.page and f"page {c.page}",
            )
            if x
        )
        console.print(f"  {c.marker} {c.source} – {c.title} ({where or c.document_title})", markup=False)


@app.command()
def ask(question: str, as_json: JsonOption = False, role: RoleOption = "public") -> None:
    """Answer one question with citations (the same JSON as POST /ask); a public question goes to a server
    already running over the same home when there is one (PQA_SERVER_URL), which answers at once."""
    settings = Settings()
    answer = _served(settings, question, _role(role)) or _answerer(settings).ask(question, _role(role))
    if as_json:
        _print_json(answer.model_dump(mode="json"))
    else:
        _print_answer(answer)


@app.command()
def chat(role: RoleOption = "public") -> None:
    """A conversation in the terminal; follow-up questions keep the topic. Ctrl-D ends it."""
    answerer = _answerer(Settings())
    console.print(
        "Ask about the papers, e.g. [italic]What was resolved at the last meeting?[/italic] A follow-up such as "
        "[italic]Who presented it?[/italic] keeps the subject; [bold]new[/bold] starts a new conversation; "
        "Ctrl-D ends."
    )
    conversation: str | None = None
    while True:
        try:
            question = console.input("[bold]question> [/bold]").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if question.lower() == "new":
            conversation = None
            console.print("New conversation: the next question starts afresh.")
        elif question:
            answer = answerer.ask(question[:2000], _role(role), conversation_id=conversation)
            conversation = answer.conversation_id
            _print_answer(answer)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the HTTP API and the chat page."""
    import uvicorn

    settings = Settings()
    settings.roles_by_key()  # a malformed PQA_API_KEYS stops the server here, not at the first request
    _check_index(settings)  # fail fast with a clear message when there is no index or no store
    if not _port_free(host, port):
        raise _fail(
            f"port {port} on {host} is in use (another server?): stop it, or choose another port, e.g. "
            f"`make run PORT={port + 1}` or `partnership-qa serve --port {port + 1}`"
        )
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.WARNING)
    logging.getLogger("partnership_qa.access").setLevel(logging.INFO)  # one line a request
    console.print(f"Serving on http://{host}:{port} (API docs at /docs)")
    uvicorn.run("api.app:app", host=host, port=port, log_level="warning", access_log=False)


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a closing socket is no bar
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


@app.command("eval")
def evaluate(
    dataset: Path,
    out: Annotated[Path, typer.Option("--out", help="Folder for report.json, report.md and by_kind.png.")] = Path(
        "eval-out"
    ),
    compare_to: Annotated[Path | None, typer.Option("--compare", help="An older report.json to diff against.")] = None,
) -> None:
    """Run an evaluation set through the answering code and report citation accuracy."""
    from evals.runner import compare, load_dataset, report, run, write_outputs

    if not dataset.is_file():
        raise _fail(f"{dataset} not found: give a JSONL file in the format of evals/README.md")
    try:
        rows = load_dataset(dataset)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    answerer = _answerer(Settings())
    with _progress() as progress:
        task = progress.add_task("answering", total=len(rows))
        results = run(rows, answerer, on_row=lambda: progress.advance(task))
    data = report(results, answerer)
    write_outputs(data, out)
    for key, value in data["metrics"].items():
        console.print(f"{key}: {value}")
    for half, figures in data["by_split"].items():
        shown = ", ".join(
            f"{k} {figures[k]}" for k in ("questions", "hit_at_3", "precision", "fact_recall", "abstention")
        )
        console.print(f"{half} half: {shown}")
    console.print(f"wrote {out}/report.json, report.md, by_kind.png")
    if compare_to:
        for line in compare(data, compare_to):
            console.print(line)


@app.command("eval-qmsum")
def evaluate_qmsum(
    folder: Path,
    out: Annotated[Path, typer.Option("--out", help="Where to write the predictions (JSONL).")] = Path(
        "eval-out/qmsum-predictions.jsonl"
    ),
    k: Annotated[int, typer.Option("--k", min=1, max=10, help="Citations scored per query.")] = 3,
) -> None:
    """Run the QMSum committee-meeting benchmark (its own throwaway index) and print the referee's figures."""
    from evals.qmsum import check_folder, run_benchmark, steps

    try:
        check_folder(folder)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from exc
    with _progress() as progress:
        task = progress.add_task("ingesting", total=steps(folder))
        figures = run_benchmark(folder, out, k, on_step=lambda what: progress.update(task, advance=1, description=what))
    for key, value in figures.items():
        console.print(f"{key}: {value}")
    console.print(f"wrote {out}")


def main() -> None:
    """The console script: the commands, with a store that goes away mid-command told in one line."""
    from index.errors import StoreUnavailable  # not index.store: that loads the model's libraries

    try:
        app()
    except StoreUnavailable as exc:
        err.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
