"""The eval harness: gold fixtures, scoring, comparison and reports (docs/facts.md, "How facts
are scored")."""
