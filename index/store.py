"""The passage index: dense vectors in Chroma (llama-index ChromaVectorStore), BM25 beside it, a catalog.

Documents are switched atomically: new passages are added, the catalog row is replaced in one
transaction, then the old passages are removed. Searches keep only passages of the catalog's current
version of each document, so a reader never sees half of one version and half of another.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
from dataclasses import dataclass
from typing import Any

import bm25s
import chromadb
import numpy as np
from llama_index.core.schema import BaseNode, TextNode
from llama_index.core.vector_stores.types import VectorStoreQuery
from llama_index.vector_stores.chroma import ChromaVectorStore

from index.catalog import Catalog
from index.embedder import MODEL_NAME, Embedder
from index.filters import Role, SearchFilters, date_number
from index.search_text import SEARCH_TEXT_VERSION, search_text
from ingest.models import Document, Passage, document_key
from ingest.passages import CHUNKING_VERSION, MAX_PASSAGE_CHARS
from ingest.pipeline import PARSER_VERSION
from partnership_qa.settings import Settings


class IndexNotFound(Exception):
    """No index yet; the message says how to build one."""


def index_identity() -> dict[str, str]:
    """What built the index; a change to any of these means a rebuild."""
    return {
        "embedding_model": MODEL_NAME,
        "parser_version": PARSER_VERSION,
        "max_passage_chars": str(MAX_PASSAGE_CHARS),
        "chunking": CHUNKING_VERSION,
        "search_text": SEARCH_TEXT_VERSION,
    }


def index_hash() -> str:
    return hashlib.sha256(json.dumps(index_identity(), sort_keys=True).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class ScoredPassage:
    passage: Passage
    score: float
    dense: float  # cosine similarity of question and passage
    keyword: float  # BM25 score (0 when the passage shares no query word)


def _metadata(p: Passage) -> dict[str, Any]:
    return {
        "source": p.source,
        "doc_hash": p.id.split(":")[0],
        "document_title": p.document_title,
        "kind": p.kind,
        "unit_kind": p.unit_kind,
        "title": p.title,
        "body": p.body or "",
        "meeting_date": p.meeting_date or "",
        "date_num": date_number(p.meeting_date),
        "minute_number": p.minute_number or "",
        "agenda_item": p.agenda_item or "",
        "section_path": json.dumps(p.section_path),
        "page": p.page if p.page is not None else -1,
        "restricted": int(p.restricted),
        "start": p.start,
        "end": p.end,
        "attributes": json.dumps(p.attributes),
    }


def _passage(pid: str, text: str, meta: dict[str, Any]) -> Passage:
    return Passage(
        id=pid,
        source=meta["source"],
        document_title=meta["document_title"],
        kind=meta["kind"],
        unit_kind=meta["unit_kind"],
        title=meta["title"],
        body=meta["body"] or None,
        meeting_date=meta["meeting_date"] or None,
        minute_number=meta["minute_number"] or None,
        agenda_item=meta["agenda_item"] or None,
        section_path=json.loads(meta["section_path"]),
        page=meta["page"] if meta["page"] >= 0 else None,
        restricted=bool(meta["restricted"]),
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=text,
        attributes=json.loads(meta["attributes"]),
    )


_WORD = re.compile(r"[a-z0-9£]+")


def stem(word: str) -> str:
    """A cheap stem, good enough to tell whether the papers use a word at all: its first five letters."""
    return word.lower()[:5]


class _Keywords:
    """BM25 over every passage, with the metadata columns the filters need."""

    def __init__(self, ids: list[str], texts: list[str], metas: list[dict[str, Any]], generation: str) -> None:
        self.ids = ids
        self.texts = texts
        self.metas = metas
        self.generation = generation
        self.position = {pid: n for n, pid in enumerate(ids)}
        self.columns = {
            key: np.array([m[key] for m in metas]) if metas else np.array([])
            for key in ("restricted", "date_num", "source", "minute_number", "kind", "body")
        }
        self.retriever = bm25s.BM25()
        if texts:
            self.retriever.index(bm25s.tokenize(texts, show_progress=False), show_progress=False)
        self._vocabulary: dict[Role, set[str]] = {}

    def vocabulary(self, role: Role) -> set[str]:
        """Word stems (first five letters) the role's passages use; restricted text counts for members only."""
        if role not in self._vocabulary:
            words: set[str] = set()
            for text, meta in zip(self.texts, self.metas, strict=True):
                if role == "member" or not meta["restricted"]:
                    words.update(stem(w) for w in _WORD.findall(text.lower()))
            self._vocabulary[role] = words
        return self._vocabulary[role]

    def search(self, query: str, allowed: np.ndarray, n: int) -> list[tuple[int, float]]:
        if not self.ids or not allowed.any():
            return []
        tokens = bm25s.tokenize([query], show_progress=False)
        if not tokens.vocab:
            return []
        k = min(n, int(allowed.sum()))
        docs, scores = self.retriever.retrieve(tokens, k=k, show_progress=False, weight_mask=allowed.astype(np.float32))
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0 and allowed[int(d)]]


