"""Answers, lists of observations and question banks as spreadsheets (XLSX, CSV) and JSON."""
