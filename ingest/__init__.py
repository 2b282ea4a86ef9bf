"""Files -> Document -> Units -> Passages."""
