"""One audit log of every change that matters."""
