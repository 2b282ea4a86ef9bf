"""partnership-qa: answers about partnership papers, with citations to the exact minute or section."""
