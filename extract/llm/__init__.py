"""The LLM path: structured-output prompts through openai + instructor, grounded facts.

Nothing outside this package imports openai or instructor; the core stays model-free.
"""
