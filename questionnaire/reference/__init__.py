"""Reference data: instruments, articles, clusters, provision texts and States."""
