"""Question banks: versioned, immutable questionnaires tied to the articles of the instruments."""
