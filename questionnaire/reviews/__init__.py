"""Reviews of States: who answers, who reviews, deadlines."""