class PassageIndex:
    """Open with PassageIndex(settings); ingest with put_document; search with search."""

    def __init__(self, settings: Settings, create: bool = True) -> None:
        self.settings = settings
        self.hash = index_hash()
        home = settings.home
        if not create and not (home / "catalog.sqlite3").exists():
            raise IndexNotFound(f"no index at {home}: run `partnership-qa ingest PATH` first")
        home.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(home / "catalog.sqlite3")
        if settings.chroma_host:
            self.client: Any = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port)
        else:
            self.client = chromadb.PersistentClient(path=str(settings.chroma_dir))
        self.collection = self.client.get_or_create_collection(
            f"passages_{self.hash}", metadata={"hnsw:space": "cosine", "index_hash": self.hash}
        )
        self.store = ChromaVectorStore(chroma_collection=self.collection)
        self._keywords: _Keywords | None = None
        self._lock = threading.Lock()

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
    def put_document(self, document: Document, embedder: Embedder) -> int:
        """Embed and store a document's passages, replacing any older version; returns passages embedded."""
        old_ids = set(self.catalog.passage_ids(document.source))
        new = [p for p in document.passages if p.id not in old_ids]
        vectors = embedder.embed_passages([search_text(p) for p in new])
        nodes: list[BaseNode] = [
            TextNode(id_=p.id, text=p.text, metadata=_metadata(p), embedding=v)
            for p, v in zip(new, vectors, strict=True)
        ]
        if nodes:
            self.store.add(nodes)
        self.catalog.put(document)
        self.catalog.set_meta("index_hash", self.hash)
        stale = sorted(old_ids - {p.id for p in document.passages})
        if stale:
            self.collection.delete(ids=stale)
        self._bump_generation()
        return len(new)

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

    # ---- keywords --------------------------------------------------------------------------
    def rebuild_keywords(self) -> None:
        """Rebuild BM25 from Chroma's current passages and save it beside Chroma."""
        generation = self.catalog.get_meta("generation") or "0"
        got = self.collection.get(include=["documents", "metadatas"])
        ids, docs, metas = got["ids"], got["documents"] or [], got["metadatas"] or []
        passages = [_passage(i, d, dict(m)) for i, d, m in zip(ids, docs, metas, strict=True)]
        texts = [search_text(p) for p in passages]
        keywords = _Keywords(ids, texts, [dict(m) for m in metas], generation)
        directory = self.settings.keyword_dir
        tmp = directory.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "rows.json").write_text(json.dumps({"generation": generation, "ids": ids, "metas": metas}))
        if texts:
            keywords.retriever.save(str(tmp / "bm25"), show_progress=False)
        shutil.rmtree(directory, ignore_errors=True)
        tmp.rename(directory)
        with self._lock:
            self._keywords = keywords

    def _current_keywords(self) -> _Keywords:
        generation = self.catalog.get_meta("generation") or "0"
        with self._lock:
            if self._keywords is not None and self._keywords.generation == generation:
                return self._keywords
        loaded = self._load_keywords(generation)
        if loaded is None:
            self.rebuild_keywords()
            assert self._keywords is not None
            return self._keywords
        with self._lock:
            self._keywords = loaded
        return loaded

    def _load_keywords(self, generation: str) -> _Keywords | None:
        rows_path = self.settings.keyword_dir / "rows.json"
        if not rows_path.exists():
            return None
        rows = json.loads(rows_path.read_text())
        if rows["generation"] != generation:
            return None
        got = self.collection.get(ids=rows["ids"], include=["documents", "metadatas"]) if rows["ids"] else None
        if got is None:
            return _Keywords([], [], [], generation)
        by_id = {i: (d, m) for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)}
        if set(by_id) != set(rows["ids"]):
            return None
        ids = rows["ids"]
        texts = [search_text(_passage(i, by_id[i][0], dict(by_id[i][1]))) for i in ids]
        return _Keywords(ids, texts, [dict(by_id[i][1]) for i in ids], generation)

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

        Every candidate gets both scores (a BM25-only candidate's vector is read back from Chroma), then
        score = w * dense scaled to [0, 1] over the candidates + (1 - w) * BM25 / best BM25.
        """
        filters = filters or SearchFilters()
        pool = max(4 * k, 40)
        current = {document_key(h) for h in self.catalog.hashes().values()}
        vector = np.array(embedder.embed_query(query))
        found = {p.id: p for p in self._dense(vector, filters, role, pool)}
        keywords = self._current_keywords()
        keyword_score: dict[str, float] = {}
        for row, bm25 in keywords.search(query, filters.mask(keywords.columns, role), pool):
            pid = keywords.ids[row]
            keyword_score[pid] = bm25
            if pid not in found:
                found[pid] = _passage(pid, "", keywords.metas[row])
        found = {pid: p for pid, p in found.items() if pid.split(":")[0] in current}  # not a version mid-swap
        if not found:
            return []
        texts, vectors = self._stored(list(found))
        dense = {pid: float(vectors[pid] @ vector) for pid in found}
        low, high = min(dense.values()), max(dense.values())
        best_keyword = max(keyword_score.values(), default=0.0) or 1.0
        weight = self.settings.dense_weight
        fused = {
            pid: weight * (dense[pid] - low) / ((high - low) or 1.0)
            + (1 - weight) * keyword_score.get(pid, 0.0) / best_keyword
            for pid in found
        }
        ranked = sorted(found, key=lambda pid: fused[pid], reverse=True)[:k]
        return [
            ScoredPassage(
                found[pid].model_copy(update={"text": texts[pid]}), fused[pid], dense[pid], keyword_score.get(pid, 0.0)
            )
            for pid in ranked
        ]

    def unknown_words(self, words: set[str], role: Role) -> list[str]:
        """The words no passage the role may read uses (so the papers cannot be about them)."""
        vocabulary = self._current_keywords().vocabulary(role)
        return sorted(w for w in words if not set(map(stem, _WORD.findall(w.lower()))) <= vocabulary)

    def _dense(self, vector: np.ndarray, filters: SearchFilters, role: Role, n: int) -> list[Passage]:
        result = self.store.query(
            VectorStoreQuery(
                query_embedding=[float(x) for x in vector],
                similarity_top_k=n,
                filters=filters.to_metadata_filters(role),
            )
        )
        return [_passage(node.node_id, node.get_content(), dict(node.metadata)) for node in result.nodes or []]

    def _stored(self, ids: list[str]) -> tuple[dict[str, str], dict[str, np.ndarray]]:
        """Texts and unit vectors of these passages, as stored in Chroma."""
        got = self.collection.get(ids=ids, include=["documents", "embeddings"])
        texts = dict(zip(got["ids"], got["documents"] or [], strict=True))
        vectors = {pid: np.asarray(v, dtype=np.float32) for pid, v in zip(got["ids"], got["embeddings"], strict=True)}
        return texts, vectors

    def get_passages(self, ids: list[str]) -> list[Passage]:
        got = self.collection.get(ids=ids, include=["documents", "metadatas"])
        return [
            _passage(i, d, dict(m))
            for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        ]

    def list_passages(self, filters: SearchFilters, role: Role) -> list[Passage]:
        """Every passage matching the filters (for whole-meeting digests), in document order."""
        where = filters.to_metadata_filters(role)
        from llama_index.vector_stores.chroma.base import _to_chroma_filter

        got = self.collection.get(where=_to_chroma_filter(where) if where else None, include=["documents", "metadatas"])
        passages = [
            _passage(i, d, dict(m))
            for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        ]
        current = {document_key(h) for h in self.catalog.hashes().values()}
        passages = [p for p in passages if p.id.split(":")[0] in current]
        return sorted(passages, key=lambda p: (p.source, p.start))

    def close(self) -> None:
        self.catalog.close()


def open_for_reading(settings: Settings) -> PassageIndex:
    index = PassageIndex(settings, create=False)
    if index.built_with_other_settings():
        raise IndexNotFound(
            f"the index at {settings.home} was built with other settings: "
            "run `partnership-qa ingest PATH` to rebuild it"
        )
    return index
