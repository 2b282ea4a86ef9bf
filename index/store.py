"""The passage index: dense vectors in Chroma (llama-index ChromaVectorStore), BM25 beside it, and the
catalog, which holds each passage's text and fields.

Documents are switched atomically: new passages are added, the catalog row is replaced in one
transaction, then the old passages are removed. Searches keep only passages of the catalog's current
version of each document, so a reader never sees half of one version and half of another.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import bm25s
import chromadb
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN
from chromadb.api.types import GetResult, Include
from chromadb.errors import ChromaError
from llama_index.core.schema import TextNode
from llama_index.vector_stores.chroma import ChromaVectorStore

from index.acronyms import defined_acronyms, with_acronyms
from index.catalog import Catalog
from index.embedder import MAX_TOKENS, MODEL_NAME, Embedder
from index.errors import IndexNotFound, StoreUnavailable
from index.filters import Role, SearchFilters, date_number
from index.search_text import SEARCH_TEXT_VERSION, dense_text, search_text
from ingest.models import Document, Passage, document_key
from ingest.passages import CHUNKING_VERSION, MAX_PASSAGE_CHARS
from ingest.pipeline import PARSER_VERSION
from partnership_qa.settings import Settings

# BM25 sees every word twice: as written and as its stem. "chairs" finds "Chair" through the stem, while
# "meet" still matches "shall meet" more strongly than the "meetings" it shares a stem with.
log = logging.getLogger(__name__)
STEMMER = Stemmer.Stemmer("english")
KEYWORDS = "bm25-words-stems-acronyms-initialisms-5"
_TOKEN = re.compile(r"\w\w+")
# "U.K.", "E.U.", "p.m.": letters with stops between them are one word ("uk"), as a question writes it.
_INITIALISM = re.compile(r"(?<![\w.])[a-z](?:\.[a-z])+\b\.?")
_ALPHANUMERIC = re.compile(r"[a-z0-9]+")
# A span of years as the papers write it: 2024/25, 2024/2025, 2024-25, 2019 – 2022.
_YEARS = re.compile(r"\b((?:19|20)\d\d)\s*[/\u2013-]\s*((?:19|20)?\d\d)\b")


def _year_spans(text: str) -> list[str]:
    """One token per span of years, the same however it is written ("2024/2025" and "2024/25": y2024_25)."""
    return [f"y{start}_{end[-2:]}" for start, end in _YEARS.findall(text)]


# Words that frame a question rather than name its subject. The papers seldom use "what" or "did", so as
# BM25 words they would be rare and weigh heavily: "What is the KCSP?" found a minute saying "into what
# work had been done". Left out of questions only; passages keep them.
QUESTION_WORDS = frozenset(
    "what who whom whose when where which why how did do does done had has have were been being can could "
    "would should shall may might must about please tell me my our we you your".split()
)
_PASSAGE_STOPWORDS = frozenset(STOPWORDS_EN)
_QUESTION_STOPWORDS = _PASSAGE_STOPWORDS | QUESTION_WORDS


def keyword_text(text: str, question: bool = False) -> str:
    dropped = _QUESTION_STOPWORDS if question else _PASSAGE_STOPWORDS
    joined = _INITIALISM.sub(lambda m: m.group().replace(".", "") + " ", text.lower())
    words = [w for w in _TOKEN.findall(joined) if w not in dropped]
    return " ".join(words + [f"s_{w}" for w in STEMMER.stemWords(words)] + _year_spans(text))


def fold(text: str) -> str:
    """Words only, lower case, "&" as "and": "Task & Finish Group" and "task and finish group" are one."""
    return " ".join(_ALPHANUMERIC.findall(text.lower().replace("&", " and ")))


# What Chroma holds of a passage: its id and vector, nothing else (the text and fields are in the catalog).
# Every metadata key costs Chroma a row in its own indexes: an ingest of 100 synthetic meetings took
# 5.4 s with no fields in Chroma against 6.1 s with the filter fields as keys and the rest as one JSON
# string (medians of four, alternated). Bump when it changes: the index is rebuilt.
STORAGE = "vectors-only-2"
READ_PAGE = 2000  # passages per Chroma read when loading the in-memory snapshot
# Embedded Chroma shares one System per folder among a process's clients, kept in class-level dicts that its
# open and close change without a lock: an index reopening its client while another in the same process (an
# ingest beside a server's reader) opens one could find the System gone (KeyError). Ours take turns.
_CHROMA_CLIENTS = threading.Lock()
WRITE_BATCH = 1000  # passages embedded and written to Chroma at a time, whatever the size of one document
# A word at least this share of the passages use names the papers' setting, not a question's subject.
COMMON_SHARE = 0.2


def _version(passage_id: str) -> str:
    """The document version a passage id belongs to (ids are "<version>:<start>-<end>")."""
    return passage_id.split(":")[0]


def index_identity() -> dict[str, str]:
    """What built the index; a change to any of these means a rebuild."""
    return {
        "embedding_model": MODEL_NAME,
        "max_tokens": str(MAX_TOKENS),
        "parser_version": PARSER_VERSION,
        "max_passage_chars": str(MAX_PASSAGE_CHARS),
        "chunking": CHUNKING_VERSION,
        "search_text": SEARCH_TEXT_VERSION,
        "keywords": KEYWORDS,
        "storage": STORAGE,
    }


def index_hash() -> str:
    return hashlib.sha256(json.dumps(index_identity(), sort_keys=True).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class ScoredPassage:
    passage: Passage
    score: float
    dense: float  # cosine similarity of question and passage
    keyword: float  # BM25 score (0 when the passage shares no query word)


_WORD = re.compile(r"[a-z0-9£]+")


def stem(word: str) -> str:
    """A cheap stem, good enough to tell whether the papers use a word at all: its first five letters."""
    return word.lower()[:5]


def word_keys(word: str) -> set[str]:
    """The forms under which a word counts as used: its first five letters, and its Snowball stem, so
    "meet" is used by papers saying "meets" and "funding" by papers saying "funded"."""
    word = word.lower()
    return {stem(word), "s:" + STEMMER.stemWord(word)}


class _Snapshot:
    """One generation of the index held in memory: passages, unit vectors and BM25.

    Chroma's query finds the dense candidates among the passages the filters allow, named by id; the
    snapshot supplies their texts and vectors without another round trip, and BM25 runs over the same rows
    with the same filters as a mask.
    """

    def __init__(
        self, passages: list[Passage], vectors: np.ndarray, generation: str, retriever: bm25s.BM25 | None = None
    ) -> None:
        self.passages = passages
        self.ids = [p.id for p in passages]
        self.vectors = vectors
        self.generation = generation
        self.position = {pid: n for n, pid in enumerate(self.ids)}
        self.texts = [search_text(p) for p in passages]
        self.columns = {
            "restricted": np.array([int(p.restricted) for p in passages]),
            "date_num": np.array([date_number(p.meeting_date) for p in passages]),
        } | {
            key: np.array([getattr(p, key) or "" for p in passages])
            for key in ("source", "minute_number", "agenda_item", "kind", "body")
        }
        # Acronyms defined in the public passages ("Domestic Homicide Review (DHR)"): a passage or a question
        # using the long form also gets the acronym as a word, so either form finds the other.
        self.acronyms = defined_acronyms(t for t, p in zip(self.texts, passages, strict=True) if not p.restricted)
        self.retriever = retriever or bm25s.BM25()
        if retriever is None and self.texts:
            tokens = bm25s.tokenize(
                [keyword_text(with_acronyms(t, self.acronyms)) for t in self.texts], stopwords=None, show_progress=False
            )
            self.retriever.index(tokens, show_progress=False)
        self._vocabulary: dict[Role, dict[str, float]] = {}
        self._dates: dict[Role, list[str]] = {}
        self._folded: dict[Role, str] = {}

    def passage(self, row: int) -> Passage:
        return self.passages[row]

    def readable(self, role: Role) -> list[str]:
        """The text of each passage the role may read, with its meeting body and document title: the words
        and names the papers use (restricted text counts for members only)."""
        return [
            f"{p.body or ''} | {p.document_title} | {t}"
            for t, p in zip(self.texts, self.passages, strict=True)
            if role == "member" or not p.restricted
        ]

    def vocabulary(self, role: Role) -> dict[str, float]:
        """Word keys (first five letters, Snowball stems) the role's passages use, each with the share of
        those passages that use it."""
        if role not in self._vocabulary:
            texts = self.readable(role)
            counts: Counter[str] = Counter()
            for text in texts:
                counts.update({key for w in set(_WORD.findall(text.lower())) for key in word_keys(w)})
            self._vocabulary[role] = {word: n / len(texts) for word, n in counts.items()}
        return self._vocabulary[role]

    def folded_text(self, role: Role) -> str:
        """Every readable passage folded, in one string: whether the papers name something is one substring
        search."""
        if role not in self._folded:
            self._folded[role] = " ".join(fold(text) for text in self.readable(role))
        return self._folded[role]

    def meeting_dates(self, role: Role) -> list[str]:
        """The dates of the meetings whose papers the role may read, sorted."""
        if role not in self._dates:
            self._dates[role] = sorted(
                {p.meeting_date for p in self.passages if p.meeting_date and (role == "member" or not p.restricted)}
            )
        return self._dates[role]

    def keyword_search(self, query: str, allowed: np.ndarray, n: int) -> list[tuple[int, float]]:
        if not self.ids or not allowed.any():
            return []
        tokens = bm25s.tokenize(
            [keyword_text(with_acronyms(query, self.acronyms), question=True)], stopwords=None, show_progress=False
        )
        if not tokens.vocab:
            return []
        k = min(n, int(allowed.sum()))
        docs, scores = self.retriever.retrieve(tokens, k=k, show_progress=False, weight_mask=allowed.astype(np.float32))
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0 and allowed[int(d)]]


class PassageIndex:
    """Open with PassageIndex(settings); ingest with put_documents; search with search."""

    def __init__(self, settings: Settings, create: bool = True) -> None:
        self.settings = settings
        self.hash = index_hash()
        home = settings.home
        if not create and not (home / "catalog.sqlite3").exists():
            raise IndexNotFound(f"no index at {home}: run `partnership-qa ingest PATH` first")
        home.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(home / "catalog.sqlite3")
        self._open_chroma()
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()
        self._loading = threading.Lock()
        # Generations this instance wrote itself: its Chroma client already holds them. Any other was
        # written by another process (an ingest beside a server), which an embedded client cannot see
        # until it is opened again.
        self._written: set[str] = set()

    # ---- the vector store --------------------------------------------------------------------
    def _open_chroma(self) -> None:
        try:
            if self.settings.chroma_host:
                self.client: Any = chromadb.HttpClient(host=self.settings.chroma_host, port=self.settings.chroma_port)
            else:
                with _CHROMA_CLIENTS:
                    self.client = chromadb.PersistentClient(path=str(self.settings.chroma_dir))
            self.collection = self.client.get_or_create_collection(
                f"passages_{self.hash}", metadata={"hnsw:space": "cosine", "index_hash": self.hash}
            )
        except Exception as exc:  # the clients raise connection, value and internal errors alike
            raise self.unavailable(exc) from exc
        self.store = ChromaVectorStore(chroma_collection=self.collection)

    def unavailable(self, exc: BaseException) -> StoreUnavailable:
        """The error to show when Chroma cannot be reached or read, naming the store and what to do."""
        settings = self.settings
        if settings.chroma_host:
            where = f"http://{settings.chroma_host}:{settings.chroma_port}"
            return StoreUnavailable(
                f"the Chroma server at {where} cannot be reached ({type(exc).__name__}): start it with "
                f"`chroma run --path DIR --port {settings.chroma_port}`, or unset PQA_CHROMA_HOST to use the "
                f"embedded store under {settings.home}"
            )
        return StoreUnavailable(
            f"the vector store at {settings.chroma_dir} cannot be read ({type(exc).__name__}): check that the "
            f"folder exists and is writable, or ingest again into a new PQA_HOME"
        )

    def _reopen(self) -> None:
        """Open the embedded store again, so that it reads what another process wrote (a server does this
        when an ingest beside it changed the index). A Chroma server serves every client the same data."""
        if self.settings.chroma_host:
            return
        with _CHROMA_CLIENTS:
            self.client.close()
        self._open_chroma()

    def check(self) -> str:
        """The index generation, after reading the vector store and the catalog once; StoreUnavailable when
        either cannot be read."""
        snapshot = self._current()
        try:
            self.collection.count()
        except Exception as exc:
            raise self.unavailable(exc) from exc
        return snapshot.generation

    # ---- identity -------------------------------------------------------------------------
    def built_with_other_settings(self) -> bool:
        stored = self.catalog.get_meta("index_hash")
        return stored is not None and stored != self.hash

    def reset(self) -> None:
        """Drop everything built with other settings (the caller re-ingests from the stored paths)."""
        for collection in self.client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith("passages_") and name != self.collection.name:
                self.client.delete_collection(name)
        stale = self.collection.get(include=[])["ids"]
        if stale:
            self.collection.delete(ids=stale)
        self.catalog.clear()
        shutil.rmtree(self.settings.keyword_dir, ignore_errors=True)
        self.catalog.set_meta("index_hash", self.hash)
        self._bump_generation()

    # ---- writing ---------------------------------------------------------------------------
    def put_documents(self, documents: list[Document], embedder: Embedder) -> int:
        """Embed and store documents' passages, replacing any older versions; returns passages embedded.

        One embedding call and one Chroma write for the group: Chroma pays a fixed cost per write (100
        one-document writes of 30 passages took 4.6 s, ten writes of ten documents 2.1 s, measured). Each
        document enters the catalog only after its passages are in Chroma; a kill in between leaves
        orphans that the next ingest removes.
        """
        old_ids = {d.source: set(self.catalog.passage_ids(d.source)) for d in documents}
        new = [p for d in documents for p in d.passages if p.id not in old_ids[d.source]]
        batch = self._write_batch()
        # Embedded and written a bounded batch at a time: Chroma refuses a write over its maximum batch size,
        # and memory stays the same whatever the size of one document.
        for start in range(0, len(new), batch):
            chunk = new[start : start + batch]
            vectors = embedder.embed_passages([dense_text(p) for p in chunk])
            # The vector only: the passage's text and fields go to the catalog with its document (see STORAGE).
            self.store.add([TextNode(id_=p.id, text="", embedding=v) for p, v in zip(chunk, vectors, strict=True)])
        self.catalog.set_meta("index_hash", self.hash)
        for document in documents:
            self.catalog.put(document)
            stale = sorted(old_ids[document.source] - {p.id for p in document.passages})
            for start in range(0, len(stale), batch):
                self.collection.delete(ids=stale[start : start + batch])
            self._bump_generation()
        return len(new)

    def _write_batch(self) -> int:
        """Ids per Chroma write or delete: Chroma's own maximum (5,461 embedded), at most WRITE_BATCH."""
        try:
            return max(1, min(WRITE_BATCH, int(self.client.get_max_batch_size())))
        except Exception:  # an older server without the call: the bound alone
            return WRITE_BATCH

    def remove_orphans(self) -> int:
        """Passages in Chroma that no catalog document owns (an ingest killed midway): delete them."""
        owned = self.catalog.all_passage_ids()
        stored = set(self.collection.get(include=[])["ids"])
        orphans = sorted(stored - owned)
        if orphans:
            self.collection.delete(ids=orphans)
            self._bump_generation()
        return len(orphans)

    def _bump_generation(self) -> None:
        current = int(self.catalog.get_meta("generation") or 0)
        self.catalog.set_meta("generation", str(current + 1))
        self._written.add(str(current + 1))

    # ---- the in-memory snapshot and the persisted BM25 ---------------------------------------
    def rebuild_keywords(self) -> None:
        """Rebuild BM25 from the current passages and save it beside Chroma (read back at startup); nothing
        to do when the saved one is of the current generation (an ingest that changed nothing)."""
        generation = self.catalog.get_meta("generation") or "0"
        if self._saved_generation() == generation:
            return
        passages = self._keyword_passages()
        snapshot = _Snapshot(passages, np.zeros((len(passages), 0), np.float32), generation)
        directory = self.settings.keyword_dir
        tmp = directory.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "rows.json").write_text(json.dumps({"generation": generation, "ids": snapshot.ids}))
        if snapshot.ids:
            snapshot.retriever.save(str(tmp / "bm25"), show_progress=False)
        shutil.rmtree(directory, ignore_errors=True)
        tmp.rename(directory)

    def _current(self) -> _Snapshot:
        generation = self.catalog.get_meta("generation") or "0"
        with self._lock:
            if self._snapshot is not None and self._snapshot.generation == generation:
                return self._snapshot
        with self._loading:  # one thread loads a new generation; the others wait for it, not load it too
            with self._lock:
                if self._snapshot is not None and self._snapshot.generation == generation:
                    return self._snapshot
            snapshot = self._load_or_keep(generation)
            with self._lock:
                self._snapshot = snapshot
            return snapshot

    def _load_or_keep(self, generation: str) -> _Snapshot:
        """The snapshot of a new generation. One another process wrote is read through a store opened again;
        should Chroma fail mid-write, the snapshot in hand is kept (the index as it was) and the next search
        tries again; with none in hand, StoreUnavailable."""
        try:
            if generation not in self._written:
                self._reopen()
            return self._load(generation, self._saved_bm25(generation))
        except StoreUnavailable:
            raise
        except Exception as exc:
            if self._snapshot is None:
                raise self.unavailable(exc) from exc
            log.warning(
                "kept generation %s of the index: reading %s failed (%s)",
                self._snapshot.generation,
                generation,
                type(exc).__name__,
            )
            return self._snapshot

    def _saved_rows(self) -> dict[str, Any] | None:
        """The saved BM25's generation and row ids (rows.json); None when missing or half-written."""
        try:
            rows = json.loads((self.settings.keyword_dir / "rows.json").read_text())
        except (OSError, ValueError):
            return None
        valid = isinstance(rows, dict) and isinstance(rows.get("generation"), str) and isinstance(rows.get("ids"), list)
        return rows if valid else None

    def _saved_generation(self) -> str | None:
        rows = self._saved_rows()
        return rows["generation"] if rows else None

    def _saved_bm25(self, generation: str) -> tuple[list[str], bm25s.BM25] | None:
        """The BM25 saved by the last ingest, when it is of this generation."""
        rows = self._saved_rows()
        if not rows or rows["generation"] != generation or not rows["ids"]:
            return None
        try:
            return rows["ids"], bm25s.BM25.load(str(self.settings.keyword_dir / "bm25"))
        except (OSError, ValueError, KeyError):
            return None  # half-written: rebuilt from the catalog

    def _pages(self, include: Include) -> Iterator[tuple[list[str], GetResult]]:
        """The collection in pages of READ_PAGE (one get of everything doubles peak memory), each page with
        the ids it adds: pages shift under a writer, so an id may come twice."""
        seen: set[str] = set()
        for offset in range(0, self.collection.count(), READ_PAGE):
            got = self.collection.get(include=include, limit=READ_PAGE, offset=offset)
            fresh = [pid for pid in got["ids"] if pid not in seen]
            seen.update(fresh)
            yield fresh, got

    def _load(self, generation: str, saved: tuple[list[str], bm25s.BM25] | None = None) -> _Snapshot:
        """The passages that have both a vector in Chroma and a row in the catalog (one without the other is
        mid-write or an orphan), with their vectors, in Chroma's order or the saved BM25's."""
        stored = self.catalog.passages()
        passages: list[Passage] = []
        blocks: list[np.ndarray] = []
        for fresh, got in self._pages(["embeddings"]):
            wanted = {pid for pid in fresh if pid in stored}
            rows = [n for n, pid in enumerate(got["ids"]) if pid in wanted]
            passages += [stored[got["ids"][n]] for n in rows]
            if rows:
                blocks.append(np.asarray(got["embeddings"], dtype=np.float32)[rows])
        vectors = np.concatenate(blocks) if blocks else np.zeros((0, 1), np.float32)
        if saved and set(saved[0]) == {p.id for p in passages}:
            order = {p.id: n for n, p in enumerate(passages)}
            rows = [order[pid] for pid in saved[0]]
            return _Snapshot([passages[r] for r in rows], vectors[rows], generation, saved[1])
        return _Snapshot(passages, vectors, generation)

    def _keyword_passages(self) -> list[Passage]:
        """The passages _load would hold, in Chroma's order, without reading their vectors."""
        ids = [pid for fresh, _ in self._pages([]) for pid in fresh]
        stored = self.catalog.passages()
        return [stored[pid] for pid in ids if pid in stored]

    # ---- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.collection.count())

    def search(
        self,
        query: str,
        embedder: Embedder,
        filters: SearchFilters | None = None,
        role: Role = "public",
        k: int = 5,
    ) -> list[ScoredPassage]:
        """Hybrid search: dense and BM25 candidates, filters applied in each store, fused by score.

        Every candidate gets both scores (its vector is in the snapshot, so a BM25-only candidate has a real
        cosine too), then score = w * cosine scaled to [0, 1] over the candidates + (1 - w) * BM25 / best BM25.
        """
        filters = filters or SearchFilters()
        pool = max(4 * k, 40)
        current = self._current_versions()
        vector = np.asarray(embedder.embed_query(query), dtype=np.float32)
        snapshot = self._current()
        allowed = filters.mask(snapshot.columns, role)
        keyword_score = dict(snapshot.keyword_search(query, allowed, pool))
        dense_ids = self._dense(vector, snapshot, allowed, pool)
        rows = {snapshot.position[pid] for pid in dense_ids if pid in snapshot.position}
        rows |= set(keyword_score)
        rows = {r for r in rows if _version(snapshot.ids[r]) in current}  # not a version mid-swap
        if not rows:
            return []
        dense = {r: float(snapshot.vectors[r] @ vector) for r in rows}
        low, high = min(dense.values()), max(dense.values())
        best_keyword = max(keyword_score.values(), default=0.0) or 1.0
        weight = self.settings.dense_weight
        fused = {
            r: weight * (dense[r] - low) / ((high - low) or 1.0)
            + (1 - weight) * keyword_score.get(r, 0.0) / best_keyword
            for r in rows
        }
        ranked = sorted(rows, key=lambda r: fused[r], reverse=True)[:k]
        return [ScoredPassage(snapshot.passage(r), fused[r], dense[r], keyword_score.get(r, 0.0)) for r in ranked]

    def _dense(self, vector: np.ndarray, snapshot: _Snapshot, allowed: np.ndarray, n: int) -> list[str]:
        """Ids of the n nearest passages in Chroma among those the filters and role allow.

        The allowed passages are named to Chroma by id, so the restriction is part of the query (top-n is
        never short, nothing filtered after the fact). Measured at 9,500 passages: 2-5 ms, against 22-33 ms
        for the same filters as a `where` clause, which Chroma evaluates over every row. The collection is
        asked for ids only: texts and vectors come from the snapshot.
        """
        if not allowed.any():
            return []
        ids = None if allowed.all() else [snapshot.ids[r] for r in np.flatnonzero(allowed)]
        n = min(n, int(allowed.sum()))
        try:
            result = self.collection.query(
                query_embeddings=[vector.tolist()], n_results=n, ids=ids, include=["distances"]
            )
            return list(result["ids"][0]) if result["ids"] else []
        except Exception as exc:
            if self.settings.chroma_host and not isinstance(exc, ChromaError):
                raise self.unavailable(exc) from exc  # the server is down: say so, not a worse answer
            # An ingest changed the store since the snapshot was taken (ids gone, or written by another
            # process): the snapshot holds the same vectors, so search them exactly instead.
            return _exact_nearest(vector, snapshot, allowed, n)

    def meeting_dates(self, role: Role) -> list[str]:
        return self._current().meeting_dates(role)

    def unknown_words(self, words: set[str], role: Role) -> list[str]:
        """The words no passage the role may read uses (so the papers cannot be about them). A word counts
        as used when the papers use its first letters, its stem ("meet" in papers that say "meets") or the
        first letters of its stem ("laying" in papers that say "lay off")."""
        vocabulary = self._current().vocabulary(role)

        def used(piece: str) -> bool:
            keys = word_keys(piece) | {stem(STEMMER.stemWord(piece))}
            return any(key in vocabulary for key in keys)

        return sorted(w for w in words if not all(used(piece) for piece in _WORD.findall(w.lower())))

    def acronyms(self) -> dict[str, str]:
        """Acronyms the public papers define, lower case: "kcsp" -> "kent community safety partnership"."""
        return self._current().acronyms

    def unnamed(self, names: list[str], role: Role) -> list[str]:
        """The names ("Domestic Abuse Commissioner") that no passage the role may read uses as written."""
        if not names:
            return []
        text = f" {self._current().folded_text(role)} "
        return [n for n in names if f" {fold(n)} " not in text]

    def distinctive_words(self, words: set[str], role: Role) -> list[str]:
        """The words that say what a question is about ("shoplifting"), not where it is asked: used by
        fewer than COMMON_SHARE of the passages the role may read ("partnership", "Kent" are in most)."""
        vocabulary = self._current().vocabulary(role)

        def share(word: str) -> float:
            return max((vocabulary.get(stem(piece), 0.0) for piece in _WORD.findall(word.lower())), default=1.0)

        return sorted(w for w in words if share(w) < COMMON_SHARE)

    def get_passages(self, ids: list[str]) -> list[Passage]:
        """The stored passages with these ids, in the order asked; unknown ids are left out."""
        stored = self.catalog.passages(ids)
        return [stored[pid] for pid in ids if pid in stored]

    def list_passages(self, filters: SearchFilters, role: Role) -> list[Passage]:
        """Every passage matching the filters (digests, list items), in document order, from the snapshot."""
        snapshot = self._current()
        current = self._current_versions()
        rows = np.flatnonzero(filters.mask(snapshot.columns, role)).tolist()
        passages = [snapshot.passage(r) for r in rows if _version(snapshot.ids[r]) in current]
        return sorted(passages, key=lambda p: (p.source, p.start))

    def _current_versions(self) -> set[str]:
        """The document versions the catalog holds now; a passage of any other is mid-swap or stale."""
        return {document_key(source, h) for source, h in self.catalog.hashes().items()}

    def close(self) -> None:
        self.catalog.close()
        with _CHROMA_CLIENTS:
            self.client.close()


def _exact_nearest(vector: np.ndarray, snapshot: _Snapshot, allowed: np.ndarray, n: int) -> list[str]:
    """Ids of the n allowed passages nearest the vector by cosine, over the snapshot's unit vectors."""
    rows = np.flatnonzero(allowed)
    scores = snapshot.vectors[rows] @ vector
    best = rows[np.argsort(-scores)[:n]]
    return [snapshot.ids[r] for r in best]


def open_for_reading(settings: Settings) -> PassageIndex:
    index = PassageIndex(settings, create=False)
    if index.built_with_other_settings():
        raise IndexNotFound(
            f"the index at {settings.home} was built with other settings: "
            "run `partnership-qa ingest PATH` to rebuild it"
        )
    return index
