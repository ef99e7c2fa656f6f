"""The reviewing States' work: observations, dialogue, the list of observations and summary."""
