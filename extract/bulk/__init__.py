"""Bulk runs: many documents, concurrent, resumable, cached, observable."""
