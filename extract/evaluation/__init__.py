"""The eval harness: gold fixtures, scoring, comparison and reports (FACTS.md, "How facts
are scored")."""
