"""Content checks: what a health-literacy reviewer would look for first, done by machine.

Each rule module offers functions from the handout's prose (`text.Prose`) to `Finding`s.
"""
