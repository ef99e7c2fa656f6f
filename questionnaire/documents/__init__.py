"""Documents: PDF rendering of answers, and later conference room papers."""
