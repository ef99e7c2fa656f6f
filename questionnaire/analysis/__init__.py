"""The consolidated analysis of a questionnaire across the States that submitted their answers."""
