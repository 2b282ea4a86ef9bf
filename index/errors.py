"""What can go wrong reading the index, importable without loading the model or the vector store."""


class IndexNotFound(Exception):
    """No index yet; the message says how to build one."""


class StoreUnavailable(Exception):
    """The vector store cannot be reached or read; the message names it and says what to do."""
