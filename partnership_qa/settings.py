"""The one settings object, read from the environment with the PQA_ prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a deployment can change; each field can be set as PQA_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="PQA_", extra="ignore")

    home: Path = Field(Path(".pqa"), description="Data directory: Chroma, keyword index, conversations.")
    chroma_host: str | None = Field(None, description="Chroma server host; unset means embedded Chroma under home.")
    chroma_port: int = Field(8000, description="Chroma server port, used with chroma_host.")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="Where embeddings run.")
    embed_batch_size: int | None = Field(
        None,
        ge=1,
        le=4096,
        description="Passages embedded per batch; unset: on a CPU as many as fit in 2,048 padded tokens "
        "(measured fastest), on a GPU 256.",
    )
    embed_precision: Literal["auto", "float32", "bfloat16"] = Field(
        "auto",
        description="Arithmetic for bulk embedding; auto is bfloat16 on a CPU with AMX or a bf16 GPU, else float32.",
    )
    top_k: int = Field(5, ge=1, le=20, description="Passages an answer may draw on.")
    dense_weight: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="Weight of the vector similarity against BM25 when fusing the two rankings (0: BM25 only).",
    )
    min_answer_score: float = Field(
        0.35, description="Dense similarity below which the best evidence is too weak to answer from."
    )
    server_url: str = Field(
        "http://127.0.0.1:8000",
        description="A running server that `ask` hands a public question to when it serves this same home (an "
        "answer in a fraction of a second, where loading the model takes seconds); empty: never.",
    )
    api_keys: str = Field("", description='API keys and roles, e.g. "key1=member,key2=public".')
    max_body_bytes: int = Field(64_000, description="Requests with a larger body are refused with 413.")
    conversation_ttl_s: float = Field(
        86_400, gt=0, description="Seconds after its last turn that a conversation expires (a follow-up starts anew)."
    )
    max_conversations: int = Field(10_000, ge=1, description="Conversations kept at most; the oldest go first.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint; unset means extractive answers.")
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the generative endpoint.")
    llm_api_key: str = Field("", description="Bearer key for the generative endpoint.")
    llm_timeout_s: float = Field(30.0, description="Seconds before a generative call falls back to extractive.")

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def keyword_dir(self) -> Path:
        return self.home / "keywords"

    @property
    def conversations_path(self) -> Path:
        return self.home / "conversations.sqlite3"

    def roles_by_key(self) -> dict[str, str]:
        """Parse api_keys into {key: role}; a malformed entry is a configuration error."""
        roles: dict[str, str] = {}
        for entry in filter(None, (e.strip() for e in self.api_keys.split(","))):
            key, sep, role = entry.partition("=")
            if not sep or role not in ("member", "public") or not key:
                raise ValueError(
                    f"PQA_API_KEYS entry {entry.split('=')[0][:3]}...: write it as KEY=member or KEY=public"
                )
            roles[key] = role
        return roles
