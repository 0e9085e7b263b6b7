"""`nianbao view`: records as one self-contained HTML page a person can read and check.

``cells`` names the table cells a check compares; ``text`` highlights evidence; ``tables``
lays the three standard tables out as reports print them; ``document`` renders one record;
``page`` assembles the index and the documents into one file; ``sources`` is the I/O shell
(records from JSON Lines or a run store, texts re-read from each record's source).
"""
