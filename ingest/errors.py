"""Why a file could not be ingested, in words a person can act on."""


class IngestError(Exception):
    """A file that cannot be ingested; the message says why and what to do."""
