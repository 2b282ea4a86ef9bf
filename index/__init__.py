"""Passages -> embeddings + keyword index in Chroma; lookups by meeting, minute and source."""
