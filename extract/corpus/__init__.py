"""Checks across many reports: who issued each, carry-over between years, anomalies,
copied narratives and duplicate inputs (`nianbao corpus check`).

Every check reads records (a run store or JSON Lines) and never changes them; the narrative
checks re-read each record's source file, keeping only MinHash signatures in memory.
"""
