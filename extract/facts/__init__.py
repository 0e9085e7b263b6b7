"""Narrative facts: finding them (rules, models), grounding and merging them."""
