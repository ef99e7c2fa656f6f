"""State respondents answering their questionnaire."""
